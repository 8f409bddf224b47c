"""Service levels per flow group, and finding the runs that miss them.

Three thresholds, each optional (seconds):

    late_start   a run is not Running `late_start` after its scheduled start time
    long_run     a run has been Running (or ran) longer than `long_run`
    missed_run   a time the flow's active schedule called for has no run that started
                 by `missed_run` after it (never created, deleted, or never started)

`detect_breaches` looks at runs and scheduled times no older than the look-back window
and inserts each breach once: the unique (flow group, kind, subject), where the subject
is the run id or, for a missed run, the scheduled time, makes replicas and repeated
passes harmless. Each new breach is published as `sla.breached` (after the commit),
which is what automations with an `sla_breach` trigger listen to.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database, record_event
from proctor.server.database.ids import new_id
from proctor.server.database.models import FlowGroup, FlowRun, FlowSla, SlaBreach
from proctor.server.errors import InvalidInput, NotFound
from proctor.server.events import Event
from proctor.server.orchestration.states import NOT_STARTED_FAMILIES
from proctor.server.services.alerting import records
from proctor.server.services.alerting.automations import resolve_flow_group
from proctor.server.services.alerting.specs import SLA_KINDS
from proctor.server.services.plumbing.pagination import Ordering, SortKey, fetch_page
from proctor.server.services.plumbing.records import Page
from proctor.server.services.plumbing.validation import as_uuid, page_size
from proctor.server.services.schedules import load_schedule, schedule_key

logger = logging.getLogger("proctor.server.alerting")

BREACH_EVENT = "sla.breached"
MAX_THRESHOLD_SECONDS = 30 * 86400.0
#: Scheduled times examined per flow and pass for missed runs.
MAX_SCHEDULED_TIMES = 200
# Families of a run that has not started (yet): Submitted counts, the agent has it but
# the run is not Running.
_UNSTARTED = sorted(NOT_STARTED_FAMILIES | {"Submitted"})


# -- configuration ---------------------------------------------------------------------


def _threshold(value: Any, what: str) -> float | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0 < value <= MAX_THRESHOLD_SECONDS
    ):
        raise InvalidInput(
            f"{what} must be a number of seconds above 0 and at most 30 days, or null",
            details={"field": what},
        )
    return float(value)


def _sla_record(row: FlowSla | None, group: uuid.UUID, tenant: uuid.UUID) -> records.FlowSla:
    if row is None:
        return records.FlowSla(group, tenant, None, None, None, None)
    return records.FlowSla(
        row.flow_group_id,
        row.tenant_id,
        row.late_start_seconds,
        row.long_run_seconds,
        row.missed_run_seconds,
        row.updated,
    )


async def set_flow_sla(
    db: Database,
    tenant_id: uuid.UUID | str,
    flow_id: uuid.UUID | str,
    *,
    late_start_seconds: float | None = None,
    long_run_seconds: float | None = None,
    missed_run_seconds: float | None = None,
) -> records.FlowSla:
    """Set the SLA of a flow (a flow group id or any version's id); all None removes it."""
    tenant = as_uuid(tenant_id, "tenant_id")
    late = _threshold(late_start_seconds, "lateStartSeconds")
    long = _threshold(long_run_seconds, "longRunSeconds")
    missed = _threshold(missed_run_seconds, "missedRunSeconds")
    async with db.transaction() as session:
        group = uuid.UUID(
            await resolve_flow_group(session, tenant, flow_id, "flowId", missing=NotFound)
        )
        row = await session.scalar(
            sa.select(FlowSla).where(FlowSla.flow_group_id == group).with_for_update()
        )
        if late is None and long is None and missed is None:
            if row is not None:
                await session.delete(row)
            return _sla_record(None, group, tenant)
        if row is None:
            row = FlowSla(tenant_id=tenant, flow_group_id=group)
            session.add(row)
        row.late_start_seconds, row.long_run_seconds, row.missed_run_seconds = late, long, missed
        # Always a new `updated`: missed runs are only looked for after it.
        row.updated = datetime.now(UTC)
        await session.flush()
        return _sla_record(row, group, tenant)


async def get_flow_sla(
    db: Database, tenant_id: uuid.UUID | str, flow_id: uuid.UUID | str
) -> records.FlowSla:
    tenant = as_uuid(tenant_id, "tenant_id")
    async with db.session() as session:
        group = uuid.UUID(
            await resolve_flow_group(session, tenant, flow_id, "flowId", missing=NotFound)
        )
        row = await session.scalar(sa.select(FlowSla).where(FlowSla.flow_group_id == group))
        return _sla_record(row, group, tenant)


# -- breaches --------------------------------------------------------------------------


_BREACHES_NEWEST_FIRST = Ordering(
    "-detected", (SortKey(SlaBreach.detected, True), SortKey(SlaBreach.id, True))
)


async def list_sla_breaches(
    db: Database,
    tenant_id: uuid.UUID | str,
    *,
    flow_id: uuid.UUID | str | None = None,
    kind: str | None = None,
    since: datetime | None = None,
    first: int | None = None,
    after: str | None = None,
    count: bool = False,
) -> Page[records.SlaBreach]:
    """Breaches, newest first (what the dashboard shows)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    size = page_size(first)
    if kind is not None and kind not in SLA_KINDS:
        raise InvalidInput(
            f"kind must be one of {', '.join(SLA_KINDS)}; got {kind!r:.40}",
            details={"field": "kind"},
        )
    statement = (
        sa.select(SlaBreach, FlowGroup.name)
        .join(FlowGroup, FlowGroup.id == SlaBreach.flow_group_id)
        .where(SlaBreach.tenant_id == tenant)
    )
    if kind is not None:
        statement = statement.where(SlaBreach.kind == kind)
    if since is not None:
        statement = statement.where(SlaBreach.detected >= since)
    async with db.session() as session:
        if flow_id is not None:
            group = uuid.UUID(
                await resolve_flow_group(session, tenant, flow_id, "flowId", missing=NotFound)
            )
            statement = statement.where(SlaBreach.flow_group_id == group)
        page = await fetch_page(
            session,
            statement,
            _BREACHES_NEWEST_FIRST,
            first=size,
            after=after,
            sort_values=lambda row: (row[0].detected, row[0].id),
            count=count,
        )
    return Page(
        items=[_breach_record(breach, name) for breach, name in page.rows],
        end_cursor=page.end_cursor,
        has_next_page=page.has_next_page,
        total_count=page.total_count,
    )


def _breach_record(row: SlaBreach, flow_name: str) -> records.SlaBreach:
    return records.SlaBreach(
        id=row.id,
        tenant_id=row.tenant_id,
        flow_group_id=row.flow_group_id,
        flow_name=flow_name,
        flow_run_id=row.flow_run_id,
        kind=row.kind,
        subject=row.subject,
        threshold_seconds=row.threshold_seconds,
        expected_at=row.expected_at,
        detected=row.detected,
        details=dict(row.details),
    )


@dataclass(slots=True)
class SlaReport:
    """What one watcher pass found."""

    slas: int = 0
    breaches: list[dict[str, Any]] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for breach in self.breaches if breach["kind"] == kind)


@dataclass(frozen=True, slots=True)
class _Target:
    tenant_id: uuid.UUID
    flow_group_id: uuid.UUID
    late: float | None
    long: float | None
    missed: float | None
    since: datetime
    schedule: dict[str, Any] | None
    schedule_active: bool


def _breach(
    target: _Target,
    kind: str,
    subject: str,
    threshold: float,
    expected: datetime,
    run_id: uuid.UUID | None,
    message: str,
    now: datetime,
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "tenant_id": target.tenant_id,
        "flow_group_id": target.flow_group_id,
        "flow_run_id": run_id,
        "kind": kind,
        "subject": subject,
        "threshold_seconds": threshold,
        "expected_at": expected,
        "detected": now,
        "details": {"message": message},
    }


def _seconds(delta: timedelta) -> str:
    return f"{delta.total_seconds():.0f} s"


async def _late_starts(
    session: AsyncSession, target: _Target, now: datetime, lookback: timedelta
) -> list[dict[str, Any]]:
    assert target.late is not None
    late = timedelta(seconds=target.late)
    rows = await session.execute(
        sa.select(
            FlowRun.id,
            FlowRun.name,
            FlowRun.scheduled_start_time,
            FlowRun.start_time,
            FlowRun.state_type,
        ).where(
            FlowRun.flow_group_id == target.flow_group_id,
            FlowRun.scheduled_start_time <= now - late,
            FlowRun.scheduled_start_time > now - late - lookback,
            sa.or_(FlowRun.state_type.in_(_UNSTARTED), FlowRun.start_time.is_not(None)),
        )
    )
    found = []
    for run_id, name, scheduled, started, family in rows.all():
        if started is None and family in _UNSTARTED:
            message = (
                f"Run {name} has not started {_seconds(now - scheduled)} after its scheduled time"
            )
        elif started is not None and started - scheduled > late:
            message = f"Run {name} started {_seconds(started - scheduled)} after its scheduled time"
        else:
            continue
        found.append(
            _breach(
                target,
                "late_start",
                str(run_id),
                target.late,
                scheduled + late,
                run_id,
                message + f" (SLA: {target.late:g} s).",
                now,
            )
        )
    return found


async def _long_runs(
    session: AsyncSession, target: _Target, now: datetime, lookback: timedelta
) -> list[dict[str, Any]]:
    assert target.long is not None
    long = timedelta(seconds=target.long)
    rows = await session.execute(
        sa.select(
            FlowRun.id, FlowRun.name, FlowRun.start_time, FlowRun.end_time, FlowRun.state_type
        ).where(
            FlowRun.flow_group_id == target.flow_group_id,
            FlowRun.start_time.is_not(None),
            FlowRun.start_time <= now - long,
            sa.or_(
                FlowRun.state_type == "Running",
                FlowRun.end_time > now - lookback,
            ),
        )
    )
    found = []
    for run_id, name, started, ended, family in rows.all():
        assert started is not None  # the query asked for started runs
        if family == "Running" or ended is None:
            ran, verb = now - started, "has been running for"
        else:
            ran, verb = ended - started, "ran for"
        if ran <= long:
            continue
        found.append(
            _breach(
                target,
                "long_run",
                str(run_id),
                target.long,
                started + long,
                run_id,
                f"Run {name} {verb} {_seconds(ran)} (SLA: {target.long:g} s).",
                now,
            )
        )
    return found


async def _missed_runs(
    session: AsyncSession, target: _Target, now: datetime, lookback: timedelta
) -> list[dict[str, Any]]:
    """Scheduled times in (since, now - missed] without a run that started."""
    assert target.missed is not None
    if not target.schedule_active or target.schedule is None:
        return []
    missed = timedelta(seconds=target.missed)
    window_end = now - missed
    window_start = max(target.since, now - missed - lookback)
    if window_end <= window_start:
        return []
    try:
        schedule = load_schedule(target.schedule)
        times = [
            event.start_time.astimezone(UTC)
            for event in schedule.next_events(MAX_SCHEDULED_TIMES, after=window_start)
        ]
    except Exception as error:  # the scheduler reports unusable schedules
        logger.debug("sla: schedule of %s unusable: %s", target.flow_group_id, error)
        return []
    times = [time for time in times if time <= window_end]
    if not times:
        return []
    keys = {schedule_key(time): time for time in times}
    # A run that started, but later than the threshold, missed its slot all the same.
    started = {
        key
        for key, start in (
            await session.execute(
                sa.select(FlowRun.schedule_key, FlowRun.start_time).where(
                    FlowRun.flow_group_id == target.flow_group_id,
                    FlowRun.schedule_key.in_(list(keys)),
                    FlowRun.start_time.is_not(None),
                )
            )
        ).all()
        if key is not None and start is not None and start - keys[key] <= missed
    }
    return [
        _breach(
            target,
            "missed_run",
            key,
            target.missed,
            time + missed,
            None,
            f"No run started for the scheduled time {key} (SLA: {target.missed:g} s).",
            now,
        )
        for key, time in keys.items()
        if key not in started
    ]


async def _targets(db: Database) -> list[_Target]:
    async with db.session() as session:
        rows = await session.execute(
            sa.select(FlowSla, FlowGroup.schedule, FlowGroup.schedule_active, FlowGroup.updated)
            .join(FlowGroup, FlowGroup.id == FlowSla.flow_group_id)
            .order_by(FlowSla.flow_group_id)
        )
        return [
            _Target(
                sla.tenant_id,
                sla.flow_group_id,
                sla.late_start_seconds,
                sla.long_run_seconds,
                sla.missed_run_seconds,
                # Missed runs count from when the SLA (or the flow's schedule) last changed.
                max(sla.updated, group_updated),
                schedule,
                bool(active),
            )
            for sla, schedule, active, group_updated in rows.all()
        ]


async def detect_breaches(
    db: Database, *, lookback_seconds: float = 86400.0, now: datetime | None = None
) -> SlaReport:
    """One pass over every SLA of every tenant: record and publish new breaches."""
    moment = now or datetime.now(UTC)
    lookback = timedelta(seconds=lookback_seconds)
    report = SlaReport()
    targets = await _targets(db)
    report.slas = len(targets)
    for target in targets:
        async with db.session() as session:
            found: list[dict[str, Any]] = []
            if target.late is not None:
                found += await _late_starts(session, target, moment, lookback)
            if target.long is not None:
                found += await _long_runs(session, target, moment, lookback)
            if target.missed is not None:
                found += await _missed_runs(session, target, moment, lookback)
        if found:
            report.breaches += await _insert_breaches(db, found)
    return report


async def _insert_breaches(db: Database, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        inserted = set(
            (
                await session.execute(
                    db.config.insert(cast(sa.Table, SlaBreach.__table__))
                    .values(found)
                    .on_conflict_do_nothing(index_elements=["flow_group_id", "kind", "subject"])
                    .returning(SlaBreach.__table__.c.id)
                )
            ).scalars()
        )
        new = [breach for breach in found if breach["id"] in inserted]
        for breach in new:
            record_event(
                session,
                Event(
                    BREACH_EVENT,
                    str(breach["tenant_id"]),
                    flow_run_id=None
                    if breach["flow_run_id"] is None
                    else str(breach["flow_run_id"]),
                    data={
                        "breach_id": str(breach["id"]),
                        "kind": breach["kind"],
                        "flow_group_id": str(breach["flow_group_id"]),
                    },
                ),
            )
        return new

    return await db.run_in_transaction(work)


__all__ = [
    "BREACH_EVENT",
    "SlaReport",
    "detect_breaches",
    "get_flow_sla",
    "list_sla_breaches",
    "set_flow_sla",
]
