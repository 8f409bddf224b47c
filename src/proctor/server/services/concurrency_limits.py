"""Concurrency limits: setting them, reading their usage, and the slots runs hold.

Two kinds of limit, both per team:

- `flow_label`: at most `limit` flow runs carrying the label are Submitted, Running or
  Cancelling. Enforced where runs start: an agent's claim (`label_room`) takes
  a slot per limited label of each run it claims, and leaves the others Scheduled.
- `task_tag`: at most `limit` task runs whose task carries the tag run at once. A run
  process reports such a task run Submitted with its tags, and the transition engine
  takes the slots or writes it Queued (`services.task_runs`); run processes of the
  previous version ask first (`acquire_task_run_slots`, batched).

Every one of these takes slots by the one rule, `SlotLedger.take`
(`proctor.server.orchestration.concurrency_limits`), from a ledger of locked and counted
limits (`concurrency_slots.py`), so two claims or two run processes can never both take
the last slot.

Slots are rows (`ConcurrencySlot`). Whoever holds one gives it back in the transaction
that changes its state (`concurrency_slots.py`): a task run entering any state but
Submitted, Running or Cancelling (called by `transition_task_runs`), a flow run leaving
those three (called by `transition_flow_runs`, which also frees its task runs' slots).
The zombie killer and Lazarus change states through those same functions, so a crashed
run never holds a slot for longer than it takes them to notice.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database, record_event
from proctor.server.database.dialects import DialectConfiguration
from proctor.server.database.ids import new_id
from proctor.server.database.models import ConcurrencyLimit, FlowRun, Task, TaskRun
from proctor.server.errors import InvalidInput
from proctor.server.events import Event
from proctor.server.orchestration.concurrency_limits import SlotLedger
from proctor.server.orchestration.states import FINISHED_STATES
from proctor.server.services.concurrency_slots import (
    FLOW_LABEL,
    HOLDING_FLOW_STATES,
    HOLDING_TASK_STATES,
    SLOT_TABLE,
    TASK_TAG,
    ledger_of,
    slots_in_use,
    task_tag_ledger,
    write_slots,
)
from proctor.server.services.plumbing.inputs import optional_int, slug_arg
from proctor.server.services.plumbing.validation import as_uuid, batch_size, string_list
from proctor.server.services.task_runs import find_or_create_task_runs, lock_flow_runs

KINDS = (FLOW_LABEL, TASK_TAG)
MAX_LIMIT = 100_000
MAX_KEY_CHARS = 200
#: Holders listed per limit (the count is always exact).
MAX_HOLDERS = 100
#: Due runs a claim looks through for ones whose labels have room.
CLAIM_SCAN = 500

_SLOT = SLOT_TABLE


# -- records --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SlotHolder:
    """A flow run (task fields None) or one of its task runs holding a slot."""

    flow_run_id: uuid.UUID
    flow_run_name: str
    task_run_id: uuid.UUID | None
    task_slug: str | None
    map_index: int | None
    state: str
    acquired: datetime


@dataclass(frozen=True, slots=True)
class LimitUsage:
    id: uuid.UUID
    kind: str
    key: str
    limit: int
    in_use: int
    holders: list[SlotHolder] = field(default_factory=list)
    created: datetime | None = None
    updated: datetime | None = None


@dataclass(frozen=True, slots=True)
class SlotRequest:
    """A validated item of `acquire_task_run_slots`."""

    flow_run_id: uuid.UUID
    task_slug: str
    map_index: int
    tags: list[str]


@dataclass(frozen=True, slots=True)
class SlotGrant:
    """The answer to one request: `granted`, or why not (`code`, `reason`)."""

    granted: bool
    task_run_id: uuid.UUID | None
    code: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class SlotAnswer:
    """One answer per request, in order, and every tag that has a limit in the team (a
    run process gates only task runs carrying one of those)."""

    results: list[SlotGrant]
    limited_tags: list[str]


# -- arguments -------------------------------------------------------------------------------


def kind_arg(value: Any) -> str:
    if value not in KINDS:
        raise InvalidInput(
            f"kind must be {FLOW_LABEL!r} (flow runs per label) or {TASK_TAG!r} (task runs "
            f"per tag), got {value!r:.40}",
            details={"field": "kind"},
        )
    return cast(str, value)


def key_arg(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_KEY_CHARS:
        raise InvalidInput(
            f"The label or tag must be a non-empty string of at most {MAX_KEY_CHARS} characters",
            details={"field": "key"},
        )
    return value.strip()


def limit_arg(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_LIMIT:
        raise InvalidInput(
            f"limit must be a whole number from 0 to {MAX_LIMIT} (0 holds every run or task "
            f"run with the label or tag until it is raised), got {value!r:.40}",
            details={"field": "limit"},
        )
    return value


def slot_requests(requests: Sequence[Any]) -> list[SlotRequest]:
    batch_size(len(requests), "slot requests")
    found = []
    for index, raw in enumerate(requests):
        if not isinstance(raw, dict):
            raise InvalidInput(f"requests[{index}] must be an object", details={"index": index})
        unknown = set(raw) - {"flow_run_id", "task_slug", "map_index", "tags"}
        if unknown:
            raise InvalidInput(
                f"requests[{index}]: unknown field(s) {sorted(unknown)}",
                details={"index": index},
            )
        map_index = optional_int(raw.get("map_index"), "map_index", index, minimum=-1)
        found.append(
            SlotRequest(
                flow_run_id=as_uuid(raw.get("flow_run_id"), f"requests[{index}].flowRunId"),
                task_slug=slug_arg(raw.get("task_slug"), index),
                map_index=-1 if map_index is None else map_index,
                tags=string_list(raw.get("tags"), f"requests[{index}].tags"),
            )
        )
    return found


# -- limits ----------------------------------------------------------------------------------


async def set_concurrency_limit(
    db: Database, tenant_id: uuid.UUID | str, kind: str, key: str, limit: int
) -> LimitUsage:
    """Create or change a limit. A new limit counts what already runs: flow runs in flight
    with the label, and task runs running with the tag, take a slot at once (so usage is
    right from the start, and nothing new starts until it is below the limit)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    kind, key, limit = kind_arg(kind), key_arg(key), limit_arg(limit)

    async def work(session: AsyncSession) -> uuid.UUID:
        now = datetime.now(UTC)
        row = await session.scalar(
            sa.select(ConcurrencyLimit)
            .where(
                ConcurrencyLimit.tenant_id == tenant,
                ConcurrencyLimit.kind == kind,
                ConcurrencyLimit.key == key,
            )
            .with_for_update()
        )
        if row is not None:
            row.limit = limit
            row.updated = now
            await session.flush()
            limit_id = row.id
        else:
            limit_id = new_id()
            session.add(
                ConcurrencyLimit(
                    id=limit_id,
                    tenant_id=tenant,
                    kind=kind,
                    key=key,
                    limit=limit,
                    created=now,
                    updated=now,
                )
            )
            await session.flush()
            await _count_what_runs(session, tenant, limit_id, kind, key, now)
        record_event(
            session, Event("concurrency_limit.set", str(tenant), data={"kind": kind, "key": key})
        )
        return limit_id

    limit_id = await db.run_in_transaction(work)
    [usage] = await list_concurrency_limits(db, tenant, ids=[limit_id])
    return usage


async def _count_what_runs(
    session: AsyncSession,
    tenant: uuid.UUID,
    limit_id: uuid.UUID,
    kind: str,
    key: str,
    now: datetime,
) -> None:
    """Slots for what already holds one under a new limit (few rows: what runs now)."""
    slots: list[dict[str, Any]] = []
    if kind == FLOW_LABEL:
        runs = await session.execute(
            sa.select(FlowRun.id, FlowRun.labels).where(
                FlowRun.tenant_id == tenant, FlowRun.state_type.in_(HOLDING_FLOW_STATES)
            )
        )
        slots = [
            _slot(tenant, limit_id, run_id, None, now) for run_id, labels in runs if key in labels
        ]
    else:
        running = await session.execute(
            sa.select(TaskRun.flow_run_id, TaskRun.id, Task.tags)
            .join(FlowRun, FlowRun.id == TaskRun.flow_run_id)
            .join(Task, sa.and_(Task.flow_id == FlowRun.flow_id, Task.slug == TaskRun.task_slug))
            .where(
                FlowRun.tenant_id == tenant,
                FlowRun.state_type.in_(HOLDING_FLOW_STATES),
                TaskRun.state_type.in_(HOLDING_TASK_STATES),
                # A mapped node's own row only stands for its children, which hold slots.
                sa.or_(Task.mapped.is_(False), TaskRun.map_index >= 0),
            )
        )
        slots = [
            _slot(tenant, limit_id, run_id, task_run_id, now)
            for run_id, task_run_id, tags in running
            if key in tags
        ]
    if slots:
        await session.execute(sa.insert(_SLOT), slots)


def _slot(
    tenant: uuid.UUID,
    limit_id: uuid.UUID,
    flow_run_id: uuid.UUID,
    task_run_id: uuid.UUID | None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "tenant_id": tenant,
        "limit_id": limit_id,
        "flow_run_id": flow_run_id,
        "task_run_id": task_run_id,
        "acquired": now,
    }


async def delete_concurrency_limit(
    db: Database, tenant_id: uuid.UUID | str, kind: str, key: str
) -> bool:
    """Remove a limit (its slots go with it); False if there was none."""
    tenant = as_uuid(tenant_id, "tenant_id")
    kind, key = kind_arg(kind), key_arg(key)

    async def work(session: AsyncSession) -> bool:
        deleted = await session.execute(
            sa.delete(ConcurrencyLimit).where(
                ConcurrencyLimit.tenant_id == tenant,
                ConcurrencyLimit.kind == kind,
                ConcurrencyLimit.key == key,
            )
        )
        if not deleted.rowcount:  # type: ignore[attr-defined]
            return False
        record_event(
            session,
            Event("concurrency_limit.deleted", str(tenant), data={"kind": kind, "key": key}),
        )
        return True

    return await db.run_in_transaction(work)


async def list_concurrency_limits(
    db: Database,
    tenant_id: uuid.UUID | str,
    *,
    kind: str | None = None,
    ids: Sequence[uuid.UUID] | None = None,
) -> list[LimitUsage]:
    """The team's limits (by kind, then key) with how many slots are in use and by whom."""
    tenant = as_uuid(tenant_id, "tenant_id")
    statement = sa.select(ConcurrencyLimit).where(ConcurrencyLimit.tenant_id == tenant)
    if kind is not None:
        statement = statement.where(ConcurrencyLimit.kind == kind_arg(kind))
    if ids is not None:
        statement = statement.where(ConcurrencyLimit.id.in_(list(ids)))
    async with db.session() as session:
        limits = (
            await session.scalars(statement.order_by(ConcurrencyLimit.kind, ConcurrencyLimit.key))
        ).all()
        if not limits:
            return []
        limit_ids = [row.id for row in limits]
        counts = await slots_in_use(session, limit_ids)
        holders = await _holders(session, limit_ids)
    return [
        LimitUsage(
            id=row.id,
            kind=row.kind,
            key=row.key,
            limit=row.limit,
            in_use=counts[row.id],
            holders=holders.get(row.id, []),
            created=row.created,
            updated=row.updated,
        )
        for row in limits
    ]


async def _holders(
    session: AsyncSession, limit_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[SlotHolder]]:
    rows = await session.execute(
        sa.select(
            _SLOT.c.limit_id,
            _SLOT.c.flow_run_id,
            FlowRun.name,
            _SLOT.c.task_run_id,
            TaskRun.task_slug,
            TaskRun.map_index,
            sa.func.coalesce(TaskRun.state, FlowRun.state),
            _SLOT.c.acquired,
        )
        .join(FlowRun, FlowRun.id == _SLOT.c.flow_run_id)
        .outerjoin(TaskRun, TaskRun.id == _SLOT.c.task_run_id)
        .where(_SLOT.c.limit_id.in_(limit_ids))
        .order_by(_SLOT.c.limit_id, _SLOT.c.acquired, _SLOT.c.id)
    )
    found: dict[uuid.UUID, list[SlotHolder]] = defaultdict(list)
    for limit_id, *holder in rows:
        if len(found[limit_id]) < MAX_HOLDERS:
            found[limit_id].append(SlotHolder(*holder))
    return found


# -- flow runs: claims -----------------------------------------------------------------------


@dataclass(slots=True)
class LabelRoom:
    """The flow-label limits a claim is subject to, locked and counted."""

    ledger: SlotLedger

    def choose(
        self, candidates: Iterable[tuple[uuid.UUID, list[str]]], wanted: int
    ) -> tuple[list[uuid.UUID], dict[uuid.UUID, list[uuid.UUID]]]:
        """Which due `candidates` (oldest first, with their labels) fit, at most `wanted`,
        and the limits each takes a slot of. A run that does not fit stays Scheduled; a
        later one whose labels have room may still go."""
        chosen: list[uuid.UUID] = []
        takes: dict[uuid.UUID, list[uuid.UUID]] = {}
        ledger = self.ledger
        for run_id, labels in candidates:
            before = len(ledger.taken)
            if ledger.take(run_id, labels) is not None:
                continue
            chosen.append(run_id)
            takes[run_id] = [slot.limit_id for slot in ledger.taken[before:]]
            if len(chosen) == wanted:
                break
        return chosen, takes


async def has_label_limits(db: Database, tenant: uuid.UUID, labels: list[str]) -> bool:
    """Whether a flow-label limit applies to any of these (an agent's) labels."""
    if not labels:
        return False
    async with db.session() as session:
        found = await session.scalar(
            sa.select(ConcurrencyLimit.id)
            .where(
                ConcurrencyLimit.tenant_id == tenant,
                ConcurrencyLimit.kind == FLOW_LABEL,
                ConcurrencyLimit.key.in_(labels),
            )
            .limit(1)
        )
    return found is not None


async def label_room(
    session: AsyncSession, tenant: uuid.UUID, covered: list[str]
) -> LabelRoom | None:
    """The team's flow-label limits on any of `covered` (an agent's labels: the runs it
    may claim carry only those), locked until the claim's transaction ends, so claims for
    the same labels take turns and each sees the slots the previous one took. None when
    no limit applies (the claim goes on as usual)."""
    ledger = await ledger_of(session, tenant, FLOW_LABEL, covered)
    return None if ledger is None else LabelRoom(ledger)


async def take_flow_run_slots(
    session: AsyncSession,
    tenant: uuid.UUID,
    claimed: Iterable[uuid.UUID],
    takes: dict[uuid.UUID, list[uuid.UUID]],
) -> None:
    now = datetime.now(UTC)
    slots = [
        _slot(tenant, limit_id, run_id, None, now)
        for run_id in claimed
        for limit_id in takes.get(run_id, ())
    ]
    if slots:
        await session.execute(sa.insert(_SLOT), slots)


# -- task runs: acquiring ----------------------------------------------------------------------


async def acquire_task_run_slots(
    db: Database, tenant_id: uuid.UUID | str, requests: Sequence[Any]
) -> SlotAnswer:
    """Grant task runs the slots of their limited tags, all or nothing per task run, in
    the order asked; one answer per request (what run processes of the previous version
    ask before reporting Submitted; the rule is the engine's, `SlotLedger.take`). Task
    runs that do not exist yet are created (Pending). A task run that already holds its
    slots is granted again (a repeated request changes nothing). A task run none of whose
    tags is limited is granted without a slot. An empty list only returns the team's
    limited tags."""
    tenant = as_uuid(tenant_id, "tenant_id")
    asked = slot_requests(requests)

    async def work(session: AsyncSession) -> SlotAnswer:
        all_tags = sorted(
            (
                await session.scalars(
                    sa.select(ConcurrencyLimit.key).where(
                        ConcurrencyLimit.tenant_id == tenant, ConcurrencyLimit.kind == TASK_TAG
                    )
                )
            ).all()
        )
        if not asked:
            return SlotAnswer([], all_tags)
        # The flow runs first, then the limits: the order the transition engine locks in.
        parents = await lock_flow_runs(session, tenant, {r.flow_run_id for r in asked})
        now = datetime.now(UTC)
        task_runs = await _task_run_ids(session, db.config, tenant, asked, parents, now)
        tags = {tag for request in asked for tag in request.tags} & set(all_tags)
        ledger = await task_tag_ledger(session, db.config, tenant, tags, sorted(parents))
        results = [_grant(request, parents, task_runs, ledger) for request in asked]
        if ledger is not None:
            await write_slots(session, tenant, ledger.taken, now)
        return SlotAnswer(results, all_tags)

    return await db.run_in_transaction(work)


def _grant(
    request: SlotRequest,
    parents: dict[uuid.UUID, str],
    task_runs: dict[tuple[uuid.UUID, str, int], uuid.UUID],
    ledger: SlotLedger | None,
) -> SlotGrant:
    parent = parents.get(request.flow_run_id)
    task_run_id = task_runs.get((request.flow_run_id, request.task_slug, request.map_index))
    if parent is None or task_run_id is None:
        return SlotGrant(False, None, "NOT_FOUND", f"No flow run {request.flow_run_id}")
    if parent in FINISHED_STATES:
        reason = f"The flow run already finished ({parent})."
        return SlotGrant(False, task_run_id, "TRANSITION_REJECTED", reason)
    waiting = (
        None if ledger is None else ledger.take(task_run_id, request.tags, request.flow_run_id)
    )
    if waiting is not None:
        return SlotGrant(False, task_run_id, "QUEUED", waiting)
    return SlotGrant(True, task_run_id)


async def _task_run_ids(
    session: AsyncSession,
    config: DialectConfiguration,
    tenant: uuid.UUID,
    asked: list[SlotRequest],
    parents: dict[uuid.UUID, str],
    now: datetime,
) -> dict[tuple[uuid.UUID, str, int], uuid.UUID]:
    keys: dict[uuid.UUID, set[tuple[str, int]]] = defaultdict(set)
    for request in asked:
        if request.flow_run_id in parents:
            keys[request.flow_run_id].add((request.task_slug, request.map_index))
    found: dict[tuple[uuid.UUID, str, int], uuid.UUID] = {}
    for flow_run_id in sorted(keys):
        runs = await find_or_create_task_runs(
            session, config, tenant, flow_run_id, keys[flow_run_id], now
        )
        for (slug, index), run in runs.items():
            assert run.id is not None
            found[(flow_run_id, slug, index)] = run.id
    return found


__all__ = [
    "FLOW_LABEL",
    "KINDS",
    "TASK_TAG",
    "LabelRoom",
    "LimitUsage",
    "SlotAnswer",
    "SlotGrant",
    "SlotHolder",
    "SlotRequest",
    "acquire_task_run_slots",
    "delete_concurrency_limit",
    "has_label_limits",
    "label_room",
    "list_concurrency_limits",
    "set_concurrency_limit",
    "take_flow_run_slots",
]
