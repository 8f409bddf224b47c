"""The pure walk: events in, decisions out, with the time given by the test.

No executor, no clock and no waiting: each test plays the executor itself, handing back
the states it chooses, and reads the walk's next decision at the time it chooses.
"""

from __future__ import annotations

import threading

import pytest

from proctor import Flow, task
from proctor.core.clock import FakeClock, RealClock
from proctor.core.context import FlowRunContext
from proctor.core.runner.plan import compile_plan
from proctor.core.runner.walk import DONE, Requeue, Submit, Wait, Walk
from proctor.states import Cancelled, Failed, Retrying, Scheduled, Success


@task
def one() -> int:
    return 1


@task
def add_one(x: int) -> int:
    return x + 1


@task
def numbers() -> list[int]:
    return [1, 2, 3]


def walk_of(flow: Flow, **options) -> Walk:  # type: ignore[no-untyped-def]
    return Walk(compile_plan(flow), FlowRunContext(flow.name, "run-id", {}), [], **options)


def submitted(decision) -> list:  # type: ignore[no-untyped-def]
    assert type(decision) is Submit, decision
    return decision.units


def test_a_chain_is_handed_out_one_node_at_a_time() -> None:
    with Flow("chain") as flow:
        add_one(one())
    walk = walk_of(flow)
    [first] = submitted(walk.step(0.0))
    assert first.slug == "one"
    # Nothing else is ready until the first finishes: wait for it, with no time limit.
    decision = walk.step(0.0)
    assert type(decision) is Wait and decision.until is None
    walk.completed(first, Success(result=1))
    [second] = submitted(walk.step(0.0))
    assert second.slug == "add_one" and second.inputs == {"x": 1}
    walk.completed(second, Success(result=2))
    assert walk.step(0.0) is DONE
    final = walk.final_state()
    assert type(final) is Success
    assert [state.result for state in final.result.values()] == [1, 2]


def test_a_retry_is_handed_out_again_at_its_start_time_not_before() -> None:
    with Flow("retry") as flow:
        one()
    walk = walk_of(flow)
    [unit] = submitted(walk.step(100.0))
    retrying = Retrying("again", start_time=130.0, run_count=1)
    walk.completed(unit, retrying)
    for now in (100.0, 129.999):
        decision = walk.step(now)
        assert type(decision) is Wait and decision.until == 130.0
    [again] = submitted(walk.step(130.0))
    assert again is unit
    assert again.run_count == 2 and again.previous_state is retrying


def test_a_retry_due_while_others_run_bounds_the_wait_for_them() -> None:
    with Flow("two") as flow:
        one()
        numbers()
    walk = walk_of(flow)
    first, second = submitted(walk.step(0.0))
    walk.completed(first, Retrying(start_time=10.0, run_count=1))
    # `second` is still running: wait for it, but not past the retry's time.
    decision = walk.step(5.0)
    assert type(decision) is Wait and decision.until == 10.0
    [retried] = submitted(walk.step(10.0))
    assert retried is first
    walk.completed(second, Success(result=[1]))
    walk.completed(retried, Success(result=1))
    assert walk.step(10.0) is DONE


def test_work_handed_out_while_a_retry_waits_carries_the_retry_s_time() -> None:
    with Flow("chain-and-retry") as flow:
        add_one(one())
        numbers()
    walk = walk_of(flow)
    first, other = submitted(walk.step(0.0))
    walk.completed(other, Retrying(start_time=10.0, run_count=1))
    walk.completed(first, Success(result=1))
    decision = walk.step(5.0)
    # Hand `add_one` over, then wait for it, but not past the retry's time.
    assert type(decision) is Submit and decision.until == 10.0
    assert [unit.slug for unit in decision.units] == ["add_one"]


def test_a_retry_further_away_than_the_run_may_wait_requeues_the_run() -> None:
    with Flow("far") as flow:
        one()
        numbers()
    walk = walk_of(flow, max_retry_wait=60.0)
    first, second = submitted(walk.step(0.0))
    walk.completed(first, Retrying(start_time=3600.0, run_count=1))
    # Not while other work is in flight...
    assert type(walk.step(1.0)) is Wait
    walk.completed(second, Success(result=[1]))
    # ...but once only the far retry is left.
    decision = walk.step(2.0)
    assert type(decision) is Requeue and decision.at == 3600.0
    final = walk.final_state()
    assert type(final) is Scheduled and final.start_time == 3600.0
    assert isinstance(final.result[flow.get_tasks(name="one")[0]], Retrying)


def test_a_retry_within_the_run_s_patience_is_waited_for() -> None:
    with Flow("near") as flow:
        one()
    walk = walk_of(flow, max_retry_wait=60.0)
    [unit] = submitted(walk.step(0.0))
    walk.completed(unit, Retrying(start_time=60.0, run_count=1))
    decision = walk.step(0.0)
    assert type(decision) is Wait and decision.until == 60.0


def test_a_mapped_node_expands_once_its_input_is_known() -> None:
    with Flow("map") as flow:
        add_one.map(numbers())
    walk = walk_of(flow)
    [source] = submitted(walk.step(0.0))
    walk.completed(source, Success(result=[1, 2, 3]))
    children = submitted(walk.step(0.0))
    assert [(child.map_index, child.inputs) for child in children] == [
        (0, {"x": 1}),
        (1, {"x": 2}),
        (2, {"x": 3}),
    ]
    for child in reversed(children):
        walk.completed(child, Success(result=child.inputs["x"] + 1))
    assert walk.step(0.0) is DONE
    assert walk.final_state().result[flow.get_tasks(name="add_one")[0]].result == [2, 3, 4]


def test_a_retry_an_earlier_process_scheduled_keeps_its_time() -> None:
    with Flow("carry-on") as flow:
        one()
    plan = compile_plan(flow)
    earlier = Retrying(start_time=50.0, run_count=2)
    walk = walk_of(flow, prior={0: earlier})
    decision = walk.step(10.0)
    assert type(decision) is Wait and decision.until == 50.0
    [unit] = submitted(walk.step(50.0))
    assert unit.run_count == 3 and plan.slugs[unit.index] == "one"


def test_a_failed_reference_task_fails_the_run() -> None:
    with Flow("fails") as flow:
        one()
    walk = walk_of(flow)
    [unit] = submitted(walk.step(0.0))
    walk.completed(unit, Failed("no"))
    assert walk.step(0.0) is DONE
    assert type(walk.final_state()) is Failed


def test_cancel_ends_every_unfinished_task_run_cancelled() -> None:
    with Flow("cancel") as flow:
        add_one(one())
    walk = walk_of(flow)
    submitted(walk.step(0.0))
    walk.cancel()
    final = walk.final_state()
    assert type(final) is Cancelled
    assert {type(state) for state in final.result.values()} == {Cancelled}


def test_the_fake_clock_jumps_only_forward_and_records_each_jump() -> None:
    clock = FakeClock(start=1000.0)
    cancel = threading.Event()
    assert clock.sleep_until(1005.0, cancel) is False
    assert clock.sleep_until(1001.0, cancel) is False  # in the past: no jump
    clock.advance(2.5)
    assert clock.now() == 1007.5
    assert clock.waits == [(1000.0, 1005.0), (1005.0, 1007.5)]
    cancel.set()
    assert clock.sleep_until(2000.0, cancel) is True
    assert clock.now() == 1007.5


def test_the_real_clock_stops_sleeping_when_cancelled() -> None:
    clock = RealClock()
    cancel = threading.Event()
    cancel.set()
    # An hour away: only a sleep that ignored the cancellation would hang here.
    assert clock.sleep_until(clock.now() + 3600, cancel) is True


@pytest.mark.parametrize("clock", [RealClock(), FakeClock()], ids=["real", "fake"])
def test_both_clocks_read_epoch_seconds(clock) -> None:  # type: ignore[no-untyped-def]
    # States carry epoch times that outlive the process (Retrying.start_time).
    assert clock.now() > 1_600_000_000
