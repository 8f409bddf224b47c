"""Tasks: the decorator, a Task subclass, keyword and positional inputs, several calls."""

from prefect import Flow, Task, task


@task
def add(x, y=1):
    return x + y


class Multiply(Task):
    def run(self, x, factor=2):
        return x * factor


multiply = Multiply(name="multiply")

with Flow("tasks-basic") as flow:
    a = add(1)
    b = add(a, y=10)
    c = multiply(b)
    d = multiply(c, factor=3)
