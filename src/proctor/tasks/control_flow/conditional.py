"""1.x path `prefect.tasks.control_flow.conditional`: `ifelse`, `switch`, `merge`."""

from typing import Any

from proctor.compat.graph import merge  # 1.x's: its task is named `Merge`
from proctor.compat.names import GRAPH_API_HOMES, find_name


def __getattr__(name: str) -> Any:
    if name in ("ifelse", "switch"):
        return find_name(name, GRAPH_API_HOMES, __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["ifelse", "merge", "switch"]  # noqa: F822
