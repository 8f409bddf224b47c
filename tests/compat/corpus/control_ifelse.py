"""Control flow: ifelse runs one of two tasks; merge picks the result."""

from prefect import Flow, task
from prefect.tasks.control_flow import ifelse, merge


@task
def check():
    return False


@task
def when_true():
    return "yes"


@task
def when_false():
    return "no"


with Flow("control-ifelse") as flow:
    yes, no = when_true(), when_false()
    ifelse(check(), yes, no)
    merge(yes, no)
