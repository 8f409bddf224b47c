"""Public import path for the executors: `from proctor.executors import DaskExecutor`."""

from typing import Any

from proctor.core.executors import Executor, LocalExecutor, ThreadExecutor


def __getattr__(name: str) -> Any:
    if name == "LocalDaskExecutor":  # the 1.x name, mapped onto the thread/process executors
        from proctor.compat.executors import LocalDaskExecutor

        return LocalDaskExecutor
    from proctor.core import executors

    return getattr(executors, name)


__all__ = [  # noqa: F822
    "DaskExecutor",
    "Executor",
    "LocalDaskExecutor",
    "LocalExecutor",
    "ProcessExecutor",
    "ThreadExecutor",
]
