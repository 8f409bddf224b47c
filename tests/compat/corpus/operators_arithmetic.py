"""Operators: arithmetic on task outputs builds tasks (x + 1, x * y, ...)."""

from prefect import Flow, task


@task
def num(x):
    return x


@task
def collect(values):
    return values


with Flow("operators-arithmetic") as flow:
    a, b = num(7), num(2)
    collect([a + 1, a - b, a * b, a / b, a // b, a % b, a**b, 10 - a])
