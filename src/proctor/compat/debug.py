"""1.x `prefect.utilities.debug`: `raise_on_exception()` for debugging a flow locally."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from proctor.core.context import raise_on_exception as _raise_on_exception


@contextmanager
def raise_on_exception() -> Iterator[None]:
    """`with raise_on_exception(): flow.run()`: the first exception a task raises leaves
    `flow.run()` as is (for a debugger's post-mortem) instead of failing the task run.

    Signals (SKIP, FAIL, LOOP, ...) still become states. Applies to task runs in this
    process: the local and thread executors, not process or Dask workers.
    """
    token = _raise_on_exception.set(True)
    try:
        yield
    finally:
        _raise_on_exception.reset(token)


__all__ = ["raise_on_exception"]
