"""Flow-run state changes: through the orchestration policy, written in one transaction.

`transition_flow_runs` is the single write path for flow-run states; `set_flow_run_states`
(the API), `cancel_flow_run`, `restart_flow_run` and agent claims all call it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database, record_event
from proctor.server.database.bulk import BulkWrite
from proctor.server.database.dialects import DialectConfiguration
from proctor.server.database.ids import new_id
from proctor.server.database.models import FlowRun, FlowRunState
from proctor.server.events import Event
from proctor.server.orchestration import (
    FLOW_RUN_POLICY,
    Policy,
    ProposedState,
    RunSnapshot,
    Transition,
    apply_state,
)
from proctor.server.services.inputs import (
    FlowRunStateChange,
    UuidCache,
    coerce,
    optional_int,
    state_arg,
)
from proctor.server.services.records import TransitionResult
from proctor.server.services.slots import HOLDING_FLOW_STATES, release_flow_run_slots
from proctor.server.services.validation import as_uuid, batch_size

_RUN = cast(sa.Table, FlowRun.__table__)
_HISTORY = cast(sa.Table, FlowRunState.__table__)

_UPDATE = BulkWrite(
    _RUN,
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
_INSERT_HISTORY = BulkWrite(
    _HISTORY,
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


@dataclass(slots=True)
class FlowChange:
    """A validated `FlowRunStateChange`."""

    flow_run_id: uuid.UUID
    state: ProposedState
    version: int | None
    agent_id: uuid.UUID | None
    force: bool


def normalize_changes(changes: Sequence[Any]) -> list[FlowChange]:
    parse_id = UuidCache()
    normalized = []
    for index, raw in enumerate(changes):
        change = coerce(FlowRunStateChange, raw, index)
        normalized.append(
            FlowChange(
                flow_run_id=parse_id(change.flow_run_id, "flow_run_id", index),
                state=state_arg(change.state, index),
                version=optional_int(change.version, "version", index, minimum=0),
                agent_id=None
                if change.agent_id is None
                else parse_id(change.agent_id, "agent_id", index),
                force=bool(change.force),
            )
        )
    return normalized


def snapshot(row: Any) -> RunSnapshot:
    return RunSnapshot(
        id=row.id,
        state=row.state,
        state_timestamp=row.state_timestamp,
        version=row.version,
        run_count=row.run_count,
        start_time=row.start_time,
        end_time=row.end_time,
        agent_id=row.agent_id,
        scheduled_start_time=row.scheduled_start_time,
        result_location=row.result_location,
    )


async def load_snapshots(
    session: AsyncSession, tenant: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, RunSnapshot]:
    """Current rows of these flow runs, locked for update (in id order: no deadlocks)."""
    found: dict[uuid.UUID, RunSnapshot] = {}
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), 1000):
        chunk = ordered[start : start + 1000]
        result = await session.execute(
            sa.select(
                _RUN.c.id,
                _RUN.c.state,
                _RUN.c.state_timestamp,
                _RUN.c.version,
                _RUN.c.run_count,
                _RUN.c.start_time,
                _RUN.c.end_time,
                _RUN.c.agent_id,
                _RUN.c.scheduled_start_time,
                _RUN.c.result_location,
            )
            .where(_RUN.c.tenant_id == tenant, _RUN.c.id.in_(chunk))
            .order_by(_RUN.c.id)
            .with_for_update()
        )
        for row in result:
            found[row.id] = snapshot(row)
    return found


def history_row(
    tenant: uuid.UUID, run: RunSnapshot, state: ProposedState, now: datetime
) -> tuple[Any, ...]:
    return (
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


async def transition_flow_runs(
    session: AsyncSession,
    config: DialectConfiguration,
    tenant: uuid.UUID,
    changes: Sequence[FlowChange],
    *,
    policy: Policy = FLOW_RUN_POLICY,
) -> list[TransitionResult]:
    """Evaluate and write `changes` (in order) inside the caller's transaction."""
    now = datetime.now(UTC)
    runs = await load_snapshots(session, tenant, [c.flow_run_id for c in changes])
    results: list[TransitionResult] = []
    history: list[tuple[Any, ...]] = []
    written: dict[uuid.UUID, tuple[RunSnapshot, ProposedState]] = {}
    for change in changes:
        run = runs.get(change.flow_run_id)
        if run is None:
            results.append(TransitionResult.no_flow_run(change.flow_run_id, change.flow_run_id))
            continue
        transition = Transition(
            kind="flow_run",
            current=run,
            proposed=change.state,
            expected_version=change.version,
            force=change.force,
            agent_id=change.agent_id,
        )
        outcome = policy.evaluate(transition)
        if outcome.kind in ("reject", "unchanged"):
            results.append(TransitionResult.kept(run, outcome, run.state_type))
            continue
        assert outcome.state is not None
        new = apply_state(run, outcome.state, kind="flow_run", agent_id=change.agent_id)
        runs[change.flow_run_id] = new
        written[change.flow_run_id] = (new, outcome.state)
        history.append(history_row(tenant, new, outcome.state, now))
        results.append(TransitionResult.written(new, outcome, new.state_type))
    if written:
        await _UPDATE(
            session,
            config,
            [
                (
                    run.id,
                    run.state,
                    run.state_type,
                    state.message,
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
                for run, state in written.values()
            ],
        )
        await _INSERT_HISTORY(session, config, history)
        # A run that stopped holding (finished, re-queued, paused) frees its concurrency
        # slots and its task runs' in this same transaction (see services.concurrency).
        stopped = [
            run_id
            for run_id, (run, _) in written.items()
            if run.state_type not in HOLDING_FLOW_STATES
        ]
        await release_flow_run_slots(session, config, stopped)
        for run, _state in written.values():
            record_event(
                session,
                Event(
                    "flow_run.state",
                    str(tenant),
                    flow_run_id=str(run.id),
                    data={"state": run.state, "state_type": run.state_type, "version": run.version},
                ),
            )
    return results


async def set_flow_run_states(
    db: Database, tenant_id: uuid.UUID | str, changes: Sequence[FlowRunStateChange | dict[str, Any]]
) -> list[TransitionResult]:
    """Apply flow-run state changes (in order, in one transaction); one result per change.

    A malformed change fails the whole call with `InvalidInput` before anything is
    written; a change the rules refuse (or for an unknown run) gets a rejected result
    while the others still apply.
    """
    tenant = as_uuid(tenant_id, "tenant_id")
    batch_size(len(changes), "state changes")
    normalized = normalize_changes(changes)
    if not normalized:
        return []

    async def work(session: AsyncSession) -> list[TransitionResult]:
        return await transition_flow_runs(session, db.config, tenant, normalized)

    return await db.run_in_transaction(work)


__all__ = [
    "FlowChange",
    "load_snapshots",
    "normalize_changes",
    "set_flow_run_states",
    "transition_flow_runs",
]
