"""The after-write effects of a state change, declared once, and the ordered list of them
per run kind (`FLOW_RUN_EFFECTS`, `TASK_RUN_EFFECTS`).

Each effect builds plain rows from the verdicts (tested without a database) and names
the statement that stores them. Order matters: a chunk's run rows go before its history
rows, concurrency slots are taken (the rows of what the `take_concurrency_slots` rule
granted) and given back once every row is written, and the events (which
also become the activity feed's rows at commit, `database.activity_log`) come last.
A flow run's heartbeat is a column of its row; a task-run batch refreshes its flow
runs' heartbeats with one statement sent before the changes are evaluated.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import record_event
from proctor.server.database.bulk import BulkWrite
from proctor.server.database.dialects import DialectConfiguration
from proctor.server.database.ids import new_id
from proctor.server.database.models import FlowRun, FlowRunState, TaskRun, TaskRunState
from proctor.server.events import Event
from proctor.server.orchestration.evaluate import Verdict
from proctor.server.orchestration.transition import RunKind
from proctor.server.services._transitions.batch import Batch, Effect, Row, Write
from proctor.server.services.concurrency_slots import (
    HOLDING_FLOW_STATES,
    HOLDING_TASK_STATES,
    release_flow_run_slots,
    release_task_run_slots,
    write_slots,
)

#: A task run's key in a batch: (flow run id, (task slug, map index)).
TaskSlot = tuple[uuid.UUID, tuple[str, int]]
_FR = cast(sa.Table, FlowRun.__table__)
_TR = cast(sa.Table, TaskRun.__table__)

# -- statements -------------------------------------------------------------------------------

_FLOW_RUN_UPDATE = BulkWrite(
    _FR,
    key="id",
    columns=(
        "state",
        "state_type",
        "state_message",
        "state_timestamp",
        "version",
        "run_count",
        "start_time",
        "end_time",
        "scheduled_start_time",
        "agent_id",
        "result_location",
        "heartbeat",
        "updated",
    ),
)
_FLOW_RUN_HISTORY = BulkWrite(
    cast(sa.Table, FlowRunState.__table__),
    columns=(
        "id",
        "tenant_id",
        "flow_run_id",
        "state",
        "state_type",
        "message",
        "timestamp",
        "start_time",
        "result_location",
        "version",
        "data",
        "created",
    ),
)
_TASK_RUN_HISTORY = BulkWrite(
    cast(sa.Table, TaskRunState.__table__),
    columns=(
        "id",
        "tenant_id",
        "task_run_id",
        "flow_run_id",
        "state",
        "state_type",
        "message",
        "timestamp",
        "start_time",
        "result_location",
        "version",
        "run_count",
        "data",
        "created",
    ),
)
# A task run's whole row; the state columns are what a change sets.
_TASK_STATE_COLUMNS = (
    "state",
    "state_type",
    "state_message",
    "state_timestamp",
    "version",
    "run_count",
    "start_time",
    "end_time",
    "result_location",
    "updated",
)
TASK_ROW_COLUMNS = (
    "id",
    "tenant_id",
    "flow_run_id",
    "task_slug",
    "map_index",
    "created",
    *_TASK_STATE_COLUMNS,
)
# New task runs are inserted once, in their final state (see services.task_runs). The
# parent lock means nobody else inserts them: a plain INSERT (a unique violation fails
# the batch, never drops a state silently).
_TASK_RUN_INSERT = BulkWrite(_TR, columns=TASK_ROW_COLUMNS)
# Existing task runs are updated with INSERT ... ON CONFLICT (id) DO UPDATE: every row
# conflicts, and PostgreSQL finds each through the primary key, whereas an UPDATE joined
# to the batch lets the planner hash-join it against a scan of the whole table (chosen at
# ~50k-300k task runs: 50-100 ms per 1,000 rows instead of ~25).
_TASK_RUN_UPSERT = BulkWrite(
    _TR, columns=TASK_ROW_COLUMNS, conflict=("id",), update=_TASK_STATE_COLUMNS
)


async def _touch_heartbeats(
    session: AsyncSession, config: DialectConfiguration, rows: Sequence[Row]
) -> None:
    """rows: (flow run id, now)."""
    if rows:
        heartbeat = sa.update(_FR).where(_FR.c.id.in_([row[0] for row in rows]))
        await session.execute(heartbeat.values(heartbeat=rows[0][1]))


# -- effects ----------------------------------------------------------------------------------


class Heartbeat(Effect):
    """Task-run reports are a sign of life of their flow runs (for the zombie killer).
    Sent first, so that it runs while the changes are evaluated."""

    name = "heartbeat"

    def before(self, batch: Batch) -> list[Write]:
        if not (batch.touch_heartbeat and batch.flow_run_ids):
            return []
        return [Write(_touch_heartbeats, [(run_id, batch.now) for run_id in batch.flow_run_ids])]


class FlowRunRows(Effect):
    """The flow runs' rows as the chunk left them (stamping their heartbeat)."""

    name = "rows"

    def chunk(self, batch: Batch, written: Sequence[Verdict]) -> list[Write]:
        now = batch.now
        rows = []
        for slot in {verdict.slot: None for verdict in written}:
            run = batch.runs[slot]
            assert run.id is not None
            rows.append(
                (
                    run.id,
                    run.state,
                    run.state_type,
                    batch.written[run.id].state.message,
                    run.state_timestamp,
                    run.version,
                    run.run_count,
                    run.start_time,
                    run.end_time,
                    run.scheduled_start_time,
                    run.agent_id,
                    run.result_location,
                    now,
                    now,
                )
            )
        return [Write(_FLOW_RUN_UPDATE, rows)]


class TaskRunRows(Effect):
    """The task runs' rows as the chunk left them: inserted the first time a chunk
    changes them, updated after; new task runs no change was accepted for are stored
    (Pending) at the end."""

    name = "rows"

    def chunk(self, batch: Batch, written: Sequence[Verdict]) -> list[Write]:
        new_rows: list[Row] = []
        changed_rows: list[Row] = []
        stored = batch.stored
        touched = cast(dict[TaskSlot, None], {verdict.slot: None for verdict in written})
        for slot in touched:
            run = batch.runs[slot]
            assert run.id is not None
            message = batch.written[run.id].state.message
            (changed_rows if slot in stored else new_rows).append(
                task_run_row(batch, slot, message)
            )
            stored.add(slot)
        return [Write(_TASK_RUN_INSERT, new_rows), Write(_TASK_RUN_UPSERT, changed_rows)]

    def unwritten(self, batch: Batch) -> list[Row]:
        stored = batch.stored
        new_slots = cast(list[TaskSlot], batch.new_slots)
        return [task_run_row(batch, slot, None) for slot in new_slots if slot not in stored]

    async def after(
        self, session: AsyncSession, config: DialectConfiguration, batch: Batch
    ) -> None:
        await _TASK_RUN_INSERT(session, config, self.unwritten(batch))


def task_run_row(batch: Batch, slot: TaskSlot, message: str | None) -> Row:
    """A task run as the batch left it, laid out as `TASK_ROW_COLUMNS`."""
    flow_run_id, (slug, map_index) = slot
    run = batch.runs[slot]
    now = batch.now
    return (
        run.id,
        batch.tenant,
        flow_run_id,
        slug,
        map_index,
        now,
        run.state,
        run.state_type,
        message,
        run.state_timestamp,
        run.version,
        run.run_count,
        run.start_time,
        run.end_time,
        run.result_location,
        now,
    )


class FlowRunHistory(Effect):
    """One history row per accepted change."""

    name = "history"

    def chunk(self, batch: Batch, written: Sequence[Verdict]) -> list[Write]:
        tenant, now = batch.tenant, batch.now
        rows = []
        for verdict in written:
            run, state = verdict.after, verdict.state
            assert run is not None
            rows.append(
                (
                    new_id(),
                    tenant,
                    run.id,
                    state.name,
                    state.type,
                    state.message,
                    state.timestamp,
                    state.start_time,
                    state.result_location,
                    run.version,
                    state.history_data(),
                    now,
                )
            )
        return [Write(_FLOW_RUN_HISTORY, rows)]


class TaskRunHistory(Effect):
    """One history row per accepted change."""

    name = "history"

    def chunk(self, batch: Batch, written: Sequence[Verdict]) -> list[Write]:
        tenant, now = batch.tenant, batch.now
        rows = []
        for verdict in written:
            run, state = verdict.after, verdict.state
            assert run is not None
            rows.append(
                (
                    new_id(),
                    tenant,
                    run.id,
                    verdict.change.flow_run_id,
                    state.name,
                    state.type,
                    state.message,
                    state.timestamp,
                    state.start_time,
                    state.result_location,
                    run.version,
                    run.run_count,
                    state.history_data(),
                    now,
                )
            )
        return [Write(_TASK_RUN_HISTORY, rows)]


class SlotTake(Effect):
    """The concurrency slots the task-run rules took (`TakeConcurrencySlots`, judged
    against the batch's locked `SlotLedger`) are stored with the states that took them."""

    name = "slots_taken"

    async def after(
        self, session: AsyncSession, config: DialectConfiguration, batch: Batch
    ) -> None:
        if batch.slots is not None:
            await write_slots(session, batch.tenant, batch.slots.taken, batch.now)


class SlotRelease(Effect):
    """Runs that stopped holding (finished, re-queued, paused) give their concurrency
    slots back in this same transaction (see services.concurrency_slots); a flow run also
    its task runs'."""

    name = "slots"

    def __init__(self, kind: RunKind) -> None:
        self.kind = kind
        self.holding = HOLDING_FLOW_STATES if kind == "flow_run" else HOLDING_TASK_STATES

    def stopped(self, batch: Batch) -> list[uuid.UUID]:
        holding = self.holding
        return [
            run_id for run_id, verdict in batch.written.items() if verdict.state.type not in holding
        ]

    async def after(
        self, session: AsyncSession, config: DialectConfiguration, batch: Batch
    ) -> None:
        if not batch.written:
            return
        if self.kind == "flow_run":
            await release_flow_run_slots(session, config, self.stopped(batch))
        else:
            await release_task_run_slots(session, config, batch.flow_run_ids, self.stopped(batch))

    def __repr__(self) -> str:
        return f"SlotRelease({self.kind!r})"


class StateEvents(Effect):
    """Published after commit: one `flow_run.state` per flow run changed (the activity
    feed keeps these), one `task_runs.state` per flow run whose task runs changed or
    were created (counts only: a 10,000-task map is one event)."""

    name = "events"

    def __init__(self, kind: RunKind) -> None:
        self.kind = kind

    def events(self, batch: Batch) -> list[Event]:
        tenant = str(batch.tenant)
        if self.kind == "flow_run":
            events = []
            for verdict in batch.written.values():
                run = verdict.after
                assert run is not None
                data = {"state": run.state, "state_type": run.state_type, "version": run.version}
                events.append(Event("flow_run.state", tenant, flow_run_id=str(run.id), data=data))
            return events
        accepted, created = batch.accepted, batch.created
        return [
            Event(
                "task_runs.state",
                tenant,
                flow_run_id=str(flow_run_id),
                data={"accepted": accepted[flow_run_id], "created": created.get(flow_run_id, 0)},
            )
            for flow_run_id in batch.flow_run_ids
            if accepted[flow_run_id] or created.get(flow_run_id, 0)
        ]

    async def after(
        self, session: AsyncSession, config: DialectConfiguration, batch: Batch
    ) -> None:
        for event in self.events(batch):
            record_event(session, event)

    def __repr__(self) -> str:
        return f"StateEvents({self.kind!r})"


FLOW_RUN_EFFECTS: tuple[Effect, ...] = (
    FlowRunRows(),
    FlowRunHistory(),
    SlotRelease("flow_run"),
    StateEvents("flow_run"),
)
TASK_RUN_EFFECTS: tuple[Effect, ...] = (
    Heartbeat(),
    TaskRunRows(),
    TaskRunHistory(),
    SlotTake(),
    SlotRelease("task_run"),
    StateEvents("task_run"),
)

__all__ = [
    "FLOW_RUN_EFFECTS",
    "TASK_ROW_COLUMNS",
    "TASK_RUN_EFFECTS",
    "FlowRunHistory",
    "FlowRunRows",
    "Heartbeat",
    "SlotRelease",
    "SlotTake",
    "StateEvents",
    "TaskRunHistory",
    "TaskRunRows",
    "task_run_row",
]
