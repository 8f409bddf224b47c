"""The flow runner's smaller promises, each pinned: reading a run's states by node, slug
or task; task_states and resume given by slug or task; a retry carried over from another
process; templates given as callables; printed lines with Windows line ends; answering
a pause at the terminal.

Written from DESIGN.md ("reading a run", "flow.run(task_states=..., resume=[...])") and
the module docs of the runner; each expectation is the documented behaviour.
"""

from __future__ import annotations

import io
import logging
import sys

import pytest

from proctor import Flow, task
from proctor.core.runner import approval
from proctor.core.runner.caching import cache_key
from proctor.results import LocalResult
from proctor.states import Cancelled, Failed, Paused, Pending, Retrying, Success
from proctor.triggers import manual_only


@task
def one() -> int:
    return 1


@task
def add(x: int, y: int) -> int:
    return x + y


def two_adds() -> tuple[Flow, object, object]:
    with Flow("lookups") as flow:
        first = add(1, 2)
        second = add(first, 10)
    return flow, first, second


def test_states_are_found_by_node_by_slug_and_by_a_task_used_once():
    with Flow("by-task") as flow:
        node = one()
    state = flow.run()
    assert state.result[node].result == 1
    assert state.result["one"].result == 1
    assert state.result[one].result == 1


def test_a_task_used_twice_must_be_named_by_its_node():
    flow, first, second = two_adds()
    state = flow.run()
    assert (state.result[first].result, state.result[second].result) == (3, 13)
    with pytest.raises(KeyError, match="Task 'add' ran 2 times; use its node"):
        state.result[add]
    slugs = sorted(node.slug for node in state.result)
    assert state.result[slugs[1]].result in (3, 13)
    with pytest.raises(KeyError) as unknown:
        state.result["no-such-slug"]
    assert unknown.value.args == ("no-such-slug",)
    with pytest.raises(KeyError) as unused:
        state.result[one]
    assert unused.value.args == (one,)


def test_task_states_may_name_a_node_by_slug_or_by_its_task():
    calls = []

    @task
    def counted() -> str:
        calls.append(1)
        return "ran"

    with Flow("given") as flow:
        node = counted()
    for key in (node, node.slug, counted):
        state = flow.run(task_states={key: Success(result="given")})
        assert state.result[node].result == "given"
    assert calls == []


def test_task_states_naming_a_task_used_twice_is_refused():
    flow, _first, _second = two_adds()
    with pytest.raises(KeyError, match="does not name exactly one task of the flow"):
        flow.run(task_states={add: Success(result=0)})


def test_resume_may_name_the_paused_task_by_slug():
    @task(trigger=manual_only)
    def approve() -> str:
        return "approved"

    with Flow("resume-by-slug") as flow:
        node = approve()
    first = flow.run()
    assert type(first.result[node]) is Paused
    second = flow.run(task_states=first.result, resume=[node.slug])
    assert second.result[node].result == "approved"


def test_a_retry_from_another_process_with_no_start_time_runs_now_as_the_next_attempt():
    seen = []

    def handler(task_, old, new):
        seen.append((type(old).__name__, type(new).__name__))
        return new

    @task(retries=3, retry_delay=0, state_handlers=[handler])
    def flaky() -> str:
        return "ok"

    with Flow("carry-on-now") as flow:
        node = flaky()
    earlier = Retrying("retry 1", start_time=None, run_count=1)
    state = flow.run(task_states={node: earlier})
    assert state.result[node].result == "ok"
    # The attempt leaves the Retrying state it was carried over in.
    assert seen[0] == ("Retrying", "Running")


def test_templates_may_be_callables_given_the_same_names(tmp_path):
    @task(
        result=LocalResult(dir=str(tmp_path)),
        target=lambda task_name, x, **rest: f"{task_name}-{x}.out",
    )
    def produce(x: int) -> int:
        return x * 2

    with Flow("callable-target") as flow:
        produce(21)
    assert flow.run().is_successful()
    assert (tmp_path / "produce-21.out").exists()


def test_the_default_cache_key_names_the_flow_the_task_and_the_map_index():
    keys = []

    @task(cache_for=60)
    def square(x: int) -> int:
        from proctor.core.context import get_task_run_context

        keys.append(cache_key(square, get_task_run_context(), {"x": x}))
        return x * x

    with Flow("keys") as flow:
        square.map([1, 2])
        square(3)
    assert flow.run().is_successful()
    slugs = sorted(keys)
    assert "keys/square[0]" in slugs and "keys/square[1]" in slugs
    assert any(key.startswith("keys/square") and "[" not in key for key in slugs)


def test_a_cache_key_template_is_rendered_with_the_run_values():
    @task(cache_for=60, cache_key="{task_name}-{x}")
    def cube(x: int) -> int:
        return x**3

    calls = []

    @task(cache_for=60, cache_key="shared-{x}")
    def other(x: int) -> int:
        calls.append(x)
        return -x

    with Flow("templated-key") as flow:
        cube(2)
        other(2)
    assert flow.run().is_successful()
    assert flow.run().is_successful()
    assert calls == [2]


def test_a_cache_key_template_with_an_unknown_name_fails_the_task_saying_what_for():
    @task(cache_for=60, cache_key="{nope}")
    def keyed() -> int:
        return 1

    with Flow("bad-key") as flow:
        node = keyed()
    state = flow.run().result[node]
    assert state.is_failed()
    assert state.message.startswith("cache_key of task 'keyed' uses {nope}, which is not known")


class MarkedStream(io.StringIO):
    marker = "the real stream"


def test_printed_windows_line_ends_and_several_lines_in_one_write(caplog, monkeypatch):
    monkeypatch.setattr(sys, "stdout", MarkedStream())

    @task(log_stdout=True)
    def printer() -> str:
        sys.stdout.write("first\r\nsecond\r\nthird\n")
        # Attributes of the real stream stay reachable through the capture.
        return sys.stdout.marker

    with Flow("crlf") as flow:
        node = printer()
    with caplog.at_level(logging.INFO, logger="proctor"):
        state = flow.run()
    assert state.result[node].result == "the real stream"
    lines = [r.getMessage() for r in caplog.records if getattr(r, "task_slug", None) == "printer"]
    assert lines == ["first", "second", "third"]


class Closed(io.StringIO):
    pass


def test_someone_can_answer_only_on_an_open_terminal_or_supplied_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    assert approval.someone_can_answer() is False
    closed = Closed()
    closed.close()
    monkeypatch.setattr(sys, "stdin", closed)
    assert approval.someone_can_answer() is False
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    assert approval.someone_can_answer() is True

    class NotATerminal(io.StringIO):
        def isatty(self) -> bool:
            return False

    class Broken(io.StringIO):
        def isatty(self) -> bool:
            raise OSError("gone")

    for stream, expected in ((NotATerminal(), False), (Broken(), False)):
        monkeypatch.setattr(sys, "__stdin__", stream)
        monkeypatch.setattr(sys, "stdin", stream)
        assert approval.someone_can_answer() is expected


def test_a_paused_task_is_approved_at_the_terminal(monkeypatch, capsys):
    @task(trigger=manual_only)
    def approve() -> str:
        return "approved"

    with Flow("approve-here") as flow:
        node = approve()
    monkeypatch.setattr(sys, "stdin", io.StringIO("n\ny\n"))
    state = flow.run()
    assert state.result[node].result == "approved"
    asked = capsys.readouterr().out
    assert asked.count("<Task: approve> is currently Paused; enter 'y' to resume:") == 2


def test_input_that_ends_leaves_the_task_paused(monkeypatch):
    @task(trigger=manual_only)
    def approve() -> str:
        return "approved"

    with Flow("no-answer") as flow:
        node = approve()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert type(flow.run().result[node]) is Paused
    assert approval.paused_tasks({node: Paused(), "x": Pending()}) == [node]


def test_observers_hear_the_task_name_and_the_attempt_of_each_change():
    from proctor.core.observers import RunObserver

    heard = []

    class Listener(RunObserver):
        def task_run_state(self, context, change):
            heard.append((context.flow_name, change.task_name, change.run_count, change.state.name))

    attempts = []

    @task(name="Flaky one", retries=1, retry_delay=0)
    def flaky() -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("first")
        return 1

    with Flow("heard") as flow:
        flaky()
    assert flow.run(observers=[Listener()]).is_successful()
    assert heard[0] == ("heard", "Flaky one", 1, "Running")
    assert heard[-1] == ("heard", "Flaky one", 2, "Success")
    assert {name for _, name, _, _ in heard} == {"Flaky one"}


def test_a_terminal_state_handler_sees_the_reference_states_and_may_replace_the_end():
    from proctor.states import Failed

    seen = []

    def handler(flow, final, reference):
        seen.append((flow.name, type(final).__name__, sorted(s.name for s in reference)))
        return Failed("replaced") if flow.name == "replace" else None

    for name in ("replace", "keep"):
        with Flow(name, terminal_state_handler=handler) as flow:
            one()
        final = flow.run()
        assert final.message == ("replaced" if name == "replace" else final.message)
        assert final.is_failed() is (name == "replace")
    assert seen == [("replace", "Success", ["Success"]), ("keep", "Success", ["Success"])]


def test_a_looping_task_with_state_handlers_shows_each_iteration():
    from proctor import signals
    from proctor.core.context import get_task_run_context

    transitions = []

    def handler(task_, old, new):
        transitions.append((old.name, new.name))
        return new

    @task(state_handlers=[handler])
    def count_to_three() -> int:
        context = get_task_run_context()
        done = (context.loop_result or 0) + 1
        if done < 3:
            raise signals.LOOP(f"at {done}", result=done)
        return done

    with Flow("looping") as flow:
        node = count_to_three()
    assert flow.run().result[node].result == 3
    assert transitions == [
        ("Pending", "Running"),
        ("Running", "Looped"),
        ("Pending", "Running"),
        ("Running", "Looped"),
        ("Pending", "Running"),
        ("Running", "Success"),
    ]


def test_a_task_run_name_is_rendered_from_the_inputs():
    from proctor.core.context import get_task_run_context

    names = []

    @task(task_run_name="square-{x}")
    def square(x: int) -> int:
        names.append(get_task_run_context().task_run_name)
        return x * x

    @task(task_run_name=lambda x, **rest: f"by-callable-{x}")
    def halve(x: int) -> float:
        names.append(get_task_run_context().task_run_name)
        return x / 2

    @task(task_run_name="{missing}")
    def unnamed() -> int:
        return 1

    with Flow("named") as flow:
        square(3)
        halve(4)
        bad = unnamed()
    state = flow.run()
    assert sorted(names) == ["by-callable-4", "square-3"]
    assert state.result[bad].message.startswith("task_run_name of task 'unnamed' uses {missing}")


def test_a_unit_pickles_whole_and_names_itself():
    import pickle

    from proctor.core.runner.unit import TaskRunUnit

    # The task itself travels with cloudpickle in real runs; None keeps this about the unit.
    unit = TaskRunUnit(3, None, "one", {"x": 1}, [], map_index=2, run_count=4, resumed=True)
    unit.started_at = 5.0
    copy = pickle.loads(pickle.dumps(unit))
    for name in TaskRunUnit.__slots__:
        assert getattr(copy, name) == getattr(unit, name), name
    assert repr(copy) == "<TaskRunUnit one[2] run 4>"
    assert repr(TaskRunUnit(0, one, "one", {}, [])) == "<TaskRunUnit one run 1>"


def test_a_target_that_exists_is_reused_and_says_so(tmp_path):
    calls = []

    @task(result=LocalResult(dir=str(tmp_path)), target="{task_name}.out")
    def produce() -> int:
        calls.append(1)
        return 5

    with Flow("target-kept") as flow:
        node = produce()
    flow.run()
    again = flow.run().result[node]
    assert (again.result, again.message, again.result_location) == (
        5,
        "Target produce.out exists",
        "produce.out",
    )
    assert len(calls) == 1


def test_a_reused_cache_entry_says_when_and_where_it_came_from(tmp_path):
    @task(cache_for=60, result=LocalResult(dir=str(tmp_path)))
    def produce() -> int:
        return 5

    with Flow("cache-kept") as flow:
        node = produce()
    first = flow.run().result[node]
    again = flow.run().result[node]
    assert again.message == "Reused a cached result"
    assert again.result_location == first.result_location is not None
    assert again.cached_at is not None and again.cached_at <= again.created


def test_templates_that_cannot_render_say_why():
    @task(task_run_name=lambda **values: "")
    def empty() -> int:
        return 1

    @task(task_run_name="{x:d}")
    def wrong_format(x: str) -> str:
        return x

    with Flow("bad-templates") as flow:
        first = empty()
        second = wrong_format("text")
    state = flow.run()
    assert state.result[first].message == (
        "task_run_name of task 'empty' must render to a non-empty string, got ''."
    )
    assert state.result[second].message.startswith(
        "task_run_name of task 'wrong_format' could not be rendered: ValueError: "
    )


def test_a_failed_task_logs_where_it_failed(caplog):
    @task
    def boom(x: int) -> int:
        raise ValueError(f"bad {x}")

    with Flow("logged") as flow:
        boom.map([1])
    with caplog.at_level(logging.ERROR, logger="proctor"):
        flow.run()
    [record] = [r for r in caplog.records if r.getMessage().startswith("Task boom")]
    assert record.getMessage() == "Task boom[0] failed: ValueError: bad 1"
    assert (record.flow_name, record.task_slug, record.map_index) == ("logged", "boom", 0)


def test_a_timed_task_gets_its_inputs_and_its_error_comes_back():
    @task(timeout=30)
    def divide(a: int, b: int) -> float:
        return a / b

    with Flow("timed") as flow:
        good = divide(6, 3)
        bad = divide(1, 0)
    state = flow.run()
    assert state.result[good].result == 2
    assert isinstance(state.result[bad].result, ZeroDivisionError)
    assert state.result[bad].message == "ZeroDivisionError: division by zero"


@pytest.mark.parametrize("with_handlers", [False, True], ids=["plain", "with-handlers"])
def test_each_loop_iteration_gets_the_count_and_the_last_result(with_handlers):
    from proctor import signals
    from proctor.core.context import get_task_run_context

    seen = []
    handlers = [lambda task_, old, new: new] if with_handlers else []

    @task(state_handlers=handlers)
    def looper() -> int:
        context = get_task_run_context()
        seen.append((context.loop_count, context.loop_result))
        if context.loop_count < 3:
            raise signals.LOOP(result=f"after {context.loop_count}")
        return context.loop_count

    with Flow("loop-count") as flow:
        node = looper()
    assert flow.run().result[node].result == 3
    assert seen == [(1, None), (2, "after 1"), (3, "after 2")]


def test_a_cancelled_run_tells_observers_each_unfinished_task_run_why():
    import time as clock

    from proctor.core.observers import RunObserver
    from proctor.core.runner.flow_runner import FlowRunner

    @task
    def numbers() -> list[int]:
        return list(range(20))

    @task
    def slow(x: int) -> int:
        clock.sleep(0.05)
        return x

    with Flow("cancel-why") as flow:
        slow.map(numbers())
    runner = FlowRunner(flow)
    cancelled = []

    class Listener(RunObserver):
        def task_run_state(self, context, change):
            if change.state.name == "Success" and change.map_index == 1:
                runner.cancel()
            if change.state.name == "Cancelled":
                cancelled.append(
                    (context.flow_name, change.task_name, change.map_index, change.state.message)
                )

    runner.observers = [Listener()]
    assert runner.run().is_cancelled()
    assert cancelled, "nothing was reported cancelled"
    assert {(flow_name, name, message) for flow_name, name, _, message in cancelled} == {
        ("cancel-why", "slow", "The flow run was cancelled")
    }
    assert None in {index for _, _, index, _ in cancelled}  # the mapped node itself


def test_a_printed_line_keeps_its_last_letters(caplog):
    @task(log_stdout=True)
    def shout() -> None:
        print("MAX")
        print("tax\r")

    with Flow("letters") as flow:
        shout()
    with caplog.at_level(logging.INFO, logger="proctor"):
        flow.run()
    lines = [r.getMessage() for r in caplog.records if getattr(r, "task_slug", None) == "shout"]
    assert lines == ["MAX", "tax"]


def test_a_target_template_with_an_unknown_name_says_it_is_the_target(tmp_path):
    @task(result=LocalResult(dir=str(tmp_path)), target="{nowhere}.out")
    def produce() -> int:
        return 1

    with Flow("bad-target") as flow:
        node = produce()
    message = flow.run().result[node].message
    assert message.startswith("target of 'produce' uses {nowhere}, which is not known")


# Pinned after mutation testing of flow_runner.py and task_runner.py (issue 15).


def test_a_flow_state_handler_is_given_the_flow_itself():
    given = []

    def handler(flow_, old, new):
        given.append(flow_)

    with Flow("handed-over", state_handlers=[handler]) as flow:
        one()
    flow.run()
    assert given == [flow, flow]  # Pending -> Running, Running -> Success


def test_a_flow_state_handler_replaces_the_final_state_and_the_hooks_see_the_replacement():
    failures = []

    def handler(flow_, old, new):
        return Failed("refused by the handler") if new.is_successful() else None

    with Flow(
        "rewritten",
        state_handlers=[handler],
        on_failure=lambda flow_, state: failures.append((flow_, state.message)),
    ) as flow:
        one()
    state = flow.run()
    assert type(state) is Failed
    assert state.message == "refused by the handler"
    assert failures == [(flow, "refused by the handler")]


def test_a_flow_on_success_hook_is_given_the_flow_and_its_final_state():
    successes = []
    with Flow(
        "succeeded", on_success=lambda flow_, state: successes.append((flow_, state))
    ) as flow:
        node = one()
    state = flow.run()
    assert successes == [(flow, state)]
    assert state.result[node].result == 1


def test_an_observer_is_told_each_flow_run_state_with_the_run_it_belongs_to():
    from proctor.core.observers import RunObserver

    told = []

    class Listener(RunObserver):
        def flow_run_started(self, flow_, context):
            told.append(("started", context))

        def flow_run_state(self, context, state):
            told.append((state.name, context))

    with Flow("told") as flow:
        one()
    flow.run(observers=[Listener()], flow_run_id="run-42")
    assert [name for name, _ in told] == ["started", "Running", "Success"]
    assert {(context.flow_name, context.flow_run_id) for _, context in told} == {("told", "run-42")}


def test_a_flow_run_started_by_name_and_schedule_is_announced_with_them():
    from datetime import UTC, datetime

    from proctor.core.observers import RunObserver
    from proctor.core.runner.flow_runner import FlowRunner

    announced = []

    class Listener(RunObserver):
        def flow_run_started(self, flow_, context):
            announced.append((flow_, context.flow_run_name, context.scheduled_start))

        def flow_run_state(self, context, state):
            announced.append((state.name, state.message))

    with Flow("scheduled") as flow:
        one()
    due = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    runner = FlowRunner(flow, observers=[Listener()])
    state = runner.run(flow_run_name="nightly-run", scheduled_start=due)
    assert state.is_successful()
    assert announced[:2] == [
        (flow, "nightly-run", due),
        ("Running", "Flow run nightly-run started"),
    ]
    assert announced[2] == ("Success", state.message)


def test_a_flow_run_logs_its_start_and_its_end_with_name_state_and_duration(caplog, monkeypatch):
    from types import SimpleNamespace

    from proctor.core.runner import flow_runner
    from proctor.core.runner.flow_runner import FlowRunner

    # The duration's two readings, injected: the log line's number is their difference.
    readings = iter([100.0, 102.5])
    monkeypatch.setattr(flow_runner, "time", SimpleNamespace(perf_counter=lambda: next(readings)))

    @task
    def fail() -> None:
        raise ValueError("no")

    with Flow("logged") as flow:
        fail()
    with caplog.at_level(logging.INFO, logger="proctor.flow_runner"):
        state = FlowRunner(flow).run(flow_run_name="run-7")
    lines = [r.getMessage() for r in caplog.records if r.name == "proctor.flow_runner"]
    assert lines == [
        "Flow run run-7 of 'logged' started",
        f"Flow run run-7 of 'logged' finished Failed in 2.500 s: {state.message}",
    ]


def test_a_requeued_flow_retry_says_which_retry_and_when_and_keeps_the_task_states():
    from proctor.core.clock import FakeClock
    from proctor.core.runner.flow_runner import FlowRunner

    @task
    def boom() -> None:
        raise RuntimeError("down")

    # The delay depends on the attempt: the second retry waits 20 s.
    with Flow("requeued", retries=3, retry_delay=lambda attempt: attempt * 10) as flow:
        node = boom()
    clock = FakeClock()
    state = FlowRunner(flow, max_retry_wait=60, clock=clock).run(run_count=2)
    assert type(state) is Retrying
    # The failed attempt's own message (the walk's, naming the failed task) sits inside.
    assert state.message.startswith("Flow run failed (")
    assert "boom" in state.message
    assert state.message.endswith("); retry 2 of 3 in 20 s")
    assert state.start_time == clock.now() + 20
    assert state.result[node].message == "RuntimeError: down"


def test_a_flow_retry_in_process_is_logged_and_told_to_observers(caplog):
    from proctor.core.clock import FakeClock
    from proctor.core.observers import RunObserver
    from proctor.core.runner.flow_runner import FlowRunner

    retrying = []

    class Listener(RunObserver):
        def flow_run_retrying(self, context, failed):
            retrying.append((context.flow_run_name, type(failed).__name__))

    @task
    def boom() -> None:
        raise RuntimeError("down")

    with Flow("retried", retries=1, retry_delay=5) as flow:
        boom()
    clock = FakeClock()
    runner = FlowRunner(flow, observers=[Listener()], clock=clock)
    with caplog.at_level(logging.WARNING, logger="proctor.flow_runner"):
        state = runner.run(flow_run_name="run-8")
    assert state.is_failed()
    assert retrying == [("run-8", "Failed")]
    warned = [r.getMessage() for r in caplog.records if r.name == "proctor.flow_runner"]
    assert len(warned) == 1
    assert warned[0].startswith("Flow run run-8 of 'retried' failed (")
    assert "boom" in warned[0]  # the failed attempt's message names the failed task
    assert warned[0].endswith("); retry 1 of 1 in 5 s")
    assert [until - since for since, until in clock.waits] == [5]


def test_a_flow_run_cancelled_while_it_waits_to_retry_ends_cancelled_with_its_task_states():
    from proctor.core.clock import FakeClock
    from proctor.core.observers import RunObserver
    from proctor.core.runner.flow_runner import FlowRunner

    @task
    def boom() -> None:
        raise RuntimeError("down")

    with Flow("cancelled-retry", retries=2, retry_delay=5) as flow:
        node = boom()
    runner = FlowRunner(flow, clock=FakeClock())

    class Canceller(RunObserver):
        def flow_run_retrying(self, context, failed):
            runner.cancel()

    runner.observers = [Canceller()]
    state = runner.run()
    assert type(state) is Cancelled
    assert state.message == "The flow run was cancelled"
    assert state.result[node].message == "RuntimeError: down"
