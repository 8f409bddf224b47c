"""Executors: where task runs execute (this thread, threads, processes, a Dask cluster).

The process and Dask executors are imported on first use: they pull in heavier modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from proctor.core.executors.base import Executor
from proctor.core.executors.local import LocalExecutor
from proctor.core.executors.thread import ThreadExecutor

if TYPE_CHECKING:
    from proctor.core.executors.dask import DaskExecutor
    from proctor.core.executors.process import ProcessExecutor

_LAZY = {
    "ProcessExecutor": "proctor.core.executors.process",
    "DaskExecutor": "proctor.core.executors.dask",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["DaskExecutor", "Executor", "LocalExecutor", "ProcessExecutor", "ThreadExecutor"]
