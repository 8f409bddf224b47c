"""Imperative API: bind inputs inside a flow context, and set_dependencies."""

from prefect import Flow, Task


class Add(Task):
    def run(self, x, y):
        return x + y


class Source(Task):
    def run(self):
        return 10


source = Source(name="source")
add = Add(name="add")
after = Add(name="after")

with Flow("imperative-bind") as flow:
    add.bind(x=source, y=5)

flow.set_dependencies(after, keyword_tasks={"x": add, "y": source})
