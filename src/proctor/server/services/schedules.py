"""Schedules: materialising the upcoming runs of active schedules, and keeping them in
step when a schedule is turned off or a new version of its flow is registered.

Idempotence. Every run the scheduler makes carries a `schedule_key` (its start time in
UTC, ISO-8601), unique per flow group: runs are inserted with ON CONFLICT DO NOTHING, so
the same time never gives two runs, whichever version, however many passes, and however
many server replicas run the scheduler at once. Nothing needs a lock or a leader.

The schedule is the flow group's `Schedule.to_dict()` JSON, rebuilt with
`proctor.core.schedules.Schedule.from_dict` (engine code, never user code). A clock's
`parameter_defaults` fill the run's parameters (checked against the version's schema
like any run's) and its `labels`, when it has any, replace the flow's labels.

"Unstarted auto-scheduled runs" are runs the scheduler made that are still plain
`Scheduled`, never ran and are not claimed: turning the schedule off deletes them; a new
version adopts them (or deletes them when the schedule itself changed, for the scheduler
to recreate at the new times).
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database, record_event
from proctor.server.database.ids import new_id
from proctor.server.database.models import Flow, FlowGroup, FlowRun, FlowRunState
from proctor.server.errors import InvalidInput
from proctor.server.events import Event
from proctor.server.services.plumbing.names import run_name
from proctor.server.services.plumbing.parameters import validate_parameters
from proctor.server.services.plumbing.schedule_memory import ScheduleMemory

if TYPE_CHECKING:
    from proctor.core.schedules import Schedule, ScheduledEvent

logger = logging.getLogger(__name__)

_RUN = cast(sa.Table, FlowRun.__table__)
_HISTORY = cast(sa.Table, FlowRunState.__table__)
SCHEDULED_MESSAGE = "Scheduled by the flow's schedule."


@dataclass(frozen=True, slots=True)
class ScheduleTarget:
    """An active schedule and the flow version its runs are made of."""

    tenant_id: uuid.UUID
    flow_group_id: uuid.UUID
    schedule: dict[str, Any]
    flow_id: uuid.UUID
    parameter_schema: dict[str, Any]
    labels: list[str]


@dataclass(frozen=True, slots=True)
class PlannedRun:
    start: datetime  # UTC
    parameters: dict[str, Any]
    labels: list[str]
    clock: int

    @property
    def key(self) -> str:
        return schedule_key(self.start)


@dataclass(slots=True)
class SchedulerReport:
    """What one pass did: runs created, and schedules that could not be used (why)."""

    created: int = 0
    schedules: int = 0
    errors: dict[uuid.UUID, str] = field(default_factory=dict)


def schedule_key(start: datetime) -> str:
    """The idempotency key of the run a schedule makes for `start`."""
    return start.astimezone(UTC).isoformat()


def load_schedule(document: Any) -> Schedule:
    """A stored schedule as a `Schedule` (`ScheduleError` when malformed)."""
    from proctor.core.schedules import Schedule

    return Schedule.from_dict(document)


def check_schedule(document: Any) -> None:
    """Refuse a schedule about to be stored: malformed, or with a clock that finds no start
    time within the search horizon (it may never fire, and would cost every scheduler
    pass a search). `InvalidInput` naming the clock; nothing is stored."""
    if document is None:
        return
    try:
        load_schedule(document).check_can_fire()
    except ValueError as exc:  # ScheduleError, SearchLimitReached
        raise InvalidInput(f"schedule: {exc}", details={"field": "schedule"}) from None


def plan_runs(
    target: ScheduleTarget,
    now: datetime,
    *,
    max_runs: int,
    horizon: timedelta,
    memory: ScheduleMemory | None = None,
) -> list[PlannedRun]:
    """The runs the schedule wants in (now, now + horizon], at most `max_runs`.
    Raises `ScheduleError` or `InvalidInput` (a clock's defaults do not fit the schema).
    With a `memory`, clocks an earlier pass found stalled are not searched again, and
    nothing is searched while a known quiet stretch lasts past the horizon."""
    schedule = load_schedule(target.schedule)
    limit = now + horizon
    group, document = target.flow_group_id, target.schedule
    if memory is not None and not memory.needs_search(group, document, schedule, limit):
        return []
    skip = memory.stalled(group, document) if memory is not None else frozenset()
    found = schedule.search(max_runs, after=now, skip_clocks=skip)
    if memory is not None:
        memory.learn(group, document, schedule, found)
    planned = []
    for event in found.events:
        if event.start_time.astimezone(UTC) > limit:
            break
        planned.append(planned_run(event, target.parameter_schema, target.labels))
    return planned


def planned_run(
    event: ScheduledEvent, parameter_schema: dict[str, Any], flow_labels: list[str]
) -> PlannedRun:
    """The run a schedule's event asks for (the scheduler's and a backfill's alike): its
    clock's parameter defaults checked against the schema (`InvalidInput`), its clock's
    labels or else the flow's."""
    return PlannedRun(
        start=event.start_time.astimezone(UTC),
        parameters=validate_parameters(parameter_schema, event.parameter_defaults),
        labels=list(event.labels) or list(flow_labels),
        clock=event.clock_index,
    )


MAX_NEXT_RUN_TIMES = 100
_DISPLAY_STALLED_SIZE = 256
_DISPLAY_STALLED: dict[str, frozenset[int]] = {}


def next_run_times(
    document: dict[str, Any] | None, n: int, *, after: datetime | None = None
) -> list[datetime]:
    """The next `n` start times (UTC) of a stored schedule, as the engine computes them,
    for display; whether the schedule is active is the caller's business. A schedule
    that cannot be rebuilt has no next times (the scheduler reports why)."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_NEXT_RUN_TIMES:
        raise InvalidInput(
            f"n must be between 1 and {MAX_NEXT_RUN_TIMES}; got {n!r:.20}", details={"field": "n"}
        )
    if not isinstance(document, dict):
        return []
    key = json.dumps(document, sort_keys=True, default=str)
    try:
        found = load_schedule(document).search(
            n, after=after or datetime.now(UTC), skip_clocks=_DISPLAY_STALLED.get(key, frozenset())
        )
    except ValueError:  # ScheduleError
        return []
    if found.stalled_clocks:
        # Shown on flow pages, which are read often: search a clock that may never fire once.
        if len(_DISPLAY_STALLED) >= _DISPLAY_STALLED_SIZE:
            _DISPLAY_STALLED.pop(next(iter(_DISPLAY_STALLED)))
        _DISPLAY_STALLED[key] = _DISPLAY_STALLED.get(key, frozenset()) | found.stalled_clocks
    return [event.start_time.astimezone(UTC) for event in found.events]


async def active_schedules(db: Database) -> list[ScheduleTarget]:
    """Every active schedule of every tenant, with the newest unarchived version."""
    newest = (
        sa.select(Flow.flow_group_id, sa.func.max(Flow.version).label("version"))
        .where(Flow.archived.is_(False))
        .group_by(Flow.flow_group_id)
        .subquery()
    )
    statement = (
        sa.select(
            FlowGroup.tenant_id,
            FlowGroup.id,
            FlowGroup.schedule,
            Flow.id,
            Flow.parameter_schema,
            Flow.labels,
        )
        .join(newest, newest.c.flow_group_id == FlowGroup.id)
        .join(Flow, sa.and_(Flow.flow_group_id == FlowGroup.id, Flow.version == newest.c.version))
        .where(FlowGroup.schedule_active.is_(True))
        .order_by(FlowGroup.id)
    )
    async with db.session() as session:
        found = (await session.execute(statement)).all()
    return [
        ScheduleTarget(tenant, group, schedule, flow, schema or {}, list(labels or []))
        for tenant, group, schedule, flow, schema, labels in found
        if isinstance(schedule, dict)
    ]


async def insert_runs(
    session: AsyncSession,
    db: Database,
    target: ScheduleTarget,
    planned: list[PlannedRun],
    now: datetime,
    *,
    backfill_id: uuid.UUID | None = None,
    message: str = SCHEDULED_MESSAGE,
) -> int:
    """Insert the planned runs that do not exist yet (by schedule key), with their first
    history row and a `flow_run.created` event each; returns how many were new. The
    scheduler's runs are `auto_scheduled`; a backfill's name their backfill instead."""
    context_extra = {} if backfill_id is None else {"backfill": {"id": str(backfill_id)}}
    values = [
        {
            "id": new_id(),
            "tenant_id": target.tenant_id,
            "flow_id": target.flow_id,
            "flow_group_id": target.flow_group_id,
            "name": run_name(),
            "state": "Scheduled",
            "state_type": "Scheduled",
            "state_message": message,
            "state_timestamp": now,
            "version": 1,
            "run_count": 0,
            "parameters": run.parameters,
            "context": {"schedule": {"clock": run.clock}, **context_extra},
            "labels": run.labels,
            "scheduled_start_time": run.start,
            "auto_scheduled": backfill_id is None,
            "schedule_key": run.key,
            "backfill_id": backfill_id,
            "lazarus_count": 0,
            "created": now,
            "updated": now,
        }
        for run in planned
    ]
    if not values:
        return 0
    statement = (
        db.config.insert(_RUN)
        .values(values)
        .on_conflict_do_nothing(index_elements=["flow_group_id", "schedule_key"])
        .returning(_RUN.c.id)
    )
    inserted = set((await session.execute(statement)).scalars())
    if not inserted:
        return 0
    history = [
        {
            "id": new_id(),
            "tenant_id": target.tenant_id,
            "flow_run_id": row["id"],
            "state": "Scheduled",
            "state_type": "Scheduled",
            "message": message,
            "timestamp": now,
            "start_time": row["scheduled_start_time"],
            "version": 1,
            "data": {},
            "created": now,
        }
        for row in values
        if row["id"] in inserted
    ]
    await session.execute(sa.insert(_HISTORY), history)
    for row in history:
        record_event(
            session,
            Event(
                "flow_run.created",
                str(target.tenant_id),
                flow_run_id=str(row["flow_run_id"]),
                data={"flow_id": str(target.flow_id), "state": "Scheduled", "version": 1},
            ),
        )
    return len(inserted)


async def schedule_runs(
    db: Database,
    *,
    now: datetime | None = None,
    max_runs: int = 10,
    horizon_seconds: float = 3600.0,
    memory: ScheduleMemory | None = None,
) -> SchedulerReport:
    """One scheduler pass over every active schedule (one short transaction each).
    The scheduler service passes its `memory`, so that a schedule that cannot fire
    costs one search, not one per pass (see `schedule_memory`)."""
    moment = now or datetime.now(UTC)
    horizon = timedelta(seconds=horizon_seconds)
    report = SchedulerReport()
    targets = await active_schedules(db)
    if memory is None:
        memory = ScheduleMemory()  # this pass only
    memory.keep_only({target.flow_group_id for target in targets})
    for target in targets:
        report.schedules += 1
        try:
            planned = plan_runs(target, moment, max_runs=max_runs, horizon=horizon, memory=memory)
        except (InvalidInput, ValueError) as exc:  # ScheduleError is a ValueError
            report.errors[target.flow_group_id] = str(exc)
            continue
        problem = memory.problem(target.flow_group_id, target.schedule)
        if problem is not None:
            report.errors[target.flow_group_id] = problem
        if planned:
            async with db.transaction() as session:
                if await _still_current(session, target):
                    report.created += await insert_runs(session, db, target, planned, moment)
    return report


async def _still_current(session: AsyncSession, target: ScheduleTarget) -> bool:
    """Re-check, holding the group's row lock, that the schedule is still on, unchanged,
    and `target.flow_id` still its newest version: turning the schedule off or
    registering a version (both lock that row) between our read and this write must not
    leave runs behind."""
    group = (
        await session.execute(
            sa.select(FlowGroup.schedule_active, FlowGroup.schedule)
            .where(FlowGroup.id == target.flow_group_id)
            .with_for_update()
        )
    ).first()
    if group is None or not group.schedule_active or group.schedule != target.schedule:
        return False
    newest = await session.scalar(
        sa.select(Flow.id)
        .where(Flow.flow_group_id == target.flow_group_id, Flow.archived.is_(False))
        .order_by(Flow.version.desc())
        .limit(1)
    )
    return newest == target.flow_id


def unstarted_auto_runs(flow_group_id: uuid.UUID) -> sa.ColumnElement[bool]:
    """Runs the scheduler made for this group that nothing has touched yet."""
    return sa.and_(
        FlowRun.flow_group_id == flow_group_id,
        FlowRun.auto_scheduled.is_(True),
        FlowRun.state == "Scheduled",
        FlowRun.run_count == 0,
        FlowRun.agent_id.is_(None),
    )


async def remove_unstarted_auto_runs(
    session: AsyncSession, tenant: uuid.UUID, flow_group_id: uuid.UUID
) -> int:
    """Delete them (a schedule turned off, or changed), one `flow_run.deleted` each."""
    ids = list(
        (
            await session.scalars(
                sa.select(FlowRun.id)
                .where(unstarted_auto_runs(flow_group_id))
                .with_for_update(skip_locked=True)
            )
        ).all()
    )
    if ids:
        await session.execute(
            sa.delete(FlowRun)
            .where(FlowRun.id.in_(ids))
            .execution_options(synchronize_session=False)
        )
        for run_id in ids:
            record_event(session, Event("flow_run.deleted", str(tenant), flow_run_id=str(run_id)))
    return len(ids)


async def adopt_new_version(
    session: AsyncSession,
    tenant: uuid.UUID,
    group: FlowGroup,
    flow: Flow,
    previous_schedule: dict[str, Any] | None,
) -> None:
    """After a new version of `group` was stored (in the registration's transaction):
    its unstarted auto-scheduled runs move to the new version, with parameters and
    labels recomputed from their clock; when the schedule itself changed they are
    deleted instead, and the scheduler makes the new ones."""
    if not group.schedule_active or group.schedule is None or group.schedule != previous_schedule:
        await remove_unstarted_auto_runs(session, tenant, group.id)
        return
    try:
        clocks = load_schedule(group.schedule).clocks
    except ValueError:
        await remove_unstarted_auto_runs(session, tenant, group.id)
        return
    runs = (
        await session.execute(
            sa.select(FlowRun.id, FlowRun.context)
            .where(unstarted_auto_runs(group.id))
            .with_for_update(skip_locked=True)
        )
    ).all()
    doomed = []
    for run_id, context in runs:
        index = ((context or {}).get("schedule") or {}).get("clock", 0)
        clock = clocks[index] if isinstance(index, int) and 0 <= index < len(clocks) else None
        try:
            parameters = validate_parameters(
                flow.parameter_schema or {}, clock.parameter_defaults if clock else {}
            )
        except InvalidInput:
            doomed.append(run_id)  # the new version needs a parameter the clock lacks
            continue
        labels = (clock.labels if clock else []) or list(flow.labels or [])
        await session.execute(
            sa.update(FlowRun)
            .where(FlowRun.id == run_id)
            .values(flow_id=flow.id, parameters=parameters, labels=labels)
            .execution_options(synchronize_session=False)
        )
    if doomed:
        await session.execute(
            sa.delete(FlowRun)
            .where(FlowRun.id.in_(doomed))
            .execution_options(synchronize_session=False)
        )
        for run_id in doomed:
            record_event(session, Event("flow_run.deleted", str(tenant), flow_run_id=str(run_id)))


__all__ = [
    "PlannedRun",
    "ScheduleTarget",
    "SchedulerReport",
    "active_schedules",
    "adopt_new_version",
    "check_schedule",
    "insert_runs",
    "next_run_times",
    "plan_runs",
    "planned_run",
    "remove_unstarted_auto_runs",
    "schedule_key",
    "schedule_runs",
    "unstarted_auto_runs",
]
