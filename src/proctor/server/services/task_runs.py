"""Task runs: batched, lazily-created state changes (the hot path), and reading them.

A flow run reports its task runs in batches of up to tens of thousands of changes. One
call is one transaction of a fixed number of statements whatever the batch size:

1. lock the parent flow runs (`FOR UPDATE` on PostgreSQL, in id order; `BEGIN IMMEDIATE`
   already serialises writers on SQLite), which serialises all task-run writes of a run;
2. read the existing task runs the batch names;
3. run every change through the orchestration policy, in memory, in order (task runs
   that do not exist yet start as in-memory Pending snapshots);
4. one bulk INSERT of the new task runs *in their final state*, one bulk update (by
   primary key) of the existing ones that changed, one bulk INSERT of history rows,
   and one heartbeat UPDATE of the parents (on PostgreSQL, steps 3 and 4 go in chunks
   of a few hundred changes, each chunk's writes running while the next one is
   evaluated: see `services.plumbing.write_pipeline`);
5. after commit, one event per flow run.

Steps 1-2 are here; 3-5 are the transition engine shared with flow runs
(`orchestration.evaluate`, then `TASK_RUN_EFFECTS` run by `services._transitions`).

New task runs are inserted once, already in their final state, rather than inserted
Pending and then updated: the first report of a mapped task is the common case, and
on PostgreSQL updating a row inserted by the same transaction writes every tuple and
index entry twice and re-runs its foreign-key check (measured: 1,000 new task runs took
~90 ms of database time instead of ~55 ms).
"""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database, record_event
from proctor.server.database.bulk import BulkWrite
from proctor.server.database.dialects import DialectConfiguration
from proctor.server.database.ids import new_id
from proctor.server.database.models import FlowRun, TaskRun
from proctor.server.errors import InvalidInput, NotFound
from proctor.server.events import Event
from proctor.server.orchestration import (
    TASK_RUN_POLICY,
    Policy,
    ProposedState,
    RunSnapshot,
)
from proctor.server.orchestration.states import FAMILIES, FAMILY_OF
from proctor.server.services._transitions import (
    TASK_RUN_EFFECTS,
    Batch,
    results_of,
    write_transitions,
)
from proctor.server.services.concurrency_slots import task_tag_ledger
from proctor.server.services.plumbing import records, rows
from proctor.server.services.plumbing.inputs import (
    TaskRunStateChange,
    UuidCache,
    coerce,
    optional_int,
    slug_arg,
    state_arg,
)
from proctor.server.services.plumbing.lookups import find_flow_run
from proctor.server.services.plumbing.pagination import (
    Ordering,
    SortKey,
    fetch_page,
    ordering_choice,
)
from proctor.server.services.plumbing.validation import (
    as_uuid,
    batch_size,
    page_size,
    string_list,
)

_TR = cast(sa.Table, TaskRun.__table__)
_FR = cast(sa.Table, FlowRun.__table__)
_CHUNK = 2000

Key = tuple[str, int]

_INSERT_NEW = BulkWrite(
    _TR,
    columns=(
        "id",
        "tenant_id",
        "flow_run_id",
        "task_slug",
        "map_index",
        "state",
        "state_type",
        "state_timestamp",
        "version",
        "run_count",
        "created",
        "updated",
    ),
    conflict=("flow_run_id", "task_slug", "map_index"),
)
TASK_RUN_ORDERINGS = {
    "task_slug": Ordering(
        "task_slug", (SortKey(TaskRun.task_slug), SortKey(TaskRun.map_index), SortKey(TaskRun.id))
    ),
    "state_timestamp": Ordering(
        "state_timestamp", (SortKey(TaskRun.state_timestamp), SortKey(TaskRun.id))
    ),
    "-state_timestamp": Ordering(
        "-state_timestamp",
        (SortKey(TaskRun.state_timestamp, descending=True), SortKey(TaskRun.id, descending=True)),
    ),
}


@dataclass(slots=True)
class TaskChange:
    """A validated `TaskRunStateChange`."""

    flow_run_id: uuid.UUID
    key: Key
    state: ProposedState
    version: int | None
    force: bool
    #: The task's tags, sent with Submitted/Running to take its concurrency slots.
    tags: tuple[str, ...] | None = None

    @property
    def slot(self) -> tuple[uuid.UUID, Key]:
        """The task run's key among a batch's rows."""
        return (self.flow_run_id, self.key)

    agent_id: ClassVar[None] = None  # task runs are not claimed


def change_keys(changes: Sequence[Any]) -> list[tuple[TaskRunStateChange, uuid.UUID, Key]]:
    """Each change with the task run it names (flow run id, (slug, map_index)), checked:
    what the database is asked for while the states are still being parsed."""
    parse_id = UuidCache()
    keyed = []
    for index, raw in enumerate(changes):
        change = coerce(TaskRunStateChange, raw, index)
        map_index = optional_int(change.map_index, "map_index", index, minimum=-1)
        key = (slug_arg(change.task_slug, index), -1 if map_index is None else map_index)
        keyed.append((change, parse_id(change.flow_run_id, "flow_run_id", index), key))
    return keyed


def normalize_keyed(keyed: Sequence[tuple[TaskRunStateChange, uuid.UUID, Key]]) -> list[TaskChange]:
    normalized = []
    for index, (change, flow_run_id, key) in enumerate(keyed):
        state = state_arg(change.state, index)
        run_count = optional_int(change.run_count, "run_count", index, minimum=0)
        if run_count is not None and state.run_count is None:
            state = ProposedState(
                name=state.name,
                message=state.message,
                timestamp=state.timestamp,
                start_time=state.start_time,
                result_location=state.result_location,
                run_count=run_count,
                extra=state.extra,
            )
        normalized.append(
            TaskChange(
                flow_run_id=flow_run_id,
                key=key,
                state=state,
                version=optional_int(change.version, "version", index, minimum=0),
                force=bool(change.force),
                tags=None if change.tags is None else tuple(string_list(change.tags, "tags")),
            )
        )
    return normalized


@dataclass(slots=True)
class BatchRead:
    """What a batch needs from the database before its changes are evaluated: the
    locked parents' states and the task runs (existing, or new Pending snapshots)."""

    now: datetime
    parents: dict[uuid.UUID, str]
    keys_by_run: dict[uuid.UUID, set[Key]]
    runs: dict[tuple[uuid.UUID, Key], RunSnapshot]
    created: dict[uuid.UUID, int]
    new_slots: list[tuple[uuid.UUID, Key]]


async def read_batch(
    session: AsyncSession,
    config: DialectConfiguration,
    tenant: uuid.UUID,
    slots: Iterable[tuple[uuid.UUID, Key]],
    now: datetime,
) -> BatchRead:
    """Lock the parents of `slots` and read their task runs (see the module docstring)."""
    wanted = list(slots)
    parents = await lock_flow_runs(session, tenant, (flow_run_id for flow_run_id, _ in wanted))
    keys_by_run: dict[uuid.UUID, set[Key]] = defaultdict(set)
    for flow_run_id, key in wanted:
        if flow_run_id in parents:
            keys_by_run[flow_run_id].add(key)
    runs: dict[tuple[uuid.UUID, Key], RunSnapshot] = {}
    created: dict[uuid.UUID, int] = {}
    new_slots: list[tuple[uuid.UUID, Key]] = []
    for flow_run_id in sorted(keys_by_run):
        keys = keys_by_run[flow_run_id]
        found = await _existing(session, config, flow_run_id, keys)
        for key, run in found.items():
            runs[(flow_run_id, key)] = run
        # Not inserted yet: see the module docstring. Sorted, so the new rows (and their
        # time-ordered ids) arrive in index order.
        missing = sorted(keys - found.keys())
        created[flow_run_id] = len(missing)
        for key in missing:
            slot = (flow_run_id, key)
            runs[slot] = RunSnapshot(id=new_id(), state="Pending", state_timestamp=now)
            new_slots.append(slot)
    return BatchRead(now, parents, keys_by_run, runs, created, new_slots)


async def lock_flow_runs(
    session: AsyncSession, tenant: uuid.UUID, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """Lock the parent flow runs (id order) and return their current state names."""
    ordered = sorted(set(ids))
    states: dict[uuid.UUID, str] = {}
    for start in range(0, len(ordered), 1000):
        result = await session.execute(
            sa.select(_FR.c.id, _FR.c.state)
            .where(_FR.c.tenant_id == tenant, _FR.c.id.in_(ordered[start : start + 1000]))
            .order_by(_FR.c.id)
            .with_for_update()
        )
        states.update({row.id: row.state for row in result})
    return states


async def _existing(
    session: AsyncSession,
    config: DialectConfiguration,
    flow_run_id: uuid.UUID,
    keys: set[Key],
) -> dict[Key, RunSnapshot]:
    """The task runs among `keys` that exist (reading by slug and map_index range)."""
    by_slug: dict[str, list[int]] = defaultdict(list)
    for slug, index in keys:
        by_slug[slug].append(index)
    slugs = sorted(by_slug)
    low = min(min(indexes) for indexes in by_slug.values())
    high = max(max(indexes) for indexes in by_slug.values())
    found: dict[Key, RunSnapshot] = {}
    for offset in range(0, len(slugs), _CHUNK):
        result = await session.execute(
            sa.select(
                _TR.c.id,
                _TR.c.task_slug,
                _TR.c.map_index,
                _TR.c.state,
                _TR.c.state_timestamp,
                _TR.c.version,
                _TR.c.run_count,
                _TR.c.start_time,
                _TR.c.end_time,
                _TR.c.result_location,
            ).where(
                _TR.c.flow_run_id == flow_run_id,
                config.in_values(_TR.c.task_slug, slugs[offset : offset + _CHUNK]),
                _TR.c.map_index.between(low, high),
            )
        )
        for row in result:
            key = (row[1], row[2])
            if key in keys:
                # Positional: id, state, state_timestamp, version, run_count, start_time,
                # end_time, agent_id, scheduled_start_time, result_location.
                found[key] = RunSnapshot(
                    row[0], row[3], row[4], row[5], row[6], row[7], row[8], None, None, row[9]
                )
    return found


async def _create_missing(
    session: AsyncSession,
    config: DialectConfiguration,
    tenant: uuid.UUID,
    flow_run_id: uuid.UUID,
    missing: Iterable[Key],
    now: datetime,
) -> dict[Key, RunSnapshot]:
    """Insert Pending task runs for `missing` keys (the parent is locked, so no other
    transaction can insert them meanwhile; ON CONFLICT is only a safety net)."""
    created: dict[Key, RunSnapshot] = {}
    values = []
    for key in missing:
        run_id = new_id()
        created[key] = RunSnapshot(id=run_id, state="Pending", state_timestamp=now)
        values.append(
            (run_id, tenant, flow_run_id, key[0], key[1], "Pending", "Pending", now, 0, 0, now, now)
        )
    await _INSERT_NEW(session, config, values)
    return created


async def _task_runs_for(
    session: AsyncSession,
    config: DialectConfiguration,
    tenant: uuid.UUID,
    flow_run_id: uuid.UUID,
    keys: set[Key],
    now: datetime,
) -> tuple[dict[Key, RunSnapshot], int]:
    runs = await _existing(session, config, flow_run_id, keys)
    missing = keys - runs.keys()
    if missing:
        runs.update(await _create_missing(session, config, tenant, flow_run_id, missing, now))
    return runs, len(missing)


async def find_or_create_task_runs(
    session: AsyncSession,
    config: DialectConfiguration,
    tenant: uuid.UUID,
    flow_run_id: uuid.UUID,
    keys: set[Key],
    now: datetime,
) -> dict[Key, RunSnapshot]:
    """The task runs of `keys` in a flow run the caller has locked, the missing ones
    created Pending (e.g. asked for concurrency slots before their first report)."""
    runs, _created = await _task_runs_for(session, config, tenant, flow_run_id, keys, now)
    return runs


async def transition_task_runs(
    session: AsyncSession,
    config: DialectConfiguration,
    tenant: uuid.UUID,
    changes: Sequence[TaskChange],
    *,
    touch_heartbeat: bool = True,
    read: BatchRead | None = None,
    policy: Policy = TASK_RUN_POLICY,
) -> list[records.TransitionResult]:
    """Evaluate and write task-run `changes` inside the caller's transaction (`read`:
    the batch's `read_batch`, when the caller has made it already; `policy`: another
    rule list, e.g. for states set by hand). What a change writes besides the run's row
    is `TASK_RUN_EFFECTS` (services._transitions).

    Changes reported by a run's process are a sign of life of its flow run (its
    heartbeat is refreshed); the server's own changes (the zombie killer) pass
    `touch_heartbeat=False`, or a dead run would look alive again."""
    now = read.now if read is not None else datetime.now(UTC)
    if read is None:
        slots = ((change.flow_run_id, change.key) for change in changes)
        read = await read_batch(session, config, tenant, slots, now)
    runs = cast(dict[Hashable, RunSnapshot], read.runs)  # updated in place, as evaluated
    tags = {tag for change in changes if change.tags for tag in change.tags}
    flow_run_ids = sorted(read.keys_by_run)
    batch = Batch(
        "task_run",
        tenant,
        now,
        runs,
        flow_run_ids,
        parents=read.parents,
        # After the flow runs, the limits: the order every writer locks them in.
        slots=await task_tag_ledger(session, config, tenant, tags, flow_run_ids) if tags else None,
        touch_heartbeat=touch_heartbeat,
        new_slots=cast(list[Hashable], read.new_slots),
        stored=set(runs.keys() - set(read.new_slots)),
        created=read.created,
    )
    verdicts = await write_transitions(
        session, config, batch, changes, policy, TASK_RUN_EFFECTS, chunk=config.pipeline_chunk
    )
    return results_of(verdicts, missing_id=False)


async def set_task_run_states(
    db: Database,
    tenant_id: uuid.UUID | str,
    changes: Sequence[TaskRunStateChange | dict[str, Any]],
) -> list[records.TransitionResult]:
    """Apply a batch of task-run state changes in one transaction; one result per change,
    in order. Task runs that do not exist yet are created (Pending, version 0) first.

    A malformed change fails the whole batch with `InvalidInput` (nothing written);
    changes for unknown flow runs get NOT_FOUND results; changes the rules refuse get
    rejected results while the rest apply.
    """
    tenant = as_uuid(tenant_id, "tenant_id")
    batch_size(len(changes), "state changes")
    keyed = change_keys(changes)
    if not keyed:
        return []
    if db.config.pipeline_chunk is None:  # the database works in this process: in turn
        normalized = normalize_keyed(keyed)

        async def work(session: AsyncSession) -> list[records.TransitionResult]:
            return await transition_task_runs(session, db.config, tenant, normalized)

        return await db.run_in_transaction(work)

    async def overlapped(session: AsyncSession) -> list[records.TransitionResult]:
        # The parents are locked and the task runs read while the states are parsed
        # (the bigger part of checking a batch); a bad state still fails it all.
        slots = [(flow_run_id, key) for _change, flow_run_id, key in keyed]
        reading = asyncio.ensure_future(
            read_batch(session, db.config, tenant, slots, datetime.now(UTC))
        )
        try:
            await asyncio.sleep(0)
            normalized = normalize_keyed(keyed)
            read = await reading
        except BaseException:
            await asyncio.gather(reading, return_exceptions=True)
            raise
        return await transition_task_runs(session, db.config, tenant, normalized, read=read)

    return await db.run_in_transaction(overlapped)


async def create_task_runs(
    db: Database,
    tenant_id: uuid.UUID | str,
    flow_run_id: uuid.UUID | str,
    items: Sequence[tuple[str, int | None]],
) -> list[records.TaskRun]:
    """Create task runs (Pending) for `(task_slug, map_index)` pairs unless they exist;
    return all of them, in the order asked. Idempotent."""
    tenant = as_uuid(tenant_id, "tenant_id")
    run_id = as_uuid(flow_run_id, "flow_run_id")
    batch_size(len(items), "task runs")
    keys: list[Key] = []
    for index, item in enumerate(items):
        if not isinstance(item, tuple | list) or len(item) != 2:
            raise InvalidInput(f"Item {index} must be a (task_slug, map_index) pair")
        map_index = optional_int(item[1], "map_index", index, minimum=-1)
        keys.append((slug_arg(item[0], index), -1 if map_index is None else map_index))
    if not keys:
        return []

    async def work(session: AsyncSession) -> list[records.TaskRun]:
        now = datetime.now(UTC)
        if not await lock_flow_runs(session, tenant, [run_id]):
            raise NotFound(f"No flow run {run_id}", details={"flow_run_id": str(run_id)})
        runs, created = await _task_runs_for(session, db.config, tenant, run_id, set(keys), now)
        if created:
            record_event(
                session,
                Event(
                    "task_runs.state",
                    str(tenant),
                    flow_run_id=str(run_id),
                    data={"accepted": 0, "created": created},
                ),
            )
        ids = [runs[key].id for key in keys]
        by_id: dict[uuid.UUID, records.TaskRun] = {}
        for start in range(0, len(ids), _CHUNK):
            result = await session.execute(
                sa.select(_TR).where(db.config.in_values(_TR.c.id, ids[start : start + _CHUNK]))
            )
            by_id.update({row.id: rows.task_run(row) for row in result})
        return [by_id[i] for i in ids if i is not None]

    return await db.run_in_transaction(work)


async def get_task_run(
    db: Database, tenant_id: uuid.UUID | str, task_run_id: uuid.UUID | str
) -> records.TaskRun:
    tenant = as_uuid(tenant_id, "tenant_id")
    run_id = as_uuid(task_run_id, "task_run_id")
    async with db.session() as session:
        row = (
            await session.execute(
                sa.select(_TR).where(_TR.c.tenant_id == tenant, _TR.c.id == run_id)
            )
        ).first()
    if row is None:
        raise NotFound(f"No task run {run_id}", details={"task_run_id": str(run_id)})
    return rows.task_run(row)


def state_filter(column_state: Any, column_type: Any, states: Sequence[str]) -> Any:
    """Match a state name (e.g. "TimedOut") or a family (e.g. "Failed": all failures)."""
    families = [s for s in states if s in FAMILIES]
    names = [s for s in states if s not in FAMILIES]
    unknown = [s for s in names if s not in FAMILY_OF]
    if unknown:
        raise InvalidInput(f"Unknown state(s) {unknown}", details={"field": "states"})
    terms = []
    if families:
        terms.append(column_type.in_(families))
    if names:
        terms.append(column_state.in_(names))
    return sa.or_(*terms) if terms else sa.false()


async def list_task_runs(
    db: Database,
    tenant_id: uuid.UUID | str,
    flow_run_id: uuid.UUID | str,
    *,
    task_slug: str | None = None,
    states: Sequence[str] | None = None,
    map_index: int | None = None,
    order_by: Literal["task_slug", "state_timestamp", "-state_timestamp"] | str = "task_slug",
    first: int = 200,
    after: str | None = None,
    count: bool = True,
) -> records.Page[records.TaskRun]:
    """Task runs of a flow run, paged (`map_index=-1` selects unmapped ones only)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    run_id = as_uuid(flow_run_id, "flow_run_id")
    ordering = ordering_choice(TASK_RUN_ORDERINGS, order_by)
    size = page_size(first)
    # Tenancy is checked once on the flow run; filtering task runs by tenant as well would
    # tempt SQLite's planner onto the (tenant_id, ...) index and scan every task run.
    statement = sa.select(TaskRun).where(TaskRun.flow_run_id == run_id)
    if task_slug is not None:
        statement = statement.where(TaskRun.task_slug == task_slug)
    if map_index is not None:
        statement = statement.where(TaskRun.map_index == map_index)
    if states:
        statement = statement.where(state_filter(TaskRun.state, TaskRun.state_type, states))
    async with db.session() as session:
        await find_flow_run(session, tenant, run_id)
        page = await fetch_page(
            session,
            statement,
            ordering,
            first=size,
            after=after,
            count=count,
            sort_values=lambda row: [getattr(row[0], k.column.key) for k in ordering.keys],
        )
    return records.Page(
        items=[rows.task_run(row[0]) for row in page.rows],
        end_cursor=page.end_cursor,
        has_next_page=page.has_next_page,
        total_count=page.total_count,
    )


__all__ = [
    "BatchRead",
    "change_keys",
    "create_task_runs",
    "find_or_create_task_runs",
    "get_task_run",
    "list_task_runs",
    "normalize_keyed",
    "read_batch",
    "set_task_run_states",
    "state_filter",
    "transition_task_runs",
]
