"""Backfills: runs of a flow for every scheduled time of a past range [start, end).

A backfill is one row (`backfill`) and the runs it made (`flow_run.backfill_id`). So
that a backfill of thousands of runs does not flood the agents, its runs are made
lazily: at most `max_concurrent` of them are unfinished at any moment. Creating the
backfill makes the first `max_concurrent`; after that the backfiller service (woken
whenever a run changes state) tops each running backfill up to its limit, holding the
backfill's row lock while it counts and inserts, so agents never see more than
`max_concurrent` of its runs to claim or run.

Each run is made exactly like a scheduled run of that time: its `scheduled_start_time`
is the scheduled time (what the flow reads as its scheduled start), its parameters and
labels come from the clock that produced the time, and it carries the scheduler's
idempotency key for that time. A time that already has a run (from the scheduler or an
earlier backfill) is therefore never run twice: the preview counts such times as
`existing`, and creating skips them.

The times come from the *effective* schedule when the backfill is created (kept in the
row, so later edits do not change a backfill under way). A backfill with more times
than the cap (`server.services.backfill.max_runs`, 10,000 by default) is refused.
Cancelling a backfill stops it making runs and cancels its unfinished runs (Cancelling
for a run in progress, Cancelled for one that has not started) through the
orchestration rules.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database, record_event
from proctor.server.database.ids import new_id
from proctor.server.database.models import Backfill, Flow, FlowGroup, FlowRun, FlowRunState
from proctor.server.errors import Conflict, InvalidInput, NotFound
from proctor.server.events import Event
from proctor.server.orchestration import ProposedState
from proctor.server.orchestration.states import FINISHED_FAMILIES, parse_timestamp
from proctor.server.services.flow_run_states import FlowChange, transition_flow_runs
from proctor.server.services.plumbing import records, rows
from proctor.server.services.plumbing.parameters import validate_parameters
from proctor.server.services.plumbing.validation import as_uuid
from proctor.server.services.schedule_edits import group_for
from proctor.server.services.schedules import (
    ScheduleTarget,
    insert_runs,
    load_schedule,
    planned_run,
    schedule_key,
)

if TYPE_CHECKING:
    from proctor.core.schedules import Schedule, ScheduledEvent

__all__ = [
    "DEFAULT_MAX_RUNS",
    "MAX_CONCURRENT",
    "BackfillPreview",
    "BackfillRecord",
    "TopUpReport",
    "backfill_runs",
    "cancel_backfill",
    "create_backfill",
    "get_backfill",
    "list_backfills",
    "preview_backfill",
    "scheduled_times",
    "top_up_backfills",
]

DEFAULT_MAX_RUNS = 10_000
MAX_CONCURRENT = 1_000
SHOWN = 5  # times listed at each end of a preview
_CHUNK = 500
_FINISHED = sorted(FINISHED_FAMILIES)
_RUN = cast(sa.Table, FlowRun.__table__)
_HISTORY = cast(sa.Table, FlowRunState.__table__)
MESSAGE = "Scheduled by a backfill."


@dataclass(frozen=True, slots=True)
class PreviewTime:
    start: datetime
    exists: bool  # a run for this time exists already: the backfill skips it


@dataclass(frozen=True, slots=True)
class BackfillPreview:
    flow_group_id: uuid.UUID
    flow_id: uuid.UUID
    start: datetime
    end: datetime
    times: int  # scheduled times in the range
    existing: int  # of them, times that already have a run
    first: list[PreviewTime]
    last: list[PreviewTime]
    max_runs: int

    @property
    def new(self) -> int:
        return self.times - self.existing


@dataclass(frozen=True, slots=True)
class BackfillRecord:
    id: uuid.UUID
    flow_group_id: uuid.UUID
    flow_id: uuid.UUID
    flow_name: str
    start: datetime
    end: datetime
    max_concurrent: int
    total: int
    skipped: int
    created_runs: int
    state: str
    created: datetime
    ended: datetime | None
    counts: dict[str, int] = field(default_factory=dict)  # runs per state family

    @property
    def finished(self) -> int:
        return sum(n for family, n in self.counts.items() if family in FINISHED_FAMILIES)


@dataclass(slots=True)
class TopUpReport:
    backfills: int = 0
    created: int = 0
    completed: int = 0


def _range(start: Any, end: Any, now: datetime) -> tuple[datetime, datetime]:
    begin = parse_timestamp(start, "start")
    stop = parse_timestamp(end, "end")
    if begin is None or stop is None:
        raise InvalidInput("a backfill needs a start and an end", details={"field": "start"})
    if not begin < stop:
        raise InvalidInput(
            f"start ({begin.isoformat()}) must be before end ({stop.isoformat()})",
            details={"field": "end"},
        )
    if stop > now:
        raise InvalidInput(
            f"end ({stop.isoformat()}) is in the future: a backfill covers past times; "
            "the scheduler makes runs for times to come",
            details={"field": "end"},
        )
    return begin, stop


def _events(
    schedule: Schedule, after: datetime, end: datetime, chunk: int = _CHUNK
) -> Iterator[ScheduledEvent]:
    """The schedule's events strictly after `after` and before `end`, in order, searched
    `chunk` at a time."""
    while True:
        found = schedule.search(chunk, after=after)
        for event in found.events:
            if event.start_time >= end:
                return
            yield event
        if found.events:
            after = found.events[-1].start_time
        elif found.cut_short and found.searched_until is not None and found.searched_until < end:
            after = found.searched_until  # filters rejected a long stretch: go on past it
        else:
            return


def scheduled_times(
    document: dict[str, Any], start: datetime, end: datetime, max_runs: int
) -> list[ScheduledEvent]:
    """Every event of a stored schedule in [start, end); `InvalidInput` past `max_runs`."""
    try:
        schedule = load_schedule(document)
    except ValueError as exc:
        raise InvalidInput(f"schedule: {exc}") from None
    found: list[ScheduledEvent] = []
    for event in _events(schedule, start - timedelta(microseconds=1), end):
        found.append(event)
        if len(found) > max_runs:
            raise InvalidInput(
                f"the range has more than {max_runs:,} scheduled times (the backfill cap); "
                "backfill a shorter range, or raise PROCTOR_SERVER_SERVICES_BACKFILL_MAX_RUNS",
                details={"field": "end", "max_runs": max_runs},
            )
    return found


async def _existing(session: AsyncSession, group_id: uuid.UUID, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for at in range(0, len(keys), _CHUNK):
        chunk = keys[at : at + _CHUNK]
        keys_found = await session.scalars(
            sa.select(FlowRun.schedule_key).where(
                FlowRun.flow_group_id == group_id, FlowRun.schedule_key.in_(chunk)
            )
        )
        found.update(key for key in keys_found.all() if key is not None)
    return found


@dataclass(frozen=True, slots=True)
class _Plan:
    group_id: uuid.UUID
    flow_id: uuid.UUID
    schedule: dict[str, Any]
    start: datetime
    end: datetime
    events: list[ScheduledEvent]
    existing: set[str]

    @property
    def keys(self) -> list[str]:
        return [schedule_key(event.start_time) for event in self.events]


async def _target(
    session: AsyncSession, tenant: uuid.UUID, some_id: uuid.UUID, *, lock: bool = False
) -> tuple[FlowGroup, Flow]:
    """The flow group (with a schedule) and its newest active version."""
    group = await group_for(session, tenant, some_id, lock=lock)
    if group.schedule is None:
        raise InvalidInput(
            f"flow {group.name!r} has no schedule to backfill: add a clock first",
            details={"field": "flow_id"},
        )
    flow = await session.scalar(
        sa.select(Flow)
        .where(Flow.flow_group_id == group.id, Flow.archived.is_(False))
        .order_by(Flow.version.desc())
        .limit(1)
    )
    if flow is None:
        raise InvalidInput(f"every version of flow {group.name!r} is archived")
    return group, flow


async def _plan(
    db: Database,
    tenant: uuid.UUID,
    flow_id: uuid.UUID | str,
    start: Any,
    end: Any,
    max_runs: int,
) -> _Plan:
    begin, stop = _range(start, end, datetime.now(UTC))
    async with db.session() as session:
        group, flow = await _target(session, tenant, as_uuid(flow_id, "flow_id"))
        group_id, version_id, schedule = group.id, flow.id, dict(group.schedule or {})
    # Thousands of times cost the engine a second or two: not on the event loop, and
    # not inside a transaction (SQLite would hold its write lock meanwhile).
    events = await asyncio.to_thread(scheduled_times, schedule, begin, stop, max_runs)
    async with db.session() as session:
        existing = await _existing(
            session, group_id, [schedule_key(event.start_time) for event in events]
        )
    return _Plan(group_id, version_id, schedule, begin, stop, events, existing)


def _shown(events: list[ScheduledEvent], existing: set[str]) -> list[PreviewTime]:
    return [
        PreviewTime(e.start_time.astimezone(UTC), schedule_key(e.start_time) in existing)
        for e in events
    ]


async def preview_backfill(
    db: Database,
    tenant_id: uuid.UUID | str,
    flow_id: uuid.UUID | str,
    start: Any,
    end: Any,
    *,
    max_runs: int = DEFAULT_MAX_RUNS,
) -> BackfillPreview:
    """The dry run: how many times the range has, how many already have a run, and the
    first and last few."""
    tenant = as_uuid(tenant_id, "tenant_id")
    plan = await _plan(db, tenant, flow_id, start, end, max_runs)
    events = plan.events
    return BackfillPreview(
        flow_group_id=plan.group_id,
        flow_id=plan.flow_id,
        start=plan.start,
        end=plan.end,
        times=len(events),
        existing=sum(1 for e in events if schedule_key(e.start_time) in plan.existing),
        first=_shown(events[:SHOWN], plan.existing),
        # The last few after those shown first (none twice).
        last=_shown(events[max(SHOWN, len(events) - SHOWN) :], plan.existing),
        max_runs=max_runs,
    )


def _concurrency(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_CONCURRENT:
        raise InvalidInput(
            f"maxConcurrent must be between 1 and {MAX_CONCURRENT}; got {value!r:.20}",
            details={"field": "max_concurrent"},
        )
    return value


async def create_backfill(
    db: Database,
    tenant_id: uuid.UUID | str,
    flow_id: uuid.UUID | str,
    start: Any,
    end: Any,
    *,
    max_concurrent: int = 10,
    max_runs: int = DEFAULT_MAX_RUNS,
) -> BackfillRecord:
    """Create the backfill and its first `max_concurrent` runs (nothing on a refusal)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    limit = _concurrency(max_concurrent)
    plan = await _plan(db, tenant, flow_id, start, end, max_runs)
    async with db.transaction() as session:
        group, flow = await _target(session, tenant, plan.group_id, lock=True)
        if group.schedule != plan.schedule or flow.id != plan.flow_id:
            raise Conflict(
                f"the schedule or the version of flow {group.name!r} changed while the "
                "backfill was planned; try again",
                details={"flow_group_id": str(group.id)},
            )
        existing = await _existing(session, group.id, plan.keys)  # again, under the lock
        new = [e for e in plan.events if schedule_key(e.start_time) not in existing]
        if not new:
            raise InvalidInput(
                f"nothing to backfill: the range has {len(plan.events)} scheduled time(s) "
                "and each already has a run",
                details={"field": "end"},
            )
        clocks = load_schedule(plan.schedule).clocks
        for index in sorted({e.clock_index for e in new}):
            try:
                validate_parameters(flow.parameter_schema or {}, clocks[index].parameter_defaults)
            except InvalidInput as exc:
                raise InvalidInput(f"clocks[{index}] parameter defaults: {exc}") from None
        backfill = Backfill(
            id=new_id(),
            tenant_id=tenant,
            flow_group_id=group.id,
            flow_id=flow.id,
            schedule=plan.schedule,
            range_start=plan.start,
            range_end=plan.end,
            max_concurrent=limit,
            total=len(new),
            skipped=len(plan.events) - len(new),
            created_runs=0,
            cursor=None,
            state="Running",
        )
        session.add(backfill)
        await session.flush()
        record_event(
            session,
            Event(
                "backfill.created",
                str(tenant),
                data={"backfill_id": str(backfill.id), "flow_group_id": str(group.id)},
            ),
        )
        await _top_up(session, db, backfill, flow, datetime.now(UTC))
        return await _record(session, backfill)


async def _unfinished(session: AsyncSession, backfill_id: uuid.UUID) -> int:
    return int(
        await session.scalar(
            sa.select(sa.func.count())
            .select_from(FlowRun)
            .where(FlowRun.backfill_id == backfill_id, FlowRun.state_type.not_in(_FINISHED))
        )
        or 0
    )


async def _insert(
    session: AsyncSession,
    db: Database,
    backfill: Backfill,
    flow: Flow,
    events: list[ScheduledEvent],
    now: datetime,
) -> int:
    """Insert runs for these times (a time with a run already is skipped), as the
    scheduler inserts its own (`schedules.insert_runs`), naming the backfill."""
    target = ScheduleTarget(
        tenant_id=backfill.tenant_id,
        flow_group_id=backfill.flow_group_id,
        schedule=backfill.schedule,
        flow_id=flow.id,
        parameter_schema=flow.parameter_schema or {},
        labels=list(flow.labels or []),
    )
    planned = [planned_run(e, target.parameter_schema, target.labels) for e in events]
    return await insert_runs(
        session, db, target, planned, now, backfill_id=backfill.id, message=MESSAGE
    )


async def _top_up(
    session: AsyncSession, db: Database, backfill: Backfill, flow: Flow, now: datetime
) -> int:
    """Make runs until `max_concurrent` are unfinished or every time has one; mark the
    backfill Completed when all its runs are made and finished. The caller holds the
    backfill's row (locked), so no other pass counts or inserts at the same time."""
    made = 0
    unfinished = await _unfinished(session, backfill.id)
    exhausted = backfill.cursor is not None and backfill.cursor >= backfill.range_end
    if not exhausted and unfinished < backfill.max_concurrent:
        after = backfill.cursor or backfill.range_start - timedelta(microseconds=1)
        free = backfill.max_concurrent - unfinished
        # Searched a few more than the free slots (times that have a run are skipped);
        # whether times remain once every slot is taken is left to a later pass.
        stream = _events(
            load_schedule(backfill.schedule), after, backfill.range_end, min(_CHUNK, free + 8)
        )
        while unfinished + made < backfill.max_concurrent:
            batch = [
                e
                for _, e in zip(
                    range(backfill.max_concurrent - unfinished - made), stream, strict=False
                )
            ]
            if not batch:
                exhausted = True
                break
            made += await _insert(session, db, backfill, flow, batch, now)
            backfill.cursor = batch[-1].start_time.astimezone(UTC)
        if exhausted:
            backfill.cursor = backfill.range_end
        backfill.created_runs += made
    if exhausted and unfinished + made == 0 and backfill.state == "Running":
        backfill.state = "Completed"
        backfill.ended = now
        times = backfill.total + backfill.skipped
        backfill.total = backfill.created_runs
        backfill.skipped = times - backfill.created_runs
        record_event(
            session,
            Event(
                "backfill.completed",
                str(backfill.tenant_id),
                data={"backfill_id": str(backfill.id)},
            ),
        )
    await session.flush()
    return made


async def top_up_backfills(db: Database, now: datetime | None = None) -> TopUpReport:
    """One backfiller pass: every running backfill topped up (one transaction each)."""
    report = TopUpReport()
    async with db.session() as session:
        ids = list(
            (
                await session.scalars(
                    sa.select(Backfill.id).where(Backfill.state == "Running").order_by(Backfill.id)
                )
            ).all()
        )
    for backfill_id in ids:
        async with db.transaction() as session:
            backfill = await session.scalar(
                sa.select(Backfill)
                .where(Backfill.id == backfill_id, Backfill.state == "Running")
                .with_for_update(skip_locked=True)
            )
            if backfill is None:
                continue  # finished, cancelled, or another replica has it
            flow = await session.get_one(Flow, backfill.flow_id)
            report.backfills += 1
            report.created += await _top_up(session, db, backfill, flow, now or datetime.now(UTC))
            if backfill.state == "Completed":
                report.completed += 1
    return report


async def _counts(session: AsyncSession, backfill_id: uuid.UUID) -> dict[str, int]:
    found = await session.execute(
        sa.select(FlowRun.state_type, sa.func.count())
        .where(FlowRun.backfill_id == backfill_id)
        .group_by(FlowRun.state_type)
    )
    return {family: int(n) for family, n in found.all()}


async def _record(session: AsyncSession, backfill: Backfill) -> BackfillRecord:
    name = await session.scalar(
        sa.select(FlowGroup.name).where(FlowGroup.id == backfill.flow_group_id)
    )
    return BackfillRecord(
        id=backfill.id,
        flow_group_id=backfill.flow_group_id,
        flow_id=backfill.flow_id,
        flow_name=name or "",
        start=backfill.range_start,
        end=backfill.range_end,
        max_concurrent=backfill.max_concurrent,
        total=backfill.total,
        skipped=backfill.skipped,
        created_runs=backfill.created_runs,
        state=backfill.state,
        created=backfill.created,
        ended=backfill.ended,
        counts=await _counts(session, backfill.id),
    )


async def _find(
    session: AsyncSession, tenant: uuid.UUID, backfill_id: uuid.UUID | str, *, lock: bool = False
) -> Backfill:
    some_id = as_uuid(backfill_id, "backfill_id")
    statement = sa.select(Backfill).where(Backfill.tenant_id == tenant, Backfill.id == some_id)
    row = await session.scalar(statement.with_for_update() if lock else statement)
    if row is None:
        raise NotFound(f"No backfill {some_id}", details={"backfill_id": str(some_id)})
    return row


async def get_backfill(
    db: Database, tenant_id: uuid.UUID | str, backfill_id: uuid.UUID | str
) -> BackfillRecord:
    tenant = as_uuid(tenant_id, "tenant_id")
    async with db.session() as session:
        return await _record(session, await _find(session, tenant, backfill_id))


async def list_backfills(
    db: Database, tenant_id: uuid.UUID | str, flow_id: uuid.UUID | str, *, first: int = 50
) -> list[BackfillRecord]:
    """A flow's backfills, newest first."""
    tenant = as_uuid(tenant_id, "tenant_id")
    size = max(1, min(int(first), 200))
    async with db.session() as session:
        group = await group_for(session, tenant, as_uuid(flow_id, "flow_id"))
        found = await session.scalars(
            sa.select(Backfill)
            .where(Backfill.flow_group_id == group.id)
            .order_by(Backfill.created.desc(), Backfill.id.desc())
            .limit(size)
        )
        return [await _record(session, backfill) for backfill in found.all()]


async def backfill_runs(
    db: Database,
    tenant_id: uuid.UUID | str,
    backfill_id: uuid.UUID | str,
    *,
    first: int = 100,
    offset: int = 0,
) -> list[records.FlowRun]:
    """The backfill's runs in scheduled-time order."""
    tenant = as_uuid(tenant_id, "tenant_id")
    size = max(1, min(int(first), 500))
    async with db.session() as session:
        backfill = await _find(session, tenant, backfill_id)
        found = await session.execute(
            sa.select(FlowRun, Flow.name)
            .join(Flow, Flow.id == FlowRun.flow_id)
            .where(FlowRun.backfill_id == backfill.id)
            .order_by(FlowRun.scheduled_start_time, FlowRun.id)
            .offset(max(0, int(offset)))
            .limit(size)
        )
        return [rows.flow_run(run, name) for run, name in found.all()]


async def cancel_backfill(
    db: Database, tenant_id: uuid.UUID | str, backfill_id: uuid.UUID | str
) -> BackfillRecord:
    """Stop making runs and cancel the unfinished ones (idempotent)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    async with db.transaction() as session:
        backfill = await _find(session, tenant, backfill_id, lock=True)
        if backfill.state == "Running":
            backfill.state = "Cancelled"
            backfill.ended = datetime.now(UTC)
            await session.flush()
            record_event(
                session,
                Event("backfill.cancelled", str(tenant), data={"backfill_id": str(backfill.id)}),
            )
        in_flight = list(
            (
                await session.scalars(
                    sa.select(FlowRun.id)
                    .where(
                        FlowRun.backfill_id == backfill.id,
                        FlowRun.state_type.not_in(_FINISHED),
                        FlowRun.state != "Cancelling",
                    )
                    .order_by(FlowRun.id)
                )
            ).all()
        )
        if in_flight:
            proposed = ProposedState("Cancelling", "Cancellation requested: backfill cancelled.")
            await transition_flow_runs(
                session,
                db.config,
                tenant,
                [FlowChange(run_id, proposed, None, None, False) for run_id in in_flight],
            )
        return await _record(session, backfill)
