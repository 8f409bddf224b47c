"""Signals: LOOP with the loop count from context; a mapped task loops per child."""

import prefect
from prefect import Flow, task
from prefect.engine.signals import LOOP


@task
def count_to(n):
    count = prefect.context.get("task_loop_count") or 1
    if count < n:
        raise LOOP(result=count)
    return [count, prefect.context.get("task_loop_result")]


with Flow("signals-loop-count") as flow:
    count_to.map([1, 3])
