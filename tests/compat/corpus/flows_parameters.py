"""Flows: parameters with defaults, a required one, and values given to the run."""

from prefect import Flow, Parameter, task


@task
def greet(greeting, name, times):
    return [f"{greeting}, {name}"] * times


with Flow("flows-parameters") as flow:
    greeting = Parameter("greeting", default="hello")
    name = Parameter("name")
    times = Parameter("times", default=1)
    greet(greeting, name, times)

PARAMETERS = {"name": "ada", "times": 2}
