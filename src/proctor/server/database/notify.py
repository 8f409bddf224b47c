"""Cross-replica events on PostgreSQL: LISTEN on a dedicated connection.

Every server replica publishes committed events with `pg_notify` inside the writing
transaction (see `PostgresConfiguration.before_commit`); this listener, one per
`Database`, receives the notifications of *all* replicas on the same database and hands
the ones from other replicas to the local `EventBus`. Notifications are not durable: a
listener that reconnects may miss some, which subscribers tolerate because events only
tell them to re-read.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from typing import Any

import asyncpg
from sqlalchemy.engine import URL

from proctor.server.database.dialects.postgresql import NOTIFY_CHANNEL
from proctor.server.events import Event, EventBus

logger = logging.getLogger(__name__)


def _set_on_call(flag: asyncio.Event, *_args: object) -> None:
    flag.set()


def asyncpg_dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class PostgresListener:
    """Keeps one LISTEN connection open (reconnecting with backoff) for one bus."""

    def __init__(
        self,
        url: URL,
        bus: EventBus,
        *,
        channel: str = NOTIFY_CHANNEL,
        connect_timeout: float = 10.0,
        max_backoff: float = 10.0,
    ) -> None:
        self._dsn = asyncpg_dsn(url)
        self.bus = bus
        self.channel = channel
        self.connect_timeout = connect_timeout
        self.max_backoff = max_backoff
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._stopping = asyncio.Event()
        self.connections = 0
        self.errors = 0

    def _on_notification(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            event = Event.from_json(payload)
        except (ValueError, KeyError, TypeError):
            self.errors += 1
            logger.warning("Ignoring a malformed event notification: %.200s", payload)
            return
        self.bus.deliver_remote(event)

    async def start(self) -> None:
        """Start listening; returns once the first LISTEN is in place (or raises)."""
        if self._task is not None:
            return
        connection = await self._connect()
        self._task = asyncio.create_task(self._run(connection), name="proctor-pg-listener")

    async def _connect(self) -> Any:
        connection = await asyncpg.connect(self._dsn, timeout=self.connect_timeout)
        await connection.add_listener(self.channel, self._on_notification)
        self.connections += 1
        self._ready.set()
        return connection

    async def _run(self, connection: Any) -> None:
        backoff = 0.1
        while not self._stopping.is_set():
            if connection is None:
                try:
                    connection = await self._connect()
                    backoff = 0.1
                except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
                    self.errors += 1
                    logger.warning("Event listener cannot reconnect (%s); retrying", exc)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._stopping.wait(), backoff)
                    backoff = min(backoff * 2, self.max_backoff)
                    continue
            lost = asyncio.Event()
            connection.add_termination_listener(functools.partial(_set_on_call, lost))
            waiters = {
                asyncio.create_task(lost.wait()),
                asyncio.create_task(self._stopping.wait()),
            }
            try:
                while not (lost.is_set() or self._stopping.is_set()):
                    # The connection only notices a dead peer when it is used.
                    await asyncio.wait(waiters, timeout=5.0, return_when=asyncio.FIRST_COMPLETED)
                    if not (lost.is_set() or self._stopping.is_set()):
                        try:
                            await connection.execute("SELECT 1", timeout=5.0)
                        except (OSError, asyncpg.PostgresError, TimeoutError):
                            lost.set()
            finally:
                for waiter in waiters:
                    waiter.cancel()
                with contextlib.suppress(Exception):
                    await connection.close(timeout=2.0)
                connection = None

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


__all__ = ["PostgresListener", "asyncpg_dsn"]
