"""The task runner's promises that no other test pinned, each seen from the outside: the
states a run reports (to observers, state handlers and in its final result), their
messages, results, run counts, start times and creation times, what the on_success and
on_failure hooks receive, the artifacts and result info a state carries, and the task
runner's log lines.

Written from the task runner's module documentation and the signals' documentation
(`proctor.core.signals`); each expected value is written out. Times come from the run's
injected clock (`FakeClock`), or from a stand-in for the task runner's own wall-clock
reading where the runner reads it directly.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from types import SimpleNamespace

from proctor import Flow, signals, task
from proctor.core.clock import FakeClock
from proctor.core.context import get_task_run_context
from proctor.core.errors import ProctorError
from proctor.core.observers import RunObserver
from proctor.core.runner import task_runner
from proctor.core.runner.flow_runner import FlowRunner
from proctor.core.runner.timeouts import TaskTimeout, TaskTimeoutSignal
from proctor.results import LocalResult
from proctor.states import (
    Cached,
    Failed,
    Looped,
    Retrying,
    Running,
    Skipped,
    TimedOut,
    TriggerFailed,
)

#: Where every FakeClock starts (its documented default).
START = 1_700_000_000.0


class Recorder(RunObserver):
    """Every task run state the flow run reports, in order."""

    def __init__(self) -> None:
        self.states: list = []

    def task_run_state(self, context, change) -> None:
        self.states.append(change.state)

    def of(self, kind: type) -> list:
        return [state for state in self.states if type(state) is kind]


def transitions_into(seen: list):
    """A state handler keeping (old state's name, new state's name, new message)."""

    def handler(task_, old, new):
        seen.append((type(old).__name__, type(new).__name__, new.message))
        return new

    return handler


# -- upstream skips and triggers ----------------------------------------------------------------


def test_a_reduce_over_a_mapped_task_with_one_skipped_child_is_skipped_without_running():
    seen: list = []
    reduced: list = []

    @task
    def keep_odd(x: int) -> int:
        if x % 2 == 0:
            raise signals.SKIP("even")
        return x

    @task(state_handlers=[transitions_into(seen)])
    def total(xs: list[int]) -> int:
        reduced.append(xs)
        return sum(xs)

    with Flow("skipped-child") as flow:
        node = total(keep_odd.map([1, 2, 3]))
    state = flow.run().result[node]
    assert type(state) is Skipped
    assert state.message == "An upstream task was skipped"
    assert reduced == []
    # It never started: the handlers see it leave the Pending state it waited in.
    assert seen == [("Pending", "Skipped", "An upstream task was skipped")]


class Never:
    """A trigger that is an object, not a function: it has no __name__."""

    def __call__(self, upstream) -> bool:
        return False

    def __repr__(self) -> str:
        return "Never()"


def test_a_trigger_without_a_name_is_named_by_its_repr_when_it_does_not_pass():
    seen: list = []

    @task(trigger=Never(), state_handlers=[transitions_into(seen)])
    def guarded() -> str:
        return "ran"

    with Flow("nameless-trigger") as flow:
        node = guarded()
    state = flow.run().result[node]
    assert type(state) is TriggerFailed
    assert state.message == "Trigger Never() did not pass"
    assert seen == [("Pending", "TriggerFailed", "Trigger Never() did not pass")]


# -- what a state carries ------------------------------------------------------------------------


def test_the_artifacts_an_attempt_published_travel_with_its_state():
    from proctor.artifacts import create_markdown_artifact

    @task
    def report() -> int:
        create_markdown_artifact("# Done", key="summary")
        return 1

    with Flow("with-artifacts") as flow:
        node = report()
    artifacts = flow.run().result[node].artifacts
    assert [(a.type, a.key, a.data, a.task_slug) for a in artifacts] == [
        ("markdown", "summary", {"markdown": "# Done"}, "report")
    ]


def test_the_running_state_and_the_cached_time_are_the_runners_own_reading(monkeypatch):
    # The task runner reads the wall clock once for the start and once for the cache
    # time; a stand-in reading makes both exact.
    monkeypatch.setattr(task_runner, "time", SimpleNamespace(time=lambda: 1_234_567.0))
    started: list = []

    def handler(task_, old, new):
        if type(new) is Running:
            started.append(new.created)
        return new

    @task(cache_for=60, state_handlers=[handler])
    def cached_once() -> str:
        return "value"

    with Flow("runner-readings") as flow:
        node = cached_once()
    state = flow.run().result[node]
    assert type(state) is Cached
    assert state.cached_at == 1_234_567.0
    assert started == [1_234_567.0]


def test_a_reused_cached_result_leaves_the_running_state_for_the_handlers():
    seen: list = []

    @task(cache_for=3600, state_handlers=[transitions_into(seen)])
    def expensive() -> int:
        return 42

    with Flow("reuse-handlers") as flow:
        node = expensive()
    assert flow.run().result[node].result == 42
    seen.clear()
    again = flow.run().result[node]
    assert again.message == "Reused a cached result"
    assert seen == [
        ("Pending", "Running", None),
        ("Running", "Cached", "Reused a cached result"),
    ]


def test_a_persisted_result_is_described_and_an_unpersisted_one_is_not(tmp_path):
    @task
    def kept() -> str:
        return "kept"

    @task(checkpoint=False)
    def scratch() -> str:
        return "scratch"

    with Flow("described", result=LocalResult(dir=str(tmp_path))) as flow:
        kept_node = kept()
        scratch_node = scratch()
    state = flow.run()
    kept_state = state.result[kept_node]
    info = kept_state.result_info
    assert info is not None
    assert info.location == str(tmp_path / kept_state.result_location)
    assert info.result_type == "LocalResult"
    assert state.result[scratch_node].result_info is None


def test_a_target_found_in_place_is_reused_with_its_description(tmp_path):
    calls: list = []

    @task(target="out-{x}.bin")
    def produce(x: int) -> int:
        calls.append(x)
        return x * 2

    with Flow("target-found", result=LocalResult(dir=str(tmp_path))) as flow:
        node = produce(5)
    assert flow.run().result[node].result == 10
    again = flow.run().result[node]
    assert calls == [5]
    assert type(again) is Cached
    assert again.message == "Target out-5.bin exists"
    assert again.result == 10
    assert again.result_info.location == str(tmp_path / "out-5.bin")


# -- LOOP ------------------------------------------------------------------------------------


def test_loop_iterations_report_their_count_and_default_message_and_leave_the_running_state():
    seen: list = []

    def handler(task_, old, new):
        if type(new) is Running:
            return Running("iterating")  # the handlers' own Running state is the one left
        loop_count = new.loop_count if type(new) is Looped else None
        seen.append((type(old).__name__, old.message, type(new).__name__, new.message, loop_count))
        return new

    @task(state_handlers=[handler])
    def three_steps() -> str:
        context = get_task_run_context()
        if context.loop_count == 1:
            raise signals.LOOP(result="first")
        if context.loop_count == 2:
            raise signals.LOOP("second pass", result="second")
        return f"done after {context.loop_result}"

    with Flow("loop-messages") as flow:
        node = three_steps()
    state = flow.run().result[node]
    assert state.result == "done after second"
    assert seen == [
        ("Running", "iterating", "Looped", "Task is looping (1)", 1),
        ("Running", "iterating", "Looped", "second pass", 2),
        ("Running", "iterating", "Success", None, None),
    ]


def test_a_loop_whose_next_iteration_fails_ends_failed():
    @task
    def loops_then_fails() -> None:
        if get_task_run_context().loop_count == 1:
            raise signals.LOOP(result="once")
        raise ValueError("second iteration broke")

    with Flow("loop-then-fail") as flow:
        node = loops_then_fails()
    state = flow.run().result[node]
    assert type(state) is Failed
    assert state.message == "ValueError: second iteration broke"


# -- RETRY, retries and timeouts -----------------------------------------------------------------


def test_retry_signals_keep_their_message_result_attempt_and_start_time():
    clock = FakeClock()
    attempts: list = []

    @task
    def polls() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise signals.RETRY("not yet", result="partial")
        if len(attempts) == 2:
            raise signals.RETRY("later", start_time=clock.now() + 5, result="more")
        return "ready"

    with Flow("retry-signals") as flow:
        node = polls()
    recorder = Recorder()
    final = FlowRunner(flow, observers=[recorder], clock=clock).run()
    assert final.result[node].result == "ready"
    retries = [(s.message, s.result, s.run_count, s.start_time) for s in recorder.of(Retrying)]
    assert retries == [
        ("not yet", "partial", 1, START),  # no start time given: now, by the run's clock
        ("later", "more", 2, START + 5),
    ]
    assert [until - since for since, until in clock.waits] == [5]


def test_a_retry_delay_may_be_a_timedelta_and_the_retry_holds_the_error():
    clock = FakeClock()
    attempts: list = []

    @task(retries=1, retry_delay=lambda attempt: timedelta(seconds=30 * attempt))
    def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise ValueError("down")
        return "up"

    with Flow("timedelta-delay") as flow:
        node = flaky()
    recorder = Recorder()
    final = FlowRunner(flow, observers=[recorder], clock=clock).run()
    assert final.result[node].result == "up"
    (retrying,) = recorder.of(Retrying)
    assert retrying.start_time == START + 30
    assert retrying.message == "Retry 1 of 1 after: ValueError: down"
    assert isinstance(retrying.result, ValueError)
    assert str(retrying.result) == "down"


def test_a_timed_out_attempt_is_retried_at_the_run_clocks_time_plus_the_delay():
    clock = FakeClock()
    release = threading.Event()

    # Both attempts hang until the test ends: the timeout, not the task, ends each one.
    @task(timeout=0.05, retries=1, retry_delay=10)
    def hangs() -> None:
        release.wait()

    with Flow("timeout-retry") as flow:
        node = hangs()
    recorder = Recorder()
    try:
        final = FlowRunner(flow, observers=[recorder], clock=clock).run()
    finally:
        release.set()
    assert type(final.result[node]) is TimedOut
    (retrying,) = recorder.of(Retrying)
    assert retrying.start_time == START + 10
    assert retrying.message == "Retry 1 of 1 after: Task did not finish within 0.05 seconds"
    assert isinstance(retrying.result, TaskTimeoutSignal)
    assert [until - since for since, until in clock.waits] == [10]


def test_a_task_timeout_reaching_the_runner_ends_the_run_timed_out():
    # What a timeout's interrupt raises inside the interrupted code.
    interrupt = TaskTimeout()

    @task
    def interrupted() -> None:
        raise interrupt

    with Flow("interrupted") as flow:
        node = interrupted()
    state = flow.run().result[node]
    assert type(state) is TimedOut
    assert state.message == "Task 'interrupted' timed out"
    assert state.result is interrupt


# -- errors the runner reports itself ----------------------------------------------------------


def test_a_task_run_name_that_cannot_be_rendered_fails_the_run_with_the_error():
    seen: list = []

    @task(task_run_name="run-{missing}", state_handlers=[transitions_into(seen)])
    def named() -> str:
        return "ran"

    with Flow("bad-name") as flow:
        node = named()
    state = flow.run().result[node]
    assert type(state) is Failed
    assert state.message.startswith(
        "task_run_name of task 'named' uses {missing}, which is not known; available: "
    )
    assert isinstance(state.result, ProctorError)
    assert str(state.result) == state.message
    # The name is rendered before the run starts: it leaves Pending.
    assert seen == [("Pending", "Failed", state.message)]


# -- hooks -----------------------------------------------------------------------------------------


def test_on_failure_alone_is_called_with_the_task_and_its_failed_state():
    received: list = []

    def on_failure(task_, state):
        received.append((task_, type(state).__name__, state.message))

    @task(on_failure=on_failure)
    def breaks() -> None:
        raise ValueError("no")

    with Flow("on-failure") as flow:
        node = breaks()
    flow.run()
    assert [(t.name, kind, message) for t, kind, message in received] == [
        ("breaks", "Failed", "ValueError: no")
    ]
    assert received[0][0] is node.task


def test_on_success_alone_is_called_with_the_task_and_its_state():
    received: list = []

    def on_success(task_, state):
        received.append((task_, type(state).__name__, state.result))

    @task(on_success=on_success)
    def works() -> int:
        return 7

    with Flow("on-success") as flow:
        node = works()
    flow.run()
    assert [(t.name, kind, result) for t, kind, result in received] == [("works", "Success", 7)]
    assert received[0][0] is node.task


# -- log lines ---------------------------------------------------------------------------------


def test_a_failed_attempt_is_logged_with_the_task_the_error_and_the_run(caplog):
    attempts: list = []

    @task(retries=1, retry_delay=0)
    def breaks() -> None:
        attempts.append(1)
        raise ValueError(f"no {len(attempts)}")

    with Flow("logged-failures") as flow:
        breaks()
    with caplog.at_level(logging.WARNING, logger="proctor.task_runner"):
        FlowRunner(flow, clock=FakeClock()).run(flow_run_id="run-id-1")
    records = [r for r in caplog.records if r.name == "proctor.task_runner"]
    assert [(r.levelname, r.getMessage()) for r in records] == [
        ("WARNING", "Task breaks failed, will retry: ValueError: no 1"),
        ("ERROR", "Task breaks failed: ValueError: no 2"),
    ]
    for record in records:
        assert (record.flow_name, record.flow_run_id, record.task_slug, record.map_index) == (
            "logged-failures",
            "run-id-1",
            "breaks",
            None,
        )
    assert records[0].exc_info is None
    assert records[1].exc_info is not None
    assert str(records[1].exc_info[1]) == "no 2"
