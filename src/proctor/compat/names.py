"""Building the 1.x modules' name lists from the engine's, without importing on their behalf
anything `import proctor` should not pay for."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def export_from(
    source: str,
    *,
    extra: Iterable[str] = (),
    later: Mapping[str, str] | None = None,
) -> tuple[list[str], Callable[[str], Any]]:
    """`__all__` and a module `__getattr__` for a 1.x module that re-exports `source`.

    `later` maps names to the module that provides them, for names some engine versions
    do not have: they are looked up when used, and listed in `__all__` only when present.
    """
    module = importlib.import_module(source)
    names = list(getattr(module, "__all__", ())) + list(extra)
    pending = dict(later or {})
    for name, where in pending.items():
        if name not in names and hasattr(importlib.import_module(where), name):
            names.append(name)

    def __getattr__(name: str) -> Any:
        where = pending.get(name)
        if where is not None:
            provider = importlib.import_module(where)
            if hasattr(provider, name):
                return getattr(provider, name)
        raise AttributeError(f"module {source!r} (1.x path) has no attribute {name!r}")

    return sorted(set(names)), __getattr__


def lazy_names(table: Mapping[str, str], module_name: str) -> Callable[[str], Any]:
    """A module `__getattr__` loading each name of `table` from its module on first use."""

    def __getattr__(name: str) -> Any:
        where = table.get(name)
        if where is None:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        module_path, _, attribute = where.partition(":")
        return getattr(importlib.import_module(module_path), attribute or name)

    return __getattr__


#: Where the 1.x graph API's names may live (built beside this package, in the engine or
#: in a compat module of its own); looked up in this order when first used.
GRAPH_API_HOMES = (
    "proctor.core.branching",
    "proctor.core.flow",
    "proctor.compat.graph",
    "proctor.compat.branching",
    "proctor.compat.control_flow",
    "proctor.compat.resources",
)


def find_name(name: str, homes: Iterable[str], asked_by: str) -> Any:
    """`name` from the first of `homes` that has it (modules that do not exist are skipped)."""
    for home in homes:
        try:
            module = importlib.import_module(home)
        except ModuleNotFoundError:
            continue
        if hasattr(module, name):
            return getattr(module, name)
    raise AttributeError(f"module {asked_by!r} has no attribute {name!r}")


__all__ = ["GRAPH_API_HOMES", "export_from", "find_name", "lazy_names"]
