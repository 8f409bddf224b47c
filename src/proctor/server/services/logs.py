"""Logs of flow runs and task runs: batched writes, filtered and paged reads."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database, record_event
from proctor.server.database.bulk import BulkWrite
from proctor.server.database.models import FlowRun, Log
from proctor.server.errors import InvalidInput, NotFound
from proctor.server.events import Event
from proctor.server.orchestration.states import parse_timestamp
from proctor.server.services.plumbing import records
from proctor.server.services.plumbing.inputs import LogIn, UuidCache, coerce, optional_int
from proctor.server.services.plumbing.pagination import (
    Ordering,
    SortKey,
    decode_cursor,
    encode_cursor,
    fetch_page,
)
from proctor.server.services.plumbing.validation import as_uuid, batch_size, json_value, page_size

_LOG = cast(sa.Table, Log.__table__)
_INSERT = BulkWrite(
    _LOG,
    columns=(
        "tenant_id",
        "flow_run_id",
        "task_slug",
        "map_index",
        "timestamp",
        "level",
        "message",
        "extra",
        "created",
    ),
)
LOG_ORDERING = Ordering("timestamp", (SortKey(Log.timestamp), SortKey(Log.id)))
MAX_MESSAGE_CHARS = 100_000

LEVELS = {
    "CRITICAL": logging.CRITICAL,
    "FATAL": logging.CRITICAL,
    "ERROR": logging.ERROR,
    "WARNING": logging.WARNING,
    "WARN": logging.WARNING,
    "INFO": logging.INFO,
    "DEBUG": logging.DEBUG,
    "NOTSET": logging.NOTSET,
}


def level_number(value: Any, what: str = "level") -> int:
    """A logging level from its number or its name ("info", "WARNING", ...)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100:
        return value
    if isinstance(value, str) and value.upper() in LEVELS:
        return LEVELS[value.upper()]
    raise InvalidInput(
        f"{what} must be a level name ({', '.join(LEVELS)}) or a number 0-100; got {value!r:.40}"
    )


def level_name(level: int) -> str:
    return (
        logging.getLevelName(level)
        if level in logging.getLevelNamesMapping().values()
        else str(level)
    )


def _rows(tenant: uuid.UUID, logs: Sequence[Any], now: datetime) -> list[tuple[Any, ...]]:
    parse_id = UuidCache()
    values = []
    for index, raw in enumerate(logs):
        log = coerce(LogIn, raw, index)
        if not isinstance(log.message, str):
            raise InvalidInput(f"Item {index}: message must be a string")
        message = log.message
        if len(message) > MAX_MESSAGE_CHARS:
            message = message[:MAX_MESSAGE_CHARS] + "… [truncated]"
        if log.task_slug is not None and not isinstance(log.task_slug, str):
            raise InvalidInput(f"Item {index}: task_slug must be a string")
        if not isinstance(log.extra, dict):
            raise InvalidInput(f"Item {index}: extra must be an object")
        if log.extra:
            json_value(log.extra, f"logs[{index}].extra")
        values.append(
            (
                tenant,
                parse_id(log.flow_run_id, "flow_run_id", index),
                log.task_slug,
                optional_int(log.map_index, "map_index", index, minimum=-1),
                parse_timestamp(log.timestamp, f"logs[{index}].timestamp") or now,
                level_number(log.level, f"logs[{index}].level"),
                message,
                log.extra,
                now,
            )
        )
    return values


async def write_logs(
    db: Database, tenant_id: uuid.UUID | str, logs: Sequence[LogIn | dict[str, Any]]
) -> int:
    """Store a batch of log lines in one transaction; returns how many were written.

    Every flow run named must exist in the tenant, or nothing is written (`NotFound`).
    """
    tenant = as_uuid(tenant_id, "tenant_id")
    batch_size(len(logs), "log lines")
    now = datetime.now(UTC)
    values = _rows(tenant, logs, now)
    if not values:
        return 0
    run_ids = sorted({v[1] for v in values})

    async def work(session: AsyncSession) -> int:
        found: set[uuid.UUID] = set()
        for start in range(0, len(run_ids), 1000):
            found.update(
                (
                    await session.scalars(
                        sa.select(FlowRun.id).where(
                            FlowRun.tenant_id == tenant,
                            FlowRun.id.in_(run_ids[start : start + 1000]),
                        )
                    )
                ).all()
            )
        missing = [str(i) for i in run_ids if i not in found]
        if missing:
            raise NotFound(f"No flow run {missing[0]}", details={"flow_run_ids": missing[:20]})
        await _INSERT(session, db.config, values)
        counts: dict[uuid.UUID, int] = {}
        for value in values:
            counts[value[1]] = counts.get(value[1], 0) + 1
        for run_id, count in counts.items():
            record_event(
                session,
                Event("logs.written", str(tenant), flow_run_id=str(run_id), data={"count": count}),
            )
        return len(values)

    return await db.run_in_transaction(work)


def _log_filters(
    db: Database,
    tenant: uuid.UUID,
    run_id: uuid.UUID,
    *,
    task_slug: str | None,
    map_index: int | None,
    level_min: int | str | None,
    search: str | None,
) -> Any:
    statement = sa.select(Log).where(Log.tenant_id == tenant, Log.flow_run_id == run_id)
    if task_slug is not None:
        statement = statement.where(Log.task_slug == task_slug)
    if map_index is not None:
        statement = statement.where(Log.map_index == map_index)
    if level_min is not None:
        statement = statement.where(Log.level >= level_number(level_min, "level_min"))
    if search:
        statement = statement.where(db.config.contains_ci(Log.message, search))
    return statement


def _log_line(log: Log) -> records.LogLine:
    return records.LogLine(
        id=log.id,
        flow_run_id=log.flow_run_id,
        task_slug=log.task_slug,
        map_index=log.map_index,
        timestamp=log.timestamp,
        level=log.level,
        level_name=level_name(log.level),
        message=log.message,
        extra=log.extra or {},
    )


async def list_logs(
    db: Database,
    tenant_id: uuid.UUID | str,
    flow_run_id: uuid.UUID | str,
    *,
    task_slug: str | None = None,
    map_index: int | None = None,
    level_min: int | str | None = None,
    search: str | None = None,
    after: str | None = None,
    first: int | None = None,
    last: int | None = None,
    count: bool = True,
) -> records.Page[records.LogLine]:
    """A run's logs oldest first, paged; `search` is a case-insensitive substring.

    `last=N` (instead of `first`) gives the newest N lines (after `after`, if given),
    still oldest first, with the cursor of the newest one: a log view opens at its tail
    without reading the whole run, then follows on with `after`.
    """
    tenant = as_uuid(tenant_id, "tenant_id")
    run_id = as_uuid(flow_run_id, "flow_run_id")
    if first is not None and last is not None:
        raise InvalidInput("Give `first` or `last`, not both", details={"field": "last"})
    statement = _log_filters(
        db,
        tenant,
        run_id,
        task_slug=task_slug,
        map_index=map_index,
        level_min=level_min,
        search=search,
    )
    if last is not None:
        return await _tail(db, statement, size=page_size(last), after=after, count=count)
    size = page_size(200 if first is None else first)
    async with db.session() as session:
        page = await fetch_page(
            session,
            statement,
            LOG_ORDERING,
            first=size,
            after=after,
            count=count,
            sort_values=lambda row: [row[0].timestamp, row[0].id],
        )
    return records.Page(
        items=[_log_line(log) for (log,) in page.rows],
        end_cursor=page.end_cursor,
        has_next_page=page.has_next_page,
        total_count=page.total_count,
    )


async def _tail(
    db: Database, statement: Any, *, size: int, after: str | None, count: bool
) -> records.Page[records.LogLine]:
    """The newest `size` lines of `statement` (after `after`), oldest first."""
    async with db.session() as session:
        total = None
        if count:
            total = (
                await session.execute(sa.select(sa.func.count()).select_from(statement.subquery()))
            ).scalar_one()
        if after:
            statement = statement.where(LOG_ORDERING.after(decode_cursor(LOG_ORDERING, after)))
        newest = statement.order_by(Log.timestamp.desc(), Log.id.desc()).limit(size)
        found = [log for (log,) in (await session.execute(newest)).all()] if size else []
    found.reverse()
    end_cursor = (
        encode_cursor(LOG_ORDERING, [found[-1].timestamp, found[-1].id]) if found else after
    )
    return records.Page(
        items=[_log_line(log) for log in found],
        end_cursor=end_cursor,
        has_next_page=False,
        total_count=total,
    )


__all__ = ["LEVELS", "level_number", "list_logs", "write_logs"]
