"""Results: PrefectResult keeps a JSON value in the state; read back from state._result."""

from prefect import Flow, task
from prefect.engine.results import PrefectResult


@task(result=PrefectResult())
def totals():
    return {"a": 1, "b": [2, 3]}


@task(result=PrefectResult())
def scaled(values):
    return [value * 10 for value in values["b"]]


@task
def count(items):
    return len(items)


with Flow("results-prefect-result") as flow:
    count(scaled(totals()))
