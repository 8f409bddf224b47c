"""Context: flow_name, task_name and parameters inside a task run."""

import prefect
from prefect import Flow, Parameter, task


@task(name="who-am-i")
def who(n):
    ctx = prefect.context
    return [ctx.flow_name, ctx.task_name, ctx.parameters["n"], n]


with Flow("context-names") as flow:
    who(Parameter("n", default=1))

PARAMETERS = {"n": 5}
