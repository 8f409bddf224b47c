"""Operators on task outputs and parameters build tasks, as in 1.x (checked against 1.4.1)."""

from __future__ import annotations

import pytest

from proctor import Flow, Parameter, task
from proctor.core.errors import FlowDefinitionError


@task
def two():
    return 2


@task
def three():
    return 3


@task
def pair():
    return {"k": 5}


def test_each_operator_adds_a_named_task_with_the_1x_result():
    with Flow("ops") as flow:
        a = two()
        b = three()
        p = Parameter("p", default=10)
        made = {
            "add": a + 1,
            "radd": 1 + a,
            "sub": a - b,
            "rsub": 10 - a,
            "mul": a * b,
            "rmul": 4 * b,
            "div": b / a,
            "rdiv": 1 / a,
            "rtruediv": 6 / a,
            "floordiv": b // a,
            "rfloordiv": 7 // a,
            "mod": b % a,
            "rmod": 7 % a,
            "pow": a**b,
            "rpow": 2**b,
            "lt": a < b,
            "le": a <= b,
            "gt": a > b,
            "ge": a >= b,
            "and": a & b,
            "rand": 1 & a,
            "getitem": pair()["k"],
            "is_equal": a.is_equal(2),
            "is_not_equal": a.is_not_equal(2),
            "not_": a.not_(),
            "or_": a.or_(0),
            "param": p + a,
        }
    # Prefect 1.4.1 gave these names and values for the same flow.
    expected = {
        "add": ("Add", 3),
        "radd": ("Add", 3),
        "sub": ("Sub", -1),
        "rsub": ("Sub", 8),
        "mul": ("Mul", 6),
        "rmul": ("Mul", 12),
        "div": ("Div", 1.5),
        "rdiv": ("Div", 0.5),
        "rtruediv": ("Div", 3.0),
        "floordiv": ("FloorDiv", 1),
        "rfloordiv": ("FloorDiv", 3),
        "mod": ("Mod", 1),
        "rmod": ("Mod", 1),
        "pow": ("Pow", 8),
        "rpow": ("Pow", 8),
        "lt": ("LessThan", True),
        "le": ("LessThanOrEqual", True),
        "gt": ("GreaterThan", False),
        "ge": ("GreaterThanOrEqual", False),
        "and": ("And", 3),
        "rand": ("And", 2),
        "getitem": ("pair['k']", 5),
        "is_equal": ("Equal", True),
        "is_not_equal": ("NotEqual", False),
        "not_": ("Not", False),
        "or_": ("Or", 2),
        "param": ("Add", 12),
    }
    state = flow.run()
    assert state.is_successful()
    got = {key: (node.name, state.result[node].result) for key, node in made.items()}
    assert got == expected
    # 3 tasks, the parameter + one task per operator, as 1.4.1 counts them (31).
    assert len(flow.tasks) == 31


def test_equality_and_order_operators_that_1x_leaves_alone():
    with Flow("plain") as flow:
        a = two()
        b = three()
        assert (a == b) is False
        assert (a != b) is True
        assert a == a
        before = len(flow.tasks)
        with pytest.raises(TypeError):
            -a  # noqa: B018  (1.x: bad operand type for unary -)
        with pytest.raises(TypeError):
            a ^ b
        with pytest.raises(TypeError):
            abs(a)
        assert len(flow.tasks) == before


def test_pipe_operator_orders_tasks_and_returns_the_right_hand_side():
    with Flow("pipe") as flow:
        a = two()
        b = three()
        assert (a | b) is b
    assert flow.upstream_tasks(b) == {a}
    assert [(e.upstream.name, e.downstream.name, e.key) for e in flow.edges] == [
        ("two", "three", None)
    ]


def test_operator_on_a_task_object_outside_a_flow_names_the_problem():
    with pytest.raises(FlowDefinitionError, match="outside a flow"):
        two + 1


def test_operator_on_an_uncalled_task_adds_that_task_itself():
    with Flow("uncalled") as flow:
        total = two + three
    state = flow.run()
    assert state.result[total].result == 5
    assert state.result[two].result == 2
    assert sorted(node.name for node in flow.tasks) == ["Add", "three", "two"]
