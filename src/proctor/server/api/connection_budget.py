"""`RequestDatabase`: the database as one request sees it, holding at most N connections.

graphql-core resolves the root fields of a query concurrently, and each resolver opens its
own session: without a cap, one request with fifty fields could take every connection of
the shared pool, and agents' claims and heartbeats would queue behind it. Each request (or
websocket connection) gets a small budget of connections instead; a resolver waits for a
free one. A session opened inside another one by the same task (a service that reads
while it writes) reuses the slot it already holds, so nesting cannot deadlock.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

# The budget whose slot the current task holds (None: none held).
_holding: ContextVar[RequestDatabase | None] = ContextVar("proctor_request_db", default=None)


class RequestDatabase:
    """Forwards to `db`; `session`, `transaction` and `run_in_transaction` take a slot."""

    def __init__(self, db: Any, connections: int) -> None:
        self._db = db
        self._slots = asyncio.Semaphore(connections)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)

    @property
    def unwrapped(self) -> Any:
        """The shared `Database` itself (for work that outlives the request)."""
        return self._db

    @contextlib.asynccontextmanager
    async def _slot(self) -> AsyncIterator[None]:
        if _holding.get() is self:
            yield
            return
        async with self._slots:
            token = _holding.set(self)
            try:
                yield
            finally:
                _holding.reset(token)

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[Any]:
        async with self._slot(), self._db.session() as session:
            yield session

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Any]:
        async with self._slot(), self._db.transaction() as session:
            yield session

    async def run_in_transaction(self, work: Callable[[Any], Awaitable[T]]) -> T:
        async with self._slot():
            result: T = await self._db.run_in_transaction(work)
            return result


__all__ = ["RequestDatabase"]
