"""Aggregates for the dashboard."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.models import FlowRun
from proctor.server.errors import InvalidInput
from proctor.server.orchestration.states import parse_timestamp
from proctor.server.services.plumbing.validation import as_uuid

MAX_BUCKETS = 10_000


async def run_counts(
    db: Database,
    tenant_id: uuid.UUID | str,
    *,
    since: datetime | str,
    bucket_seconds: int,
    until: datetime | str | None = None,
) -> list[dict[str, Any]]:
    """Flow runs per time bucket and state family: `[{bucket_start, state, count}]`.

    A run counts at its start time, or its scheduled time if it has not started.
    Buckets are aligned to multiples of `bucket_seconds` since the epoch (UTC); only
    non-empty buckets are returned, oldest first.
    """
    tenant = as_uuid(tenant_id, "tenant_id")
    start = parse_timestamp(since, "since")
    end = parse_timestamp(until, "until")
    if start is None:
        raise InvalidInput("since is required")
    if (
        not isinstance(bucket_seconds, int)
        or isinstance(bucket_seconds, bool)
        or bucket_seconds < 1
    ):
        raise InvalidInput("bucket_seconds must be a positive integer")
    horizon = (end or datetime.now(UTC)) - start
    if horizon.total_seconds() / bucket_seconds > MAX_BUCKETS:
        raise InvalidInput(f"More than {MAX_BUCKETS} buckets: use larger buckets")
    moment = sa.func.coalesce(FlowRun.start_time, FlowRun.scheduled_start_time)
    bucket = db.config.epoch_bucket(moment, bucket_seconds).label("bucket")
    statement = (
        sa.select(bucket, FlowRun.state_type, sa.func.count().label("n"))
        .where(FlowRun.tenant_id == tenant, moment >= start)
        .group_by(bucket, FlowRun.state_type)
        .order_by(bucket, FlowRun.state_type)
    )
    if end is not None:
        statement = statement.where(moment < end)
    async with db.session() as session:
        result = await session.execute(statement)
        return [
            {
                "bucket_start": datetime.fromtimestamp(int(row.bucket), UTC),
                "state": row.state_type,
                "count": int(row.n),
            }
            for row in result
        ]


__all__ = ["run_counts"]
