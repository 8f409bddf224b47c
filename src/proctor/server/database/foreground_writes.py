"""Which write transactions of this process are in progress, and when the last one ended.

Background work that writes a lot (the retention service's deletes) asks it for a quiet
moment before each of its transactions: on SQLite a transaction holds the one write lock,
so a delete batch that starts while a running flow is writing makes that flow's next
write wait for the whole batch. Waiting for a gap in the foreground writes (bounded, so
the background work still progresses under a constant stream of writes) keeps those
waits rare. Only this process's transactions are seen: replicas do not see each other's.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator


class ForegroundWrites:
    """Counts the foreground write transactions of one `Database` in this process."""

    __slots__ = ("_active", "_clock", "_last_end")

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._active = 0
        self._last_end = float("-inf")

    @contextlib.contextmanager
    def counted(self) -> Iterator[None]:
        """Mark one foreground write transaction for the duration of the block."""
        self._active += 1
        try:
            yield
        finally:
            self._active -= 1
            self._last_end = self._clock()

    def quiet_for(self) -> float:
        """Seconds since the last foreground write ended (0 while one is in progress)."""
        if self._active:
            return 0.0
        return max(0.0, self._clock() - self._last_end)


__all__ = ["ForegroundWrites"]
