"""Flows: a failing task fails the flow; its downstream tasks end TriggerFailed."""

from prefect import Flow, task


@task
def load():
    raise ValueError("no data")


@task
def transform(x):
    return x


@task
def independent():
    return 42


with Flow("flows-failure") as flow:
    transform(transform(load()))
    independent()
