"""Task gates in the engine: tagged task runs wait for a slot, in the gate, not in the
executor; everything else runs meanwhile; nothing deadlocks."""

from __future__ import annotations

import threading
import time

import pytest

from proctor import Flow, task
from proctor.core.clock import FakeClock
from proctor.core.concurrency_limits import LocalTaskGate, TaskGate
from proctor.core.executors import LocalExecutor, ThreadExecutor
from proctor.core.observers import RunObserver, TaskRunChange
from proctor.core.runner.flow_runner import FlowRunner


class Gauge:
    """Counts task bodies running at once, per tag."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = 0
        self.peak = 0

    def __enter__(self) -> None:
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.now -= 1


class States(RunObserver):
    def __init__(self) -> None:
        self.changes: list[TaskRunChange] = []

    def task_run_state(self, context, change: TaskRunChange) -> None:  # type: ignore[no-untyped-def]
        self.changes.append(change)


def limited_flow(gauge: Gauge, free: Gauge, n: int, pause: float) -> Flow:
    @task(tags=["db"])
    def query(i: int) -> int:
        with gauge:
            time.sleep(pause)
        return i

    @task
    def untagged(i: int) -> int:
        with free:
            time.sleep(pause)
        return i

    @task
    def total(values: list[int]) -> int:
        return sum(values)

    with Flow("limited") as flow:
        total(query.map(list(range(n))))
        untagged.map(list(range(n)))
    return flow


@pytest.mark.parametrize("executor", [ThreadExecutor(max_workers=8), LocalExecutor()])
def test_mapped_children_with_a_limited_tag_never_exceed_the_limit(executor) -> None:
    gauge, free = Gauge(), Gauge()
    flow = limited_flow(gauge, free, n=12, pause=0.03)
    states = States()
    runner = FlowRunner(flow, executor=executor, observers=[states], gate=LocalTaskGate({"db": 2}))
    final = runner.run()
    assert final.is_successful(), final.message
    assert final.result[flow.get_tasks(name="total")[0]].result == sum(range(12))
    assert gauge.peak <= 2
    queued = [c for c in states.changes if c.state.name == "Queued"]
    if isinstance(executor, ThreadExecutor):
        assert gauge.peak == 2
        # Untagged children were not held behind the tagged ones.
        assert free.peak > 2
        assert queued and all(c.task_slug.startswith("query") for c in queued)
        assert "db (2 of 2 in use)" in queued[0].state.message
    # Every queued child ran to success afterwards.
    last = {(c.task_slug, c.map_index): c.state.name for c in states.changes}
    assert {name for (slug, index), name in last.items() if index is not None} == {"Success"}


def test_a_task_with_two_limited_tags_needs_a_slot_of_each() -> None:
    running: list[str] = []
    peak = {"a": 0, "b": 0}
    lock = threading.Lock()

    def body(tag: str) -> None:
        with lock:
            running.append(tag)
            for key, most in peak.items():
                peak[key] = max(most, sum(1 for t in running if key in t))
        time.sleep(0.02)
        with lock:
            running.remove(tag)

    @task(tags=["a", "b"])
    def both(i: int) -> None:
        body("ab")

    @task(tags=["a"])
    def only_a(i: int) -> None:
        body("a")

    with Flow("two-tags") as flow:
        both.map(list(range(6)))
        only_a.map(list(range(6)))
    final = FlowRunner(flow, executor=ThreadExecutor(8), gate=LocalTaskGate({"a": 3, "b": 1})).run()
    assert final.is_successful()
    assert peak["a"] <= 3
    assert peak["b"] == 1


@pytest.mark.parametrize("executor", [ThreadExecutor(4), LocalExecutor()], ids=["thread", "local"])
def test_retries_give_their_slot_back_while_they_wait(executor) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    started = clock.now()
    attempts: list[tuple[int, float]] = []
    gauge = Gauge()

    @task(tags=["api"], retries=1, retry_delay=60)
    def flaky(i: int) -> int:
        with gauge:
            attempts.append((i, clock.now()))
            if len(attempts) <= 5:
                raise ValueError("first attempt fails")
        return i

    with Flow("flaky") as flow:
        flaky.map(list(range(5)))
    gate = LocalTaskGate({"api": 1})
    final = FlowRunner(flow, executor=executor, gate=gate, clock=clock).run()
    assert final.is_successful(), final.message
    assert gauge.peak == 1
    assert gate.in_use == {"api": 0}
    # All five first attempts ran, one at a time, before any retry was due: a retry that
    # kept its slot for its minute would have held every other child back that long.
    assert sorted(i for i, _ in attempts[:5]) == list(range(5))
    assert {at for _, at in attempts[:5]} == {started}
    assert sorted(i for i, _ in attempts[5:]) == list(range(5))
    assert {at for _, at in attempts[5:]} == {started + 60}
    assert clock.waits == [(started, started + 60)]


def test_cancelling_a_run_with_queued_task_runs_ends_them_cancelled() -> None:
    started = threading.Event()

    @task(tags=["slow"])
    def slow(i: int) -> int:
        started.set()
        time.sleep(0.3)
        return i

    with Flow("cancel-queued") as flow:
        slow.map(list(range(5)))
    states = States()
    runner = FlowRunner(
        flow, executor=ThreadExecutor(4), observers=[states], gate=LocalTaskGate({"slow": 1})
    )
    threading.Thread(target=lambda: (started.wait(5), runner.cancel()), daemon=True).start()
    final = runner.run()
    assert final.is_cancelled()
    last = {(c.task_slug, c.map_index): c.state.name for c in states.changes}
    children = {key: name for key, name in last.items() if key[1] is not None}
    assert len(children) == 5
    assert "Cancelled" in children.values()
    assert "Queued" not in children.values()


def test_a_limit_below_one_is_refused_with_a_message() -> None:
    with pytest.raises(ValueError, match="never finish"):
        LocalTaskGate({"db": 0})


class OpensAt(TaskGate):
    """A gate (as a server's slots would be) that admits nothing before `opens` on the
    run's clock, then everything."""

    def __init__(self, clock: FakeClock, opens: float) -> None:
        self.clock = clock
        self.opens = opens
        self.held: list = []
        self.new: list = []
        self.timeouts: list[float] = []

    def applies_to(self, task) -> bool:  # type: ignore[no-untyped-def]
        return "remote" in task.tags

    def request(self, units) -> None:  # type: ignore[no-untyped-def]
        self.held.extend(units)
        self.new.extend(units)

    def poll(self, timeout: float):  # type: ignore[no-untyped-def]
        self.timeouts.append(timeout)
        queued = [(unit, "Waiting for the server") for unit in self.new]
        self.new = []
        if self.clock.now() < self.opens:
            return [], queued
        granted, self.held = self.held, []
        return granted, queued

    def release(self, unit, state) -> None:  # type: ignore[no-untyped-def]
        pass

    @property
    def waiting(self) -> int:
        return len(self.held)


class StartsUnreported(LocalExecutor):
    """A local executor that, like a process pool, does not report starts itself."""

    reports_start = False

    def start(self, flow_context, on_start) -> None:  # type: ignore[no-untyped-def]
        super().start(flow_context, None)


@pytest.mark.parametrize(
    ("executor", "seen"),
    [
        (LocalExecutor(), ["Queued", "Running", "Success"]),
        (StartsUnreported(), ["Queued", "Submitted", "Running", "Success"]),
    ],
    ids=["reports-start", "starts-unreported"],
)
def test_task_runs_held_at_the_gate_wait_for_it_on_the_run_s_clock(executor, seen) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    started = clock.now()
    ran: list[tuple[str, float]] = []

    @task(tags=["remote"])
    def remote() -> str:
        ran.append(("remote", clock.now()))
        return "remote"

    @task
    def local() -> str:
        ran.append(("local", clock.now()))
        return "local"

    with Flow("held") as flow:
        remote()
        local()
    states = States()
    gate = OpensAt(clock, opens=started + 1.2)
    final = FlowRunner(flow, executor=executor, observers=[states], gate=gate, clock=clock).run()
    assert final.is_successful(), final.message
    # The untagged task ran at once; the held one when the gate opened, which the loop
    # saw by polling every 0.5 s of the run's clock (no real time passed).
    assert ran == [("local", started), ("remote", started + 1.5)]
    assert [until - since for since, until in clock.waits] == pytest.approx([0.5] * 3, abs=1e-6)
    queued = [c.state.message for c in states.changes if c.state.name == "Queued"]
    assert queued == ["Waiting for the server"]
    # What the held task run went through, as observers heard it.
    assert [c.state.name for c in states.changes if c.task_slug == "remote"] == seen
    # Handing work over never waits at the gate: on a fake clock every poll is immediate.
    assert gate.timeouts and set(gate.timeouts) == {0.0}
