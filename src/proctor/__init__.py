"""Proctor: workflow orchestration in plain Python.

from proctor import task, flow

@task(retries=2)
def extract(day: str) -> list[int]: ...

@flow
def etl(day: str = "2026-01-01"):
    load(transform.map(extract(day)))

state = etl.run(day="2026-11-24")
"""

from typing import Any

from proctor import signals
from proctor._client_hook import install as _install_client_hook
from proctor._version import __version__
from proctor.core.branching import case, merge
from proctor.core.flow import Flow, flow
from proctor.core.graph import flatten, unmapped
from proctor.core.logs import get_run_logger
from proctor.core.parameter import Parameter
from proctor.core.secrets import Secret
from proctor.core.task import Task, exponential_backoff, task

# flow.register() goes through the client, which the engine itself may not import.
_install_client_hook()

__all__ = [  # `Client` is left out: a star import should not load the HTTP client
    "DateTimeParameter",
    "Flow",
    "Parameter",
    "Secret",
    "Task",
    "__version__",
    "case",
    "context",
    "exponential_backoff",
    "flatten",
    "flow",
    "get_run_logger",
    "mapped",
    "merge",
    "signals",
    "tags",
    "task",
    "unmapped",
]

# The 1.x names: loaded on first use, so `import proctor` pays nothing for them.
_LAZY = {
    "Client": "proctor.compat.client:Client",
    "DateTimeParameter": "proctor.compat.parameters:DateTimeParameter",
    "context": "proctor.compat.context:context",
    "mapped": "proctor.compat.utilities:mapped",
    "tags": "proctor.compat.utilities:tags",
}
# Parts of the 1.x graph API, wherever it defines them.
_GRAPH_API = frozenset({"apply_map", "resource_manager"})


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        module, _, attribute = _LAZY[name].partition(":")
        return getattr(importlib.import_module(module), attribute)
    if name in _GRAPH_API:
        from proctor.compat.names import GRAPH_API_HOMES, find_name

        return find_name(name, GRAPH_API_HOMES, __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
