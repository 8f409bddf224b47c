"""Build the executor named by `--executor`, importing only the one chosen.

The process and Dask executors pull in multiprocessing machinery or a whole cluster
library; a `proctor --help` or a local run should not pay for them, and a machine
without the `dask` extra should get an install hint, not an ImportError.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from proctor.cli.output import UserError

if TYPE_CHECKING:
    from proctor.core.executors.base import Executor


class ExecutorChoice(StrEnum):
    """Where task runs execute: this thread, a thread pool, processes or a Dask cluster."""

    local = "local"
    thread = "thread"
    process = "process"
    dask = "dask"


def make_executor(choice: ExecutorChoice | str) -> Executor:
    """A new executor of the chosen kind with its default settings."""
    choice = ExecutorChoice(choice)
    if choice is ExecutorChoice.local:
        from proctor.core.executors import LocalExecutor

        return LocalExecutor()
    if choice is ExecutorChoice.thread:
        from proctor.core.executors import ThreadExecutor

        return ThreadExecutor()
    if choice is ExecutorChoice.process:
        try:
            from proctor.core.executors import ProcessExecutor
        except (ImportError, AttributeError) as exc:
            raise UserError(
                f"The process executor is not available in this installation ({exc}). "
                "Use --executor thread or local."
            ) from None
        return ProcessExecutor()
    import importlib.util

    # The Dask executor imports `distributed` only when the run starts; check now, so a
    # missing extra is a hint before the run rather than a traceback in the middle of it.
    if importlib.util.find_spec("distributed") is None:
        raise UserError("--executor dask needs Dask: install it with pip install 'proctor[dask]'.")
    try:
        from proctor.core.executors import DaskExecutor
    except (ImportError, AttributeError) as exc:
        raise UserError(
            f"The Dask executor is not available in this installation ({exc})."
        ) from None
    return DaskExecutor()


__all__ = ["ExecutorChoice", "make_executor"]
