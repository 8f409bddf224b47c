"""The 1.x imperative graph API on Proctor (expected values checked against Prefect 1.4.1)."""

from __future__ import annotations

import pytest

from proctor import Flow, Task, case
from proctor.core.errors import FlowDefinitionError


class Add(Task):
    def run(self, x, y=1):
        return x + y


class Num(Task):
    def run(self):
        return 10


def _by_name(state):
    return {node.name: (type(s).__name__, s.result) for node, s in state.result.items()}


def test_flow_built_with_tasks_add_task_set_upstream_add_edge_and_bind():
    n = Num(name="num")
    a = Add(name="add")
    b = Add(name="add2")
    flow = Flow("imp", tasks=[n])
    assert n in flow.tasks and len(flow.tasks) == 1
    assert flow.add_task(a) is a
    assert a.set_upstream(n, key="x", flow=flow) is a
    edge = flow.add_edge(upstream_task=a, downstream_task=b, key="x")
    assert (edge.upstream_task.task, edge.downstream_task.task) == (a, b)
    assert (edge.key, edge.mapped, edge.flattened) == ("x", False, False)
    bare = Task(name="bare")
    flow.add_task(bare)
    bare.set_downstream(b, flow=flow)
    assert flow.root_tasks() == {bare, n}
    assert flow.terminal_tasks() == {b}
    assert flow.reference_tasks() == {b}
    assert flow.upstream_tasks(b) == {a, bare}
    assert flow.downstream_tasks(n) == {a}
    assert len(flow.edges) == 3
    c = Add(name="c")
    assert c.bind(x=n, y=5, flow=flow) is c
    state = flow.run()
    assert state.is_successful()
    assert _by_name(state) == {
        "num": ("Success", 10),
        "add": ("Success", 11),
        "add2": ("Success", 12),
        "bare": ("Success", None),
        "c": ("Success", 15),
    }
    assert state.result[c].result == 15  # found by the task object itself


def test_chain_returns_the_edges_and_orders_the_tasks():
    flow = Flow("chain")
    t1, t2, t3 = Num(name="t1"), Task(name="t2"), Task(name="t3")
    edges = flow.chain(t1, t2, t3)
    assert [(e.upstream.name, e.downstream.name) for e in edges] == [("t1", "t2"), ("t2", "t3")]
    assert [node.name for node in flow.sorted_tasks()] == ["t1", "t2", "t3"]
    assert _by_name(flow.run()) == {
        "t1": ("Success", 10),
        "t2": ("Success", None),
        "t3": ("Success", None),
    }


def test_replace_moves_the_edges_to_the_new_task():
    flow = Flow("rep")
    x1, ad = Num(name="x1"), Add(name="ad")
    ad.bind(x=x1, flow=flow)
    x2 = Num(name="x2")
    flow.replace(x1, x2)
    assert sorted(node.name for node in flow.tasks) == ["ad", "x2"]
    assert [(e.upstream.name, e.downstream.name, e.key) for e in flow.edges] == [("x2", "ad", "x")]
    assert x1 not in flow.tasks
    assert _by_name(flow.run()) == {"ad": ("Success", 11), "x2": ("Success", 10)}


def test_update_copies_another_flows_tasks_and_edges():
    source = Flow("src")
    Add(name="ad").bind(x=Num(name="x2"), flow=source)
    flow = Flow("upd")
    flow.update(source)
    assert sorted(node.name for node in flow.tasks) == ["ad", "x2"]
    assert len(flow.edges) == 1
    assert _by_name(flow.run())["ad"] == ("Success", 11)


def test_set_dependencies_with_validate():
    flow = Flow("deps")
    n, a = Num(name="n"), Add(name="a")
    a.bind(x=n, flow=flow)
    flow.set_dependencies(Task(name="after"), upstream_tasks=[a], validate=True)
    assert [node.name for node in flow.sorted_tasks()] == ["n", "a", "after"]


def test_case_used_outside_a_with_flow_block():
    class Cond(Task):
        def run(self):
            return False

    class A(Task):
        def run(self):
            return "a"

    flow = Flow("x")
    cond, a = Cond(), A()
    with case(cond, True):
        a.bind(flow=flow)
    state = flow.run()
    assert state.is_successful()
    got = _by_name(state)
    assert got["A"] == ("Skipped", None)
    assert got["Cond"] == ("Success", False)
    assert got["case(True)"][0] == "Skipped"


def test_flow_parameters_is_also_callable_as_in_1x():
    from proctor import Parameter

    with Flow("params") as flow:
        p = Parameter("p", default=1)
        Add()(p)
    assert flow.parameters() == {p}
    assert list(flow.parameters) == ["p"]


def test_tasks_and_edges_given_to_the_flow():
    from proctor.core.graph import Edge

    n, a = Num(name="n"), Add(name="a")
    flow = Flow("given", tasks=[n, a], edges=[Edge(n, a, "x")])  # type: ignore[arg-type]
    assert _by_name(flow.run())["a"] == ("Success", 11)


def test_add_edge_without_both_ends_is_a_clear_error():
    with pytest.raises(FlowDefinitionError, match="upstream and a downstream"):
        Flow("e").add_edge(upstream_task=Num())
