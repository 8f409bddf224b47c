"""Small tasks the flow builder adds on the user's behalf.

`node[0]` becomes a GetItem, a list or dict of nodes passed as an argument becomes a
collection task, so that plain Python expressions in a flow body keep working.
"""

from __future__ import annotations

from typing import Any

from proctor.core.task import Task


class GetItem(Task):
    """`value[key]` of an upstream value (what `node[key]` and unpacking add)."""

    def run(self, value: Any, key: Any) -> Any:
        return value[key]


class ToList(Task):
    """Collects upstream values into a list (a list of nodes passed as an argument)."""

    def run(self, **items: Any) -> list[Any]:
        return [items[key] for key in sorted(items, key=_position)]


class ToTuple(Task):
    """Collects upstream values into a tuple."""

    def run(self, **items: Any) -> tuple[Any, ...]:
        return tuple(items[key] for key in sorted(items, key=_position))


class ToSet(Task):
    """Collects upstream values into a set."""

    def run(self, **items: Any) -> set[Any]:
        return set(items.values())


class ToDict(Task):
    """Collects upstream values into a dict (a dict of nodes passed as an argument)."""

    def run(self, keys: list[Any], **values: Any) -> dict[Any, Any]:
        return {key: values[f"v{index}"] for index, key in enumerate(keys)}


def _position(key: str) -> int:
    return int(key[1:])


__all__ = ["GetItem", "ToDict", "ToList", "ToSet", "ToTuple"]
