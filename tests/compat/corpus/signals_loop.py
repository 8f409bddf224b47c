"""Signals: LOOP runs a task again with the loop result, until it returns."""

import prefect
from prefect import Flow, task
from prefect.engine.signals import LOOP


@task
def fib(n):
    state = prefect.context.get("task_loop_result", {"a": 0, "b": 1, "i": 0})
    if state["i"] >= n:
        return state["a"]
    raise LOOP(
        message=f"step {state['i']}",
        result={"a": state["b"], "b": state["a"] + state["b"], "i": state["i"] + 1},
    )


@task
def loops():
    return prefect.context.get("task_loop_count")


with Flow("signals-loop") as flow:
    fib(10)
    loops()
