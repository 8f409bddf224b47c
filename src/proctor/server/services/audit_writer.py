"""`AuditWriter`: how audit events reach the database without slowing the hot path.

Most mutations are rare (register a flow, cancel a run): their events are written at
once, in their own small transaction, so the log is current when the call returns. The
run-reporting mutations (task states, logs, heartbeats, claims) arrive many times a second
per run; their events are *coalesced* in memory (one event per actor, action and object,
with a `count` and the first and last time) and written in one batch every
`interval` seconds, when the buffer holds `max_buffered` keys, when the audit log is read,
and when the server stops. A batch that fails is kept and retried: events are never
dropped while the process lives.

One writer per `Database` (`writer_for(db)`), started lazily on the loop that first uses it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from dataclasses import replace
from datetime import datetime

from sqlalchemy import exc as sa_exc

from proctor.server.database import Database
from proctor.server.services.audit import AuditRecord, write_audit_events

logger = logging.getLogger("proctor.server.audit")

Key = tuple[object, ...]


def _key(event: AuditRecord) -> Key:
    return (
        event.tenant_id,
        event.actor_kind,
        event.actor_user_id,
        event.actor_api_key_id,
        event.action,
        event.object_type,
        event.object_id,
        event.success,
    )


class AuditWriter:
    """Writes audit events now (`write`) or coalesced in batches (`buffer`)."""

    def __init__(self, db: Database, *, interval: float = 1.0, max_buffered: int = 2000) -> None:
        self.db = db
        self.interval = interval
        self.max_buffered = max_buffered
        self._pending: dict[Key, tuple[AuditRecord, int, datetime]] = {}
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._flush_lock: asyncio.Lock | None = None
        self._closing = False
        self.written = 0
        self.failures = 0

    @property
    def pending(self) -> int:
        return len(self._pending)

    async def write(self, events: list[AuditRecord]) -> None:
        """Write `events` now (a failure is logged and the events buffered instead)."""
        try:
            self.written += await self._insert(events)
        except Exception:
            logger.warning("Could not write audit events now; buffering them", exc_info=True)
            for event in events:
                self.buffer(event)

    def buffer(self, event: AuditRecord) -> None:
        """Add `event` to the next batch, merged with an equal one (same who/what/which)."""
        key = _key(event)
        found = self._pending.get(key)
        if found is None:
            self._pending[key] = (event, 1, event.occurred)
        else:
            first, count, _last = found
            self._pending[key] = (first, count + 1, event.occurred)
        self._ensure_started()
        if len(self._pending) >= self.max_buffered and self._wake is not None:
            self._wake.set()

    def _ensure_started(self) -> None:
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._flush_lock = asyncio.Lock()
            self._task = asyncio.get_running_loop().create_task(
                self._loop(), name="proctor-audit-writer"
            )

    async def _loop(self) -> None:
        assert self._wake is not None
        while not self._closing:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
            self._wake.clear()
            await self.flush()

    async def flush(self) -> int:
        """Write everything buffered; on failure keep it for the next attempt."""
        if not self._pending:
            return 0
        lock = self._flush_lock or asyncio.Lock()
        async with lock:
            batch, self._pending = self._pending, {}
            events = [
                event
                if count == 1
                else replace(
                    event,
                    details={
                        **event.details,
                        "count": count,
                        "last": last.isoformat(),
                    },
                )
                for event, count, last in batch.values()
            ]
            try:
                self.written += await self._insert(events)
            except BaseException as error:
                self.failures += 1
                for key, entry in batch.items():  # put back, merged with newer ones
                    newer = self._pending.get(key)
                    if newer is None:
                        self._pending[key] = entry
                    else:
                        self._pending[key] = (entry[0], entry[1] + newer[1], newer[2])
                if not isinstance(error, Exception):
                    raise
                logger.warning("Could not write %d audit events; will retry", len(events))
                return 0
            return len(events)

    async def _insert(self, events: list[AuditRecord]) -> int:
        """Insert `events`; if a row breaks a constraint (its actor's user or key was
        deleted meanwhile, or its team), the others still go in: the actor moves to the
        details, and an event of a team that no longer exists is left out."""
        try:
            return await write_audit_events(self.db, events)
        except sa_exc.IntegrityError:
            if len(events) == 1 and not (events[0].actor_user_id or events[0].actor_api_key_id):
                logger.warning("Audit event of a deleted team left out: %s", events[0].action)
                return 0
        written = 0
        for event in events:
            try:
                written += await write_audit_events(self.db, [event])
            except sa_exc.IntegrityError:
                anonymous = replace(
                    event,
                    actor_user_id=None,
                    actor_api_key_id=None,
                    details={
                        **event.details,
                        "actor": str(event.actor_user_id or event.actor_api_key_id),
                    },
                )
                written += await self._insert([anonymous]) if anonymous != event else 0
        return written

    async def close(self, attempts: int = 5) -> None:
        """Stop the loop and write what is left (retrying a few times)."""
        task, self._task = self._task, None
        self._closing = True
        if task is not None and self._wake is not None:
            self._wake.set()  # the loop ends after the flush in progress, if any
            with contextlib.suppress(Exception):
                await task
        for attempt in range(attempts):
            await self.flush()
            if not self._pending:
                return
            await asyncio.sleep(0.1 * 2**attempt)
        logger.error("%d audit events could not be written at shutdown", len(self._pending))


_writers: weakref.WeakKeyDictionary[Database, AuditWriter] = weakref.WeakKeyDictionary()


def writer_for(db: Database) -> AuditWriter:
    # A request's view of the database (api.connection_budget) shares its writer.
    db = getattr(db, "unwrapped", db)
    writer = _writers.get(db)
    if writer is None:
        writer = _writers[db] = AuditWriter(db)
    return writer


async def close_writer(db: Database) -> None:
    writer = _writers.pop(getattr(db, "unwrapped", db), None)
    if writer is not None:
        await writer.close()


__all__ = ["AuditWriter", "close_writer", "writer_for"]
