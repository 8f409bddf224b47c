"""Control flow: a case on a condition that is False skips the whole branch, maps too."""

from prefect import Flow, case, task


@task
def enabled():
    return False


@task
def items():
    return [1, 2]


@task
def process(x):
    return x * 2


with Flow("control-case-mapped") as flow, case(enabled(), True):
    process.map(items())
