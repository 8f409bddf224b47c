"""Imperative API: flow.replace swaps a task for another; pipe chains calls; a Flow takes
its schedule as a positional argument and run_on_schedule=False runs once."""

from prefect import Flow, task


@task
def source():
    return 4


@task
def old_step(x):
    return x - 1


@task
def new_step(x):
    return x + 100


@task
def scale(x, by):
    return x * by


@task
def show(x):
    return f"value {x}"


with Flow("imperative-replace-pipe") as flow:
    value = source()
    stepped = old_step(value)
    show(stepped.pipe(scale, by=2))

flow.replace(stepped, new_step)
