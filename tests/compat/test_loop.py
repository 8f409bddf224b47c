"""The 1.x `LOOP` signal (expected values checked under Prefect 1.4.1)."""

from __future__ import annotations

import pytest

import proctor
from proctor import Flow, task
from proctor.engine.signals import LOOP
from proctor.executors import ProcessExecutor, ThreadExecutor


def test_loop_hands_count_and_result_to_the_next_iteration():
    @task
    def looping(stop):
        loop_count = proctor.context.get("task_loop_count", 1)
        previous = proctor.context.get("task_loop_result", (0, []))
        total, seen = previous
        seen = [*seen, (loop_count, total, proctor.context.get("task_run_count"))]
        if loop_count < stop:
            raise LOOP(result=(total + loop_count, seen))
        return total + 100, seen

    with Flow("loop") as flow:
        node = looping(4)
    state = flow.run()
    assert state.is_successful()
    value, seen = state.result[node].result
    # 1.4.1: 106, iterations (count, previous result, task_run_count) as below.
    assert value == 106
    assert seen == [(1, 0, 1), (2, 1, 1), (3, 3, 1), (4, 6, 1)]
    assert type(state.result[node]).__name__ == "Success"


@pytest.mark.parametrize("executor", [None, ThreadExecutor(max_workers=2), ProcessExecutor(1)])
def test_mapped_children_loop_on_their_own(executor):
    @task
    def doubling(x):
        n = proctor.context.get("task_loop_count", 1)
        value = proctor.context.get("task_loop_result", x)
        if n < 3:
            raise LOOP(result=value * 2)
        return (proctor.context.map_index, n, value)

    with Flow("mapped-loop") as flow:
        node = doubling.map([1, 2])
    state = flow.run(executor=executor)
    assert type(state.result[node]).__name__ == "Mapped"
    # 1.4.1 gives [4, 8]; the index and iteration count are Proctor's extra proof.
    assert state.result[node].result == [(0, 3, 4), (1, 3, 8)]
    assert [type(child).__name__ for child in state.result[node].map_states] == [
        "Success",
        "Success",
    ]


def test_loop_without_a_result_hands_on_the_signal_itself():
    @task
    def again():
        n = proctor.context.get("task_loop_count", 1)
        if n < 2:
            raise LOOP(message="again")
        return proctor.context.get("task_loop_result")

    with Flow("no-result") as flow:
        node = again()
    value = flow.run().result[node].result
    # 1.4.1 hands on the text "LOOP()"; Proctor hands on the signal itself, as it does for
    # every signal raised without a result (documented in docs/coming-from-1x.md).
    assert isinstance(value, LOOP)
    assert value.message == "again"


def test_state_handlers_see_each_iteration():
    transitions = []

    def handler(task_, old, new):
        transitions.append(
            (type(old).__name__, type(new).__name__, getattr(new, "loop_count", None))
        )
        if new.is_looped():
            transitions.append(("message", new.message, new.result))
        return new

    @task(state_handlers=[handler])
    def three_times():
        n = proctor.context.get("task_loop_count", 1)
        if n < 3:
            raise LOOP(result=n)
        return n

    with Flow("handlers") as flow:
        node = three_times()
    assert flow.run().result[node].result == 3
    # The sequence 1.4.1 reports (its Looped messages are "Task is looping (n)").
    assert transitions == [
        ("Pending", "Running", None),
        ("Running", "Looped", 1),
        ("message", "Task is looping (1)", 1),
        ("Pending", "Running", None),
        ("Running", "Looped", 2),
        ("message", "Task is looping (2)", 2),
        ("Pending", "Running", None),
        ("Running", "Success", None),
    ]


def test_a_loop_that_fails_fails_the_task():
    @task
    def fails_on_third():
        n = proctor.context.get("task_loop_count", 1)
        if n == 3:
            raise ValueError(f"broke at {n}")
        raise LOOP(result=n)

    with Flow("loop-fail") as flow:
        node = fails_on_third()
    state = flow.run()
    assert state.is_failed()
    assert type(state.result[node]).__name__ == "Failed"
    assert str(state.result[node].result) == "broke at 3"
