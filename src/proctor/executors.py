"""Public import path for the executors: `from proctor.executors import DaskExecutor`."""

from typing import Any

from proctor.core.executors import Executor, LocalExecutor, ThreadExecutor


def __getattr__(name: str) -> Any:
    from proctor.core import executors

    return getattr(executors, name)


__all__ = ["DaskExecutor", "Executor", "LocalExecutor", "ProcessExecutor", "ThreadExecutor"]  # noqa: F822
