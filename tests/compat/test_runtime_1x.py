"""1.x run-time behaviour on Proctor's engine (expected states and results checked by
running the same code under Prefect 1.4.1)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest

import proctor
from proctor import Flow, Parameter, task
from proctor.engine import FlowRunner, TaskRunner
from proctor.engine.results import LocalResult
from proctor.engine.signals import SKIP, TRIGGERFAIL
from proctor.engine.state import Success
from proctor.utilities.debug import raise_on_exception


def names(states):
    return sorted(type(state).__name__ for state in states)


def test_task_run_name_from_a_template_or_a_callable():
    @task(task_run_name="item-{val}")
    def named(val):
        return proctor.context.get("task_run_name")

    @task(task_run_name=lambda **kw: f"call-{kw['val']}")
    def named2(val):
        return proctor.context.get("task_run_name")

    @task
    def unnamed():
        return proctor.context.get("task_run_name", "<missing>")

    with Flow("names") as flow:
        mapped = named.map([1, 2])
        single = named2(5)
        plain = unnamed()
    state = flow.run()
    assert state.result[mapped].result == ["item-1", "item-2"]
    assert state.result[single].result == "call-5"
    assert state.result[plain].result == "<missing>"


def test_terminal_state_handler_sees_the_reference_states_and_may_replace_the_state():
    seen = []

    def terminal(flow, state, reference_states):
        seen.append((type(state).__name__, names(reference_states)))
        return Success("forgiven", result=state.result) if state.is_failed() else None

    @task
    def boom():
        raise ValueError("bad")

    @task
    def after(x):
        return x

    @task
    def fine():
        return 1

    with Flow("terminal", terminal_state_handler=terminal) as flow:
        after(boom())
        fine()
    state = flow.run()
    assert seen == [("Failed", ["Success", "TriggerFailed"])]
    assert state.is_successful() and state.message == "forgiven"


def test_raise_on_exception_lets_the_task_error_out_of_flow_run():
    @task
    def boom():
        raise ValueError("bad")

    with Flow("debug") as flow:
        node = boom()
    with pytest.raises(ValueError, match="bad"), raise_on_exception():
        flow.run()
    # Without it the task run fails as usual, and the block left nothing behind.
    state = flow.run()
    assert state.is_failed()
    assert repr(state.result[node].result) == "ValueError('bad')"


def test_signals_and_failures_carry_their_exception_as_result():
    @task
    def boom():
        raise ValueError("bad")

    @task
    def after(x):
        return x

    with Flow("trigger") as flow:
        failed = boom()
        downstream = after(failed)
    state = flow.run()
    assert type(state.result[downstream]).__name__ == "TriggerFailed"
    assert isinstance(state.result[downstream].result, TRIGGERFAIL)
    assert isinstance(state.result[failed].result, ValueError)


def test_a_skipped_mapped_child_reaches_downstream_tasks_as_in_1x():
    @task
    def maybe(x):
        if x == 2:
            raise SKIP("skip two")
        return x

    @task
    def down(y):
        return ("down", y)

    @task(skip_on_upstream_skip=False)
    def down2(y):
        return ("down2", y)

    @task
    def collect(ys):
        return ys

    with Flow("skips") as flow:
        mapped = maybe.map([1, 2, 3])
        skipping = down.map(mapped)
        passing = down2.map(mapped)
        reduce_skipped = collect(mapped)
        reduce_passing = collect(passing)
    state = flow.run()
    first = state.result[mapped]
    assert [type(child).__name__ for child in first.map_states] == ["Success", "Skipped", "Success"]
    assert first.result[0] == 1 and first.result[2] == 3 and isinstance(first.result[1], SKIP)
    assert state.result[skipping].result == [("down", 1), None, ("down", 3)]
    assert [type(child).__name__ for child in state.result[skipping].map_states] == [
        "Success",
        "Skipped",
        "Success",
    ]
    values = state.result[passing].result
    assert values[0] == ("down2", 1) and values[2] == ("down2", 3)
    assert values[1][0] == "down2" and isinstance(values[1][1], SKIP)
    # A reduce over a mapped task with a skipped child is skipped (1.4.1: Skipped, None).
    assert type(state.result[reduce_skipped]).__name__ == "Skipped"
    assert state.result[reduce_skipped].result is None
    assert type(state.result[reduce_passing]).__name__ == "Success"
    assert state.result[reduce_passing].result == values


def test_cache_for_reports_cached_on_the_first_run_too():
    calls = []

    @task(cache_for=timedelta(minutes=5))
    def cached(x):
        calls.append(x)
        return x * 10

    with Flow("cache-1x") as flow:
        node = cached(2)
    first, second = flow.run(), flow.run()
    assert type(first.result[node]).__name__ == "Cached" and first.result[node].is_cached()
    assert type(second.result[node]).__name__ == "Cached"
    assert first.result[node].result == second.result[node].result == 20
    assert calls == [2]


def test_state_handlers_get_the_real_previous_state():
    transitions = []
    attempts = []

    def handler(task_, old, new):
        transitions.append((old, new))
        return new

    @task(retries=1, retry_delay=timedelta(seconds=0.1), state_handlers=[handler])
    def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise ValueError("first")
        return "ok"

    with Flow("handlers") as flow:
        node = flaky()
    assert flow.run().result[node].result == "ok"
    kinds = [(type(old).__name__, type(new).__name__) for old, new in transitions]
    assert kinds[0] == ("Pending", "Running")
    assert ("Retrying", "Running") in kinds and kinds[-1] == ("Running", "Success")
    # The Retrying state handed back to the handler is the very one it saw before, with its
    # start time intact; each old state is the previous new one, as in 1.4.1.
    retry_at = kinds.index(("Retrying", "Running"))
    retrying = transitions[retry_at][0]
    assert retrying is transitions[retry_at - 1][1]
    assert retrying.start_time is not None
    assert transitions[-1][0] is transitions[-2][1]


def test_handlers_may_assign_a_timestamp_and_results_show_their_location(tmp_path):
    def backdate(task_, old, new):
        if new.is_successful():
            new.timestamp = datetime(2020, 1, 1)
        return new

    @task(result=LocalResult(dir=str(tmp_path)), checkpoint=True)
    def one(x):
        return x + 1

    @task(state_handlers=[backdate])
    def two(y):
        return y * 2

    with Flow("locations") as flow:
        first = one(1)
        second = two(first)
    state = flow.run()
    persisted = state.result[first]._result
    assert persisted.value == 2
    assert persisted.location is not None and os.path.exists(tmp_path / persisted.location)
    assert state.result[second]._result.location is None  # 1.4.1: None without a result
    assert state.result[second]._result.value == 4
    assert state.result[second].timestamp.replace(tzinfo=None) == datetime(2020, 1, 1)
    assert state.result[second].cached_inputs == {}


def test_flow_runner_and_task_runner_as_1x_calls_them():
    @task
    def add(x, y=1):
        return x + y

    @task
    def from_context():
        return proctor.context.get("foo")

    with Flow("runners") as flow:
        p = Parameter("p", default=1)
        a = add(p)
        b = add(a, 10)
        c = from_context()
    plain = FlowRunner(flow=flow).run(parameters={"p": 5})
    assert plain.is_successful() and dict(plain.result) == {}  # 1.4.1: {}
    one = FlowRunner(flow=flow).run(parameters={"p": 5}, return_tasks=[b])
    assert [(node.name, st.result) for node, st in one.result.items()] == [("add", 16)]
    every = FlowRunner(flow=flow).run(return_tasks=[a, b, c], context={"foo": 1})
    assert sorted((node.name, st.result) for node, st in every.result.items()) == [
        ("add", 2),
        ("add", 12),
        ("from_context", 1),
    ]

    failed = TaskRunner(task=add).run(upstream_states={}, context={})
    assert type(failed).__name__ == "Failed" and isinstance(failed.result, TypeError)
    edge = flow.upstream_edges(a)[0]  # p -> add, key "x"
    assert TaskRunner(task=add).run(upstream_states={edge: Success(result=4)}).result == 5


def test_schedule_next_and_start_date_as_in_1x():
    from proctor.schedules import IntervalSchedule, Schedule
    from proctor.schedules.clocks import IntervalClock

    schedule = IntervalSchedule(start_date=datetime(2030, 1, 1, 12), interval=timedelta(hours=1))
    assert schedule.start_date == datetime(2030, 1, 1, 12, tzinfo=UTC)
    assert schedule.end_date is None
    # 1.4.1: 12:00, 13:00, 14:00 UTC; after 2030-05-01: 01:00 and 02:00 (strictly after).
    assert schedule.next(3) == [datetime(2030, 1, 1, hour, tzinfo=UTC) for hour in (12, 13, 14)]
    assert schedule.next(2, after=datetime(2030, 5, 1, tzinfo=UTC)) == [
        datetime(2030, 5, 1, 1, tzinfo=UTC),
        datetime(2030, 5, 1, 2, tzinfo=UTC),
    ]
    open_ended = Schedule(clocks=[IntervalClock(timedelta(days=1))])
    assert open_ended.start_date is None and open_ended.end_date is None
    assert len(open_ended.next(2)) == 2
