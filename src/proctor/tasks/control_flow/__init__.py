"""1.x path `prefect.tasks.control_flow`: `case`, `merge`, `ifelse`, `switch`, `FilterTask`."""

from typing import Any

from proctor.compat.graph import merge  # 1.x's: its task is named `Merge`
from proctor.compat.names import GRAPH_API_HOMES, find_name
from proctor.compat.tasks.control_flow import FilterTask
from proctor.core.branching import case


def __getattr__(name: str) -> Any:
    # ifelse and switch belong to the graph API: loaded from where it defines them.
    if name in ("ifelse", "switch"):
        return find_name(name, GRAPH_API_HOMES, __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["FilterTask", "case", "ifelse", "merge", "switch"]
