"""Editing a flow's schedule through the API: clocks added, changed and removed, a
preview of the next start times, and going back to the schedule given in code.

The schedule in code (the newest version's FlowSpec) stays the default. An edit stores
the whole edited schedule as the flow group's override (`schedule_override`), and
`flow_group.schedule` holds the *effective* schedule: the override's while there is one,
else the code's. So the scheduler, the flow pages and registration's handling of
upcoming runs read one column and need not know about overrides.

Rules:
- registering a new version keeps the override (the code's schedule of the new version
  is what a reset goes back to);
- every edit is checked before anything is stored: the clock must parse (cron, time
  zone, rrule), the schedule must be able to fire (`check_can_fire`, the bounded search
  of issue 14), and each clock's parameter defaults must fit the newest version's
  parameters. A refused edit changes nothing;
- a schedule that appears where there was none starts on; removing the last clock turns
  it off; otherwise the on/off switch is kept;
- when the effective schedule changes, the runs the scheduler made and nothing has
  touched are deleted, and the scheduler makes the new ones at once;
- every read carries a `version` of the effective schedule (a digest of its document and
  where it comes from); an edit may name the version it was made on
  (`expected_version`) and is refused with STALE_VERSION when the schedule changed since,
  so two people editing clock 2 of the same schedule never overwrite each other
  silently (clocks are addressed by index: after someone else's removal, clock 2 is
  another clock). Turning the schedule on or off does not change its version.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database, record_event
from proctor.server.database.models import Flow, FlowGroup, Project, ScheduleOverride
from proctor.server.errors import InvalidInput, NotFound, StaleVersion
from proctor.server.events import Event
from proctor.server.services.plumbing.lookups import find_flow
from proctor.server.services.plumbing.parameters import validate_parameters
from proctor.server.services.plumbing.validation import as_uuid
from proctor.server.services.schedules import load_schedule, remove_unstarted_auto_runs

__all__ = [
    "CLOCK_KINDS",
    "ClockFields",
    "FlowSchedule",
    "SchedulePreview",
    "add_clock",
    "clock_document",
    "get_flow_schedule",
    "group_for",
    "preview",
    "remove_clock",
    "reset_schedule",
    "schedule_version",
    "set_schedule",
    "update_clock",
]

CLOCK_KINDS = ("interval", "cron", "rrule")
PREVIEW_MAX = 100


@dataclass(frozen=True, slots=True)
class ClockFields:
    """A clock as a form sends it; `clock_document` turns it into the stored dict."""

    kind: str
    interval_seconds: float | None = None
    cron: str | None = None
    day_or: bool = True
    rrule: str | None = None
    timezone: str | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    parameter_defaults: dict[str, Any] | None = None
    labels: list[str] | None = None


@dataclass(frozen=True, slots=True)
class FlowSchedule:
    """A flow's effective schedule and where it comes from."""

    flow_group_id: uuid.UUID
    flow_id: uuid.UUID  # the newest version
    flow_name: str
    project: str
    source: str  # "code" or "override"
    active: bool
    schedule: dict[str, Any] | None
    code_schedule: dict[str, Any] | None
    parameter_schema: dict[str, Any]
    overridden_at: datetime | None
    version: str  # see `schedule_version`


@dataclass(frozen=True, slots=True)
class SchedulePreview:
    times: list[datetime]
    error: str | None


def schedule_version(source: str, document: dict[str, Any] | None) -> str:
    """The version an editor sends back as `expected_version`: a digest of the effective
    schedule and its source, so it changes with every edit that changes either."""
    canonical = json.dumps([source, document], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def clock_document(fields: ClockFields) -> dict[str, Any]:
    """The stored form of a clock (`Clock.to_dict()`), checked by the engine itself.
    `InvalidInput` naming the problem (bad cron, unknown time zone, ...)."""
    from proctor.core.schedules import clock_from_dict

    kind = fields.kind.strip().lower() if isinstance(fields.kind, str) else fields.kind
    common: dict[str, Any] = {
        "start_date": _iso(fields.start_date),
        "end_date": _iso(fields.end_date),
        "timezone": (fields.timezone or "").strip() or "UTC",
        "parameter_defaults": fields.parameter_defaults or {},
        "labels": list(fields.labels or []),
    }
    if kind == "interval":
        if fields.interval_seconds is None:
            raise InvalidInput(
                "an interval clock needs intervalSeconds", details={"field": "clock"}
            )
        document = {"type": "IntervalClock", "interval": fields.interval_seconds, **common}
    elif kind == "cron":
        if not (fields.cron or "").strip():
            raise InvalidInput("a cron clock needs a cron expression", details={"field": "clock"})
        document = {
            "type": "CronClock",
            "cron": (fields.cron or "").strip(),
            "day_or": fields.day_or,
            **common,
        }
    elif kind == "rrule":
        if not (fields.rrule or "").strip():
            raise InvalidInput("an rrule clock needs a rule", details={"field": "clock"})
        document = {"type": "RRuleClock", "rrule": (fields.rrule or "").strip(), **common}
    else:
        raise InvalidInput(
            f"clock kind must be one of {', '.join(CLOCK_KINDS)}; got {kind!r:.40}",
            details={"field": "clock"},
        )
    try:
        return clock_from_dict(document).to_dict()
    except ValueError as exc:  # ScheduleError
        raise InvalidInput(f"clock: {exc}", details={"field": "clock"}) from None


def _with_clocks(
    base: dict[str, Any] | None, clocks: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """`base` (filters and adjustments kept) with these clocks; None without clocks."""
    if not clocks:
        return None
    if base is None:
        from proctor.core.schedules import Schedule, clock_from_dict

        return Schedule([clock_from_dict(clock) for clock in clocks]).to_dict()
    return {**base, "clocks": clocks}


def _check(document: dict[str, Any] | None, parameter_schema: dict[str, Any]) -> None:
    """Refuse a schedule that cannot be stored (see the module's rules)."""
    if document is None:
        return
    try:
        schedule = load_schedule(document)
        schedule.check_can_fire()
    except ValueError as exc:  # ScheduleError, SearchLimitReached
        raise InvalidInput(f"schedule: {exc}", details={"field": "schedule"}) from None
    for index, clock in enumerate(schedule.clocks):
        try:
            validate_parameters(parameter_schema, clock.parameter_defaults)
        except InvalidInput as exc:
            raise InvalidInput(
                f"clocks[{index}] parameter defaults: {exc}",
                details={"field": "parameter_defaults", "clock": index, **exc.details},
            ) from None


async def group_for(
    session: AsyncSession, tenant: uuid.UUID, some_id: uuid.UUID, *, lock: bool = False
) -> FlowGroup:
    """The flow group of a flow group id or of any version's id."""
    statement = sa.select(FlowGroup).where(FlowGroup.tenant_id == tenant, FlowGroup.id == some_id)
    group = await session.scalar(statement.with_for_update() if lock else statement)
    if group is None:
        try:
            flow = await find_flow(session, tenant, some_id)
        except NotFound:
            raise NotFound(f"No flow {some_id}", details={"flow_id": str(some_id)}) from None
        statement = sa.select(FlowGroup).where(FlowGroup.id == flow.flow_group_id)
        group = await session.scalar(statement.with_for_update() if lock else statement)
        assert group is not None
    return group


async def _newest(session: AsyncSession, group: FlowGroup) -> Flow:
    newest = await session.scalar(
        sa.select(Flow)
        .where(Flow.flow_group_id == group.id)
        .order_by(Flow.archived, Flow.version.desc())
        .limit(1)
    )
    assert newest is not None  # a group exists only with a version
    return newest


async def _record(session: AsyncSession, group: FlowGroup) -> FlowSchedule:
    newest = await _newest(session, group)
    override = await session.get(ScheduleOverride, group.id)
    project = await session.scalar(sa.select(Project.name).where(Project.id == group.project_id))
    code = (newest.spec or {}).get("schedule")
    source = "override" if override is not None else "code"
    return FlowSchedule(
        flow_group_id=group.id,
        flow_id=newest.id,
        flow_name=group.name,
        project=project or "",
        source=source,
        active=group.schedule_active,
        schedule=group.schedule,
        code_schedule=code if isinstance(code, dict) else None,
        parameter_schema=newest.parameter_schema or {},
        overridden_at=override.updated if override is not None else None,
        version=schedule_version(source, group.schedule),
    )


async def get_flow_schedule(
    db: Database, tenant_id: uuid.UUID | str, flow_id: uuid.UUID | str
) -> FlowSchedule:
    tenant = as_uuid(tenant_id, "tenant_id")
    some_id = as_uuid(flow_id, "flow_id")
    async with db.session() as session:
        return await _record(session, await group_for(session, tenant, some_id))


async def _apply(
    session: AsyncSession, tenant: uuid.UUID, group: FlowGroup, document: dict[str, Any] | None
) -> None:
    """Make `document` the effective schedule (the override row is the caller's)."""
    previous = group.schedule
    group.schedule = document
    if document is None:
        group.schedule_active = False
    elif previous is None:
        group.schedule_active = True
    await session.flush()
    if document != previous:
        await remove_unstarted_auto_runs(session, tenant, group.id)
    record_event(
        session,
        Event(
            "flow_group.schedule",
            str(tenant),
            data={"flow_group_id": str(group.id), "active": group.schedule_active},
        ),
    )


async def _check_version(
    session: AsyncSession, group: FlowGroup, expected: str | None
) -> ScheduleOverride | None:
    """The group's override row, after refusing an edit made on an older version."""
    override = await session.get(ScheduleOverride, group.id)
    if expected is None:
        return override
    current = schedule_version("override" if override else "code", group.schedule)
    if expected != current:
        raise StaleVersion(
            f"The schedule of flow {group.name!r} was changed since you read it (version "
            f"{str(expected)[:40]!r}, now {current!r}): reload it and make your edit again.",
            details={"field": "expected_version", "current_version": current},
        )
    return override


async def _edit(
    db: Database,
    tenant_id: uuid.UUID | str,
    flow_id: uuid.UUID | str,
    change: Any,
    expected_version: str | None = None,
) -> FlowSchedule:
    """Run `change(current_document) -> new document` and store the result as the override."""
    tenant = as_uuid(tenant_id, "tenant_id")
    some_id = as_uuid(flow_id, "flow_id")
    async with db.transaction() as session:
        group = await group_for(session, tenant, some_id, lock=True)
        override = await _check_version(session, group, expected_version)
        newest = await _newest(session, group)
        document = change(group.schedule)
        _check(document, newest.parameter_schema or {})
        now = datetime.now(UTC)
        if override is None:
            session.add(
                ScheduleOverride(
                    tenant_id=tenant, flow_group_id=group.id, schedule=document, updated=now
                )
            )
        else:
            override.schedule = document
            override.updated = now
        await _apply(session, tenant, group, document)
        return await _record(session, group)


def _clocks(document: dict[str, Any] | None) -> list[dict[str, Any]]:
    return list((document or {}).get("clocks") or [])


def _index(clocks: list[dict[str, Any]], index: int) -> int:
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(clocks):
        raise InvalidInput(
            f"no clock {index!r:.20}: the schedule has {len(clocks)} clock(s)",
            details={"field": "index"},
        )
    return index


async def add_clock(
    db: Database,
    tenant_id: uuid.UUID | str,
    flow_id: uuid.UUID | str,
    clock: ClockFields,
    *,
    expected_version: str | None = None,
) -> FlowSchedule:
    """Add a clock to the flow's effective schedule (storing it as the override)."""
    new = clock_document(clock)
    return await _edit(
        db,
        tenant_id,
        flow_id,
        lambda current: _with_clocks(current, [*_clocks(current), new]),
        expected_version,
    )


async def update_clock(
    db: Database,
    tenant_id: uuid.UUID | str,
    flow_id: uuid.UUID | str,
    index: int,
    clock: ClockFields,
    *,
    expected_version: str | None = None,
) -> FlowSchedule:
    """Replace clock `index` (0-based) of the effective schedule."""
    new = clock_document(clock)

    def change(current: dict[str, Any] | None) -> dict[str, Any] | None:
        clocks = _clocks(current)
        clocks[_index(clocks, index)] = new
        return _with_clocks(current, clocks)

    return await _edit(db, tenant_id, flow_id, change, expected_version)


async def remove_clock(
    db: Database,
    tenant_id: uuid.UUID | str,
    flow_id: uuid.UUID | str,
    index: int,
    *,
    expected_version: str | None = None,
) -> FlowSchedule:
    """Remove clock `index`; removing the last one leaves the flow without a schedule
    (an override too: the code's schedule comes back only by a reset)."""

    def change(current: dict[str, Any] | None) -> dict[str, Any] | None:
        clocks = _clocks(current)
        del clocks[_index(clocks, index)]
        return _with_clocks(current, clocks)

    return await _edit(db, tenant_id, flow_id, change, expected_version)


async def set_schedule(
    db: Database,
    tenant_id: uuid.UUID | str,
    flow_id: uuid.UUID | str,
    document: Any,
    *,
    expected_version: str | None = None,
) -> FlowSchedule:
    """Replace the whole effective schedule (`Schedule.to_dict()` form, with filters and
    adjustments), or remove it with None."""
    if document is not None and not isinstance(document, dict):
        raise InvalidInput("schedule must be an object (Schedule.to_dict()) or null")
    if document is not None:
        try:
            document = load_schedule(document).to_dict()
        except ValueError as exc:
            raise InvalidInput(f"schedule: {exc}", details={"field": "schedule"}) from None
    return await _edit(db, tenant_id, flow_id, lambda _current: document, expected_version)


async def reset_schedule(
    db: Database,
    tenant_id: uuid.UUID | str,
    flow_id: uuid.UUID | str,
    *,
    expected_version: str | None = None,
) -> FlowSchedule:
    """Drop the override: the newest version's schedule from code applies again."""
    tenant = as_uuid(tenant_id, "tenant_id")
    some_id = as_uuid(flow_id, "flow_id")
    async with db.transaction() as session:
        group = await group_for(session, tenant, some_id, lock=True)
        override = await _check_version(session, group, expected_version)
        if override is not None:
            await session.delete(override)
            code = ((await _newest(session, group)).spec or {}).get("schedule")
            await _apply(session, tenant, group, code if isinstance(code, dict) else None)
        return await _record(session, group)


def preview(
    document: dict[str, Any] | None, n: int = 10, *, after: datetime | None = None
) -> SchedulePreview:
    """The next `n` start times of a schedule that may not be stored yet (the form's live
    preview), or why it cannot be used. Bounded like every schedule search."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= PREVIEW_MAX:
        raise InvalidInput(f"n must be between 1 and {PREVIEW_MAX}; got {n!r:.20}")
    if document is None:
        return SchedulePreview([], None)
    try:
        schedule = load_schedule(document)
        schedule.check_can_fire()
        found = schedule.search(n, after=after or datetime.now(UTC))
    except ValueError as exc:
        return SchedulePreview([], str(exc))
    return SchedulePreview([event.start_time.astimezone(UTC) for event in found.events], None)


def preview_clock(
    clock: ClockFields,
    base: dict[str, Any] | None,
    n: int = 10,
    *,
    after: datetime | None = None,
) -> SchedulePreview:
    """A clock's next times under `base`'s filters and adjustments (a flow's schedule)."""
    try:
        document = _with_clocks(base, [clock_document(clock)])
    except InvalidInput as exc:
        return SchedulePreview([], exc.message)
    return preview(document, n, after=after)
