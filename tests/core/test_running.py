"""Running flows locally: results, mapping, triggers, signals, branches, hooks."""

from __future__ import annotations

import logging
import threading

import pytest

from proctor import (
    Flow,
    Parameter,
    case,
    flatten,
    flow,
    get_run_logger,
    merge,
    signals,
    task,
    unmapped,
)
from proctor.core.observers import RunObserver
from proctor.executors import LocalExecutor, ThreadExecutor
from proctor.states import (
    Cancelled,
    Failed,
    Mapped,
    Paused,
    Skipped,
    Success,
    TriggerFailed,
)
from proctor.triggers import all_failed, all_finished, any_failed, manual_only, some_successful


@task
def inc(x):
    return x + 1


@task
def add(x, y):
    return x + y


@task
def total(values):
    return sum(values)


@task
def numbers(n):
    return list(range(n))


@task
def boom(x=None):
    raise ValueError(f"boom {x}")


EXECUTORS = [LocalExecutor, lambda: ThreadExecutor(max_workers=4)]


@pytest.fixture(params=EXECUTORS, ids=["local", "thread"])
def executor(request):
    return request.param()


def test_result_maps_nodes_to_task_states(executor):
    @flow
    def arith(n: int = 2):
        a = inc(n)
        return add(a, 10)

    state = arith.run(n=5, executor=executor)
    assert state.is_successful() and isinstance(state, Success)
    (b,) = arith.get_tasks(name="add")
    assert state.result[b].result == 16
    assert state.result["inc"].result == 6
    assert state.result[arith.parameters["n"]].result == 5
    assert all(s.is_finished() for s in state.result.values())


def test_map_reduce_nested_maps_and_unmapped(executor):
    with Flow("maps") as f:
        xs = numbers(Parameter("n", default=4))
        once = inc.map(xs)
        twice = add.map(once, unmapped(100))
        summed = total(twice)
    state = f.run(executor=executor)
    assert state.is_successful()
    assert isinstance(state.result[once], Mapped)
    assert state.result[once].result == [1, 2, 3, 4]
    assert [s.result for s in state.result[twice].map_states] == [101, 102, 103, 104]
    assert state.result[summed].result == 410


def test_map_over_constant_list_flatten_and_empty_list(executor):
    @task
    def pairs(n):
        return [[i, i] for i in range(n)]

    with Flow("flat") as f:
        over_constant = inc.map([10, 20])
        flat = inc.map(flatten(pairs(2)))
        empty = inc.map(numbers(0))
        after_empty = total(empty)
    state = f.run(executor=executor)
    assert state.result[over_constant].result == [11, 21]
    assert state.result[flat].result == [1, 1, 2, 2]
    assert state.result[empty].result == [] and state.result[after_empty].result == 0


def test_failed_child_fails_its_own_chain_only(executor):
    @task
    def fragile(x):
        if x == 2:
            raise RuntimeError("two is bad")
        return x

    with Flow("partial") as f:
        first = fragile.map([1, 2, 3])
        second = inc.map(first)
        summed = total(second)
        tolerant = total.copy(trigger=all_finished)(numbers(3))
    state = f.run(executor=executor)
    assert state.is_failed()
    children = state.result[second].map_states
    assert [type(s) for s in children] == [Success, TriggerFailed, Success]
    assert state.result[first].is_failed()
    assert isinstance(state.result[summed], TriggerFailed)
    assert state.result[tolerant].result == 3
    assert "two is bad" in state.result[first].map_states[1].message


def test_mapping_over_a_non_list_fails_clearly():
    with Flow("notalist") as f:
        mapped = inc.map(inc(1))
    state = f.run()
    assert isinstance(state.result[mapped], Failed)
    assert "not a list" in state.result[mapped].message


def test_triggers(executor):
    with Flow("triggers") as f:
        bad = boom()
        good = inc(1)
        cleanup = inc.copy(trigger=all_failed)(1, upstream_tasks=[bad])
        alert = inc.copy(trigger=any_failed)(1, upstream_tasks=[bad, good])
        normal = inc(1, upstream_tasks=[bad])
        some = inc.copy(trigger=some_successful(at_least=1))(1, upstream_tasks=[bad, good])
        strict = inc.copy(trigger=some_successful(at_least=2))(1, upstream_tasks=[bad, good])
    f.set_reference_tasks([cleanup, alert])
    state = f.run(executor=executor)
    assert state.result[cleanup].is_successful()
    assert state.result[alert].is_successful()
    assert isinstance(state.result[normal], TriggerFailed)
    assert state.result[some].is_successful()
    assert isinstance(state.result[strict], TriggerFailed)
    assert state.is_successful()  # decided by the reference tasks only


def test_signals_choose_the_outcome(executor):
    @task
    def skipper():
        raise signals.SKIP("nothing to do")

    @task
    def failer():
        raise signals.FAIL("refused")

    @task
    def succeeder():
        raise signals.SUCCESS("early", result=7)

    @task
    def ender():
        raise signals.ENDRUN(Failed("custom end"))

    with Flow("signals") as f:
        s = skipper()
        after_skip = inc(1, upstream_tasks=[s])
        keeps_going = inc.copy(skip_on_upstream_skip=False)(1, upstream_tasks=[s])
        fl = failer()
        ok = succeeder()
        end = ender()
    state = f.run(executor=executor)
    assert isinstance(state.result[s], Skipped) and state.result[s].message == "nothing to do"
    assert state.result[after_skip].is_skipped()
    assert state.result[keeps_going].result == 2
    assert isinstance(state.result[fl], Failed) and state.result[fl].message == "refused"
    assert state.result[ok].result == 7
    assert state.result[end].message == "custom end"


def test_case_and_merge(executor):
    @task
    def is_big(n):
        return n > 10

    @task
    def label(text):
        return text

    @flow
    def branches(n: int = 5):
        big = is_big(n)
        with case(big, True):
            yes = label("big")
        with case(big, False):
            no = label("small")
            no_more = inc(1, upstream_tasks=[no])
        merge(yes, no)
        return no_more

    small = branches.run(n=3, executor=executor)
    assert small.is_successful()
    assert small.result["merge"].result == "small"
    assert small.result["label"].is_skipped()
    assert small.result["inc"].result == 2
    big = branches.run(n=30, executor=executor)
    assert big.result["merge"].result == "big"
    assert big.result["label-2"].is_skipped()
    assert big.result["inc"].is_skipped()


def test_reference_tasks_decide_the_flow_state():
    with Flow("refs") as f:
        failing = boom()
        fine = inc(1)
    assert f.run().is_failed()
    f.set_reference_tasks([fine])
    state = f.run()
    assert state.is_successful()
    assert state.result[failing].is_failed()


def test_upstream_tasks_order_without_data():
    order = []

    @task
    def record(name):
        order.append(name)

    with Flow("order") as f:
        first = record("first")
        record("second", upstream_tasks=[first])
    f.run()
    assert order == ["first", "second"]


def test_hooks_and_state_handlers(executor):
    seen = []
    lock = threading.Lock()

    def handler(t, old, new):
        with lock:
            seen.append((t.name, old.name, new.name))
        if isinstance(new, Failed):
            return Failed("rewritten by handler", new.result)
        return None

    def on_failure(t, state):
        with lock:
            seen.append(("on_failure", state.message))

    def on_success(t, state):
        with lock:
            seen.append(("on_success", state.result))

    hooked_fail = boom.copy(state_handlers=[handler], on_failure=on_failure)
    hooked_ok = inc.copy(on_success=on_success)
    flow_events = []

    with Flow(
        "hooks",
        state_handlers=[lambda fl, old, new: flow_events.append((old.name, new.name))],
        on_failure=lambda fl, state: flow_events.append(("failed", state.message)),
    ) as f:
        bad = hooked_fail()
        hooked_ok(1)
    state = f.run(executor=executor)
    assert state.result[bad].message == "rewritten by handler"
    assert ("boom", "Pending", "Running") in seen
    assert ("boom", "Running", "Failed") in seen
    assert ("on_failure", "rewritten by handler") in seen
    assert ("on_success", 2) in seen
    assert flow_events[0] == ("Pending", "Running")
    assert flow_events[1] == ("Running", "Failed")
    assert flow_events[2][0] == "failed"


def test_pause_and_resume():
    with Flow("approval") as f:
        prepared = inc(1)
        approved = inc.copy(trigger=manual_only)(prepared)
        shipped = inc(approved)
    first = f.run()
    assert isinstance(first, Paused)
    assert isinstance(first.result[approved], Paused)
    assert first.result[shipped].is_pending()
    second = f.run(task_states=first.result, resume=[approved])
    assert second.is_successful()
    assert second.result[shipped].result == 4


def test_pause_signal_inside_a_task():
    @task
    def ask():
        raise signals.PAUSE("needs a human")

    with Flow("pause") as f:
        asked = ask()
    state = f.run()
    assert isinstance(state, Paused)
    assert state.result[asked].message == "needs a human"


def test_restart_reuses_successful_states_and_reruns_failures(tmp_path):
    marker = tmp_path / "fixed"
    calls = []

    @task
    def flaky(x):
        calls.append(x)
        if x == 2 and not marker.exists():
            raise RuntimeError("not yet")
        return x * 10

    with Flow("restart") as f:
        mapped = flaky.map([1, 2, 3])
        summed = total(mapped)
    first = f.run()
    assert first.is_failed()
    marker.write_text("ok")
    calls.clear()
    second = f.run(task_states=first.result)
    assert second.is_successful()
    assert calls == [2]  # only the failed child ran again
    assert second.result[summed].result == 60


def test_run_logger_records_carry_the_run(caplog):
    @task
    def chatty(x):
        get_run_logger().info("working on %s", x)
        return x

    with Flow("logs") as f:
        chatty.map([1, 2])
    with caplog.at_level(logging.INFO, logger="proctor"):
        f.run(flow_run_id="run-123")
    records = [r for r in caplog.records if r.getMessage().startswith("working on")]
    assert [(r.flow_run_id, r.task_slug, r.map_index) for r in records] == [
        ("run-123", "chatty", 0),
        ("run-123", "chatty", 1),
    ]


def test_log_stdout_sends_prints_to_the_run_logger(caplog, capsys):
    @task(log_stdout=True)
    def printer():
        print("hello from the task")
        return 1

    @task
    def quiet_printer():
        print("plain stdout")

    with Flow("stdout") as f:
        printer()
        quiet_printer()
    with caplog.at_level(logging.INFO, logger="proctor"):
        f.run()
    messages = [r.getMessage() for r in caplog.records]
    assert "hello from the task" in messages
    assert "plain stdout" not in messages
    assert "plain stdout" in capsys.readouterr().out


class Recorder(RunObserver):
    def __init__(self):
        self.changes = []
        self.flow_states = []
        self.lock = threading.Lock()

    def flow_run_state(self, context, state):
        self.flow_states.append(state.name)

    def task_run_state(self, context, change):
        with self.lock:
            self.changes.append((change.task_slug, change.map_index, change.state.name))


def test_observers_see_every_task_run_change(executor):
    with Flow("observed") as f:
        total(inc.map([1, 2]))
    recorder = Recorder()
    f.run(executor=executor, observers=[recorder])
    assert recorder.flow_states == ["Running", "Success"]
    changes = recorder.changes
    assert ("inc", None, "Running") in changes
    assert ("inc", 0, "Running") in changes and ("inc", 1, "Success") in changes
    assert ("inc", None, "Mapped") in changes
    assert changes.index(("total", None, "Running")) < changes.index(("total", None, "Success"))


def test_cancel_stops_unstarted_task_runs():
    from proctor.core.runner.flow_runner import FlowRunner

    started = threading.Event()
    release = threading.Event()

    @task
    def gate():
        started.set()
        release.wait(5)
        return 1

    with Flow("cancel") as f:
        after = inc(gate())
    runner = FlowRunner(f, executor=ThreadExecutor(2))
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("state", runner.run()))
    thread.start()
    assert started.wait(5)
    runner.cancel()
    release.set()
    thread.join(10)
    state = outcome["state"]
    assert isinstance(state, Cancelled)
    assert isinstance(state.result[after], Cancelled)
