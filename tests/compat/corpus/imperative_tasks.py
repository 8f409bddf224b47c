"""Imperative API: Flow(tasks=...), set_upstream and add_edge with a key."""

from prefect import Flow, Task


class Number(Task):
    def run(self):
        return 3


class Inc(Task):
    def run(self, x):
        return x + 1


class Done(Task):
    def run(self):
        return "done"


number = Number(name="number")
inc = Inc(name="inc")
done = Done(name="done")

flow = Flow("imperative-tasks", tasks=[number, inc])
flow.add_edge(number, inc, key="x")
done.set_upstream(inc, flow=flow)
