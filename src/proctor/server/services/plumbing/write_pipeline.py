"""`WritePipeline`: a batch's database writes run while the server evaluates the next part
of the batch.

A big batch of state changes costs two kinds of time: Python evaluating the changes and
building rows, and the database storing them. Done one after the other, the process sits
idle while the database works; on PostgreSQL that is a whole other process (and core)
that could overlap with the evaluation. So a batch is evaluated in chunks, and each
chunk's writes are started as a task and left running while the next chunk is
evaluated. The writes still run one at a time, in order, on the transaction's one
connection: the pipeline waits for a chunk's writes before it starts the next chunk's,
and the caller must `drain()` before it writes anything else or commits.

The evaluation is plain Python that never awaits, so it calls `yield_now()` every few
dozen changes: that lets a write task that is waiting for the next statement's turn (a
chunk may need two or three statements) send it without waiting for the whole chunk.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any


class WritePipeline:
    """At most one chunk's writes in flight; `submit` waits for the previous chunk's."""

    def __init__(self) -> None:
        self._pending: asyncio.Future[Any] | None = None

    async def submit(self, writes: Callable[[], Awaitable[Any]]) -> None:
        await self.drain()
        self._pending = asyncio.ensure_future(writes())
        # Let the task send its first statement before the caller evaluates more.
        await asyncio.sleep(0)

    async def yield_now(self) -> None:
        if self._pending is not None and not self._pending.done():
            await asyncio.sleep(0)

    async def drain(self) -> None:
        """Wait for the writes in flight (raising their error, if any)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            await pending

    async def abandon(self) -> None:
        """On an error elsewhere: let the writes in flight finish (their outcome no
        longer matters) so that the transaction rolls back with nothing still using
        its connection. Not cancelled: a statement cut off half way leaves the
        connection in a state the rollback would trip over."""
        pending, self._pending = self._pending, None
        if pending is not None:
            await asyncio.gather(pending, return_exceptions=True)


__all__ = ["WritePipeline"]
