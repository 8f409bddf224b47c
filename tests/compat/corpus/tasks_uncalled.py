"""Tasks: a task object passed as an input without being called becomes an upstream task."""

from prefect import Flow, task


@task
def one():
    return 1


@task
def inc(x):
    return x + 1


with Flow("tasks-uncalled") as flow:
    inc(one)
