"""The tasks an operator on a task's output adds: `x + 1` adds an `Add` run.

Each is named by its class, so a flow's run shows which operation a task run was.
`And` and `Or` are Python's `and` / `or` on the two values, as the 1.x API had them.
"""

from __future__ import annotations

from typing import Any

from proctor.core.task import Task


class Add(Task):
    """x + y"""

    def run(self, x: Any, y: Any) -> Any:
        return x + y


class Sub(Task):
    """x - y"""

    def run(self, x: Any, y: Any) -> Any:
        return x - y


class Mul(Task):
    """x * y"""

    def run(self, x: Any, y: Any) -> Any:
        return x * y


class Div(Task):
    """x / y"""

    def run(self, x: Any, y: Any) -> Any:
        return x / y


class FloorDiv(Task):
    """x // y"""

    def run(self, x: Any, y: Any) -> Any:
        return x // y


class Mod(Task):
    """x % y"""

    def run(self, x: Any, y: Any) -> Any:
        return x % y


class Pow(Task):
    """x ** y"""

    def run(self, x: Any, y: Any) -> Any:
        return x**y


class And(Task):
    """x and y"""

    def run(self, x: Any, y: Any) -> Any:
        return x and y


class Or(Task):
    """x or y"""

    def run(self, x: Any, y: Any) -> Any:
        return x or y


class Not(Task):
    """not x"""

    def run(self, x: Any) -> bool:
        return not x


class Equal(Task):
    """x == y"""

    def run(self, x: Any, y: Any) -> Any:
        return x == y


class NotEqual(Task):
    """x != y"""

    def run(self, x: Any, y: Any) -> Any:
        return x != y


class GreaterThan(Task):
    """x > y"""

    def run(self, x: Any, y: Any) -> Any:
        return x > y


class GreaterThanOrEqual(Task):
    """x >= y"""

    def run(self, x: Any, y: Any) -> Any:
        return x >= y


class LessThan(Task):
    """x < y"""

    def run(self, x: Any, y: Any) -> Any:
        return x < y


class LessThanOrEqual(Task):
    """x <= y"""

    def run(self, x: Any, y: Any) -> Any:
        return x <= y


__all__ = [
    "Add",
    "And",
    "Div",
    "Equal",
    "FloorDiv",
    "GreaterThan",
    "GreaterThanOrEqual",
    "LessThan",
    "LessThanOrEqual",
    "Mod",
    "Mul",
    "Not",
    "NotEqual",
    "Or",
    "Pow",
    "Sub",
]
