"""Triggers: some_successful(at_least=, at_most=) counts the upstream successes."""

from prefect import Flow, task
from prefect.triggers import some_successful


@task
def work(ok):
    if not ok:
        raise RuntimeError("failed")
    return ok


@task(trigger=some_successful(at_least=2))
def at_least_two():
    return "enough"


@task(trigger=some_successful(at_most=1))
def at_most_one():
    return "few"


with Flow("triggers-some-successful") as flow:
    runs = [work(True), work(True), work(False)]
    at_least_two(upstream_tasks=runs)
    at_most_one(upstream_tasks=runs)
