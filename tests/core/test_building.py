"""Building flows: tasks, nodes, parameters, and the errors users get for mistakes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from proctor import Flow, Parameter, Task, flow, task, unmapped
from proctor.core.errors import FlowDefinitionError, ParameterError


@task
def add(x, y=1):
    return x + y


@task
def total(values):
    return sum(values)


@task(nout=2)
def split(values):
    return values[0], values[1:]


def test_calling_a_task_inside_a_flow_adds_a_node_and_edges():
    with Flow("arith") as f:
        a = add(1)
        b = add(a, y=10)
    assert [node.slug for node in f.nodes] == ["add", "add-2"]
    assert [(e.upstream.slug, e.downstream.slug, e.key) for e in f.edges] == [("add", "add-2", "x")]
    assert b.constants == {"y": 10}
    assert f.get_tasks(name="add") == [a, b]
    assert f.terminal_tasks() == [b]
    assert f.root_tasks() == [a]


def test_task_called_outside_a_flow_says_how_to_run_it():
    with pytest.raises(FlowDefinitionError, match=r"outside a flow.*add\.run"):
        add(1)
    assert add.run(1, 2) == 3


def test_wrong_arguments_name_the_task_and_its_signature():
    with (
        Flow("bad"),
        pytest.raises(FlowDefinitionError, match=r"'add'.*wrong arguments.*\(x, y=1\)"),
    ):
        add(1, 2, z=3)
    with Flow("bad2"), pytest.raises(FlowDefinitionError, match="missing a required argument"):
        add(y=3)


def test_task_options_are_validated_with_the_task_named():
    with pytest.raises(FlowDefinitionError, match="'fetch': retries"):
        task(name="fetch", retries=-1)(lambda: 1)
    with pytest.raises(FlowDefinitionError, match="timeout"):
        task(name="slow", timeout="soon")(lambda: 1)
    with pytest.raises(FlowDefinitionError, match="trigger must be callable"):
        task(trigger="all")(lambda: 1)
    configured = task(retry_delay=timedelta(seconds=2), cache_for=timedelta(minutes=1))(lambda: 1)
    assert configured.retry_delay == 2.0
    assert configured.cache_for == 60.0


def test_task_copy_changes_options_and_validates_them():
    fast = add.copy(retries=3, tags=["io"])
    assert (fast.retries, fast.tags, add.retries) == (3, frozenset({"io"}), 0)
    assert fast.run(1) == 2
    with pytest.raises(FlowDefinitionError, match="unknown option"):
        add.copy(retires=3)


def test_task_subclass_needs_run():
    class NoRun(Task):
        pass

    with pytest.raises(FlowDefinitionError, match="no run"):
        NoRun()

    class Double(Task):
        def run(self, x):
            return 2 * x

    with Flow("sub") as f:
        doubled = Double(retries=1)(21)
    assert f.run().result[doubled].result == 42


def test_flow_decorator_turns_signature_into_typed_parameters():
    @flow
    def etl(day: str, limit: int = 10, ratio: float = 0.5):
        """Daily load."""
        add(limit, ratio)

    assert etl.name == "etl"
    assert etl.description == "Daily load."
    assert list(etl.parameters) == ["day", "limit", "ratio"]
    day = etl.parameters["day"].task
    assert day.required and day.type is str
    schema = etl.serialize()["parameter_schema"]
    assert schema["required"] == ["day"]
    assert schema["properties"]["limit"] == {"type": "integer", "title": "limit", "default": 10}
    assert schema["properties"]["ratio"]["type"] == "number"


def test_flow_body_mistakes_become_clear_errors():
    with pytest.raises(FlowDefinitionError, match="placeholders"):

        @flow
        def broken(n: int = 3):
            add(list(range(n)))

    with pytest.raises(FlowDefinitionError, match="case"):

        @flow
        def branching(flag: bool = True):
            if flag:
                add(1)


def test_non_json_parameter_default_is_refused_before_anything_runs():
    with pytest.raises(ParameterError, match=r"'when'.*not JSON"):
        Parameter("when", default=object())


def test_parameter_values_are_checked_by_type():
    with Flow("typed") as f:
        add(Parameter("x", type=int), Parameter("y", default=1.5, type=float))
    with pytest.raises(ParameterError, match="'x' must be int, got str"):
        f.run(x="three")
    with pytest.raises(ParameterError, match="required parameter"):
        f.run()
    with pytest.raises(ParameterError, match="has no parameter"):
        f.run(parameters={"x": 1, "z": 2})
    with pytest.raises(ParameterError, match="neither a run option nor a parameter"):
        f.run(x=1, zz=2)
    assert f.run(x=1, y=2).result[f.terminal_tasks()[0]].result == 3.0


def test_rich_parameter_types_use_pydantic_schema_and_validation():
    @flow
    def rich(ids: list[int], mode: str = "fast"):
        total(ids)

    props = rich.serialize()["parameter_schema"]["properties"]
    assert props["ids"]["type"] == "array"
    assert props["ids"]["items"] == {"type": "integer"}
    with pytest.raises(ParameterError, match="'ids' must be"):
        rich.run(ids=["a"])
    assert rich.run(ids=[1, 2]).is_successful()


def test_cycle_is_reported_with_the_task_names():
    with Flow("loop") as f:
        a = add(1)
        b = add(a)
    a.set_upstream(b)
    with pytest.raises(FlowDefinitionError, match=r"cycle: add(-2)? -> add(-2)? -> add"):
        f.validate()
    with pytest.raises(FlowDefinitionError, match="cycle"):
        f.run()


def test_missing_inputs_are_reported_by_validate():
    f = Flow("imperative")
    f.set_dependencies(add, keyword_tasks={"y": 2})
    with pytest.raises(FlowDefinitionError, match=r"'add' is missing argument\(s\) x"):
        f.validate()


def test_set_dependencies_builds_the_same_graph_as_calls():
    f = Flow("imperative")
    first = f.set_dependencies(add, keyword_tasks={"x": 1})
    second = f.set_dependencies(total, keyword_tasks={"values": [first, 5]})
    f.set_reference_tasks([second])
    state = f.run()
    assert state.result[second].result == 7
    assert f.reference_tasks() == [second]


def test_nout_unpacking_getitem_and_collections():
    with Flow("shapes") as f:
        head, rest = split([1, 2, 3])
        first = add(head)
        summed = total([head, first, 10])
        keyed = add(x={"a": head}["a"])
    state = f.run()
    assert state.result[rest].result == [2, 3]
    assert state.result[summed].result == 1 + 2 + 10
    assert state.result[keyed].result == 2
    with Flow("no-nout"), pytest.raises(FlowDefinitionError, match="nout"):
        _first, _second = add(1)


def test_map_needs_something_to_map_over():
    with Flow("nothing-to-map"), pytest.raises(FlowDefinitionError, match="map over"):
        add.map(unmapped(1), y=unmapped(2))


def test_passing_a_task_instead_of_calling_it_runs_the_task_itself():
    # As in 1.x: the task object gets a run of its own; here it lacks its argument `x`.
    with Flow("oops") as f:
        total(add)
    assert [node.name for node in f.nodes] == ["add", "total"]
    with pytest.raises(FlowDefinitionError, match=r"'add' is missing argument\(s\) x"):
        f.validate()


def test_serialize_is_json_and_stable():
    with Flow("spec", labels=["gpu"]) as f:
        n = Parameter("n", default=3, type=int)
        ys = add.map([1, 2], y=n)
        total(ys)
    spec = f.serialize()
    again = json.loads(json.dumps(spec))
    assert again == spec
    assert spec["labels"] == ["gpu"]
    assert [t["slug"] for t in spec["tasks"]] == ["n", "add", "total"]
    assert spec["tasks"][1]["mapped"] is True
    assert spec["tasks"][0]["is_parameter"] is True
    assert {
        "upstream": "add",
        "downstream": "total",
        "key": "values",
        "mapped": False,
        "flatten": False,
    } in spec["edges"]
    assert spec["fingerprint"] == f.serialize()["fingerprint"]


def test_visualize_mermaid_and_dot():
    with Flow("pic") as f:
        total(add.map([1, 2]))
    mermaid = f.visualize()
    assert mermaid.startswith("flowchart TD")
    assert "n1 -->|values| n2" in mermaid or "-->|values|" in mermaid
    dot = f.visualize(format="dot")
    assert 'digraph "pic"' in dot and "n0 -> n1" in dot
