"""Control flow: case/merge; the branch not taken is Skipped."""

from prefect import Flow, Parameter, case, task
from prefect.tasks.control_flow import merge


@task
def is_big(x):
    return x > 10


@task
def big(x):
    return f"{x} is big"


@task
def small(x):
    return f"{x} is small"


@task
def show(message):
    return message.upper()


with Flow("control-case-merge") as flow:
    x = Parameter("x", default=3)
    cond = is_big(x)
    with case(cond, True):
        yes = big(x)
    with case(cond, False):
        no = small(x)
    show(merge(yes, no))

PARAMETERS = {"x": 42}
