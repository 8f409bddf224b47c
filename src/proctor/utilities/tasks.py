"""1.x path `prefect.utilities.tasks`."""

from typing import Any

from proctor.compat.names import GRAPH_API_HOMES, find_name
from proctor.compat.not_offered import names_getattr
from proctor.compat.utilities import as_task, defaults_from_attrs, mapped, tags
from proctor.core.graph import unmapped
from proctor.core.task import task


def _graph_api(name: str) -> Any:
    if name == "apply_map":  # part of the 1.x graph API: loaded from where it is defined
        return find_name(name, GRAPH_API_HOMES, __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# pause_task: NotOfferedError naming the manual_only trigger.
__getattr__ = names_getattr("prefect.utilities.tasks", _graph_api)


__all__ = [
    "as_task",
    "defaults_from_attrs",
    "mapped",
    "tags",
    "task",
    "unmapped",
]
