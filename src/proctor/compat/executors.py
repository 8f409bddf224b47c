"""1.x `LocalDaskExecutor`, mapped onto Proctor's thread and process executors.

1.x ran it on dask's local schedulers: threads by default, processes with
`scheduler="processes"`. Proctor's `ThreadExecutor` and `ProcessExecutor` do the same
work without dask; `num_workers` is their `max_workers`.
"""

from __future__ import annotations

from typing import Any

from proctor.core.errors import ProctorError
from proctor.core.executors.base import Executor


def LocalDaskExecutor(
    scheduler: str = "threads", num_workers: int | None = None, **kwargs: Any
) -> Executor:
    """`LocalDaskExecutor()` -> `ThreadExecutor`; `scheduler="processes"` ->
    `ProcessExecutor`; `"synchronous"` -> `LocalExecutor`."""
    from proctor.core import executors

    if scheduler == "threads":
        return executors.ThreadExecutor(max_workers=num_workers)
    if scheduler == "processes":
        return executors.ProcessExecutor(max_workers=num_workers)
    if scheduler == "synchronous":
        return executors.LocalExecutor()
    raise ProctorError(
        f"LocalDaskExecutor(scheduler={scheduler!r}): use 'threads', 'processes' or 'synchronous'."
    )


__all__ = ["LocalDaskExecutor"]
