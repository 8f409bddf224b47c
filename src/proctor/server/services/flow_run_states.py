"""Flow-run state changes: through the orchestration policy, written in one transaction.

`transition_flow_runs` is the single write path for flow-run states; `set_flow_run_states`
(the API), `cancel_flow_run`, `restart_flow_run` and agent claims all call it. It locks
and reads the rows; the rest is the transition engine shared with task runs
(`orchestration.evaluate`, then `FLOW_RUN_EFFECTS` run by `services._transitions`).
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database
from proctor.server.database.dialects import DialectConfiguration
from proctor.server.database.models import FlowRun
from proctor.server.orchestration import FLOW_RUN_POLICY, Policy, ProposedState, RunSnapshot
from proctor.server.services._transitions import (
    FLOW_RUN_EFFECTS,
    Batch,
    results_of,
    write_transitions,
)
from proctor.server.services.plumbing.inputs import (
    FlowRunStateChange,
    UuidCache,
    coerce,
    optional_int,
    state_arg,
)
from proctor.server.services.plumbing.records import TransitionResult
from proctor.server.services.plumbing.validation import as_uuid, batch_size

_RUN = cast(sa.Table, FlowRun.__table__)


@dataclass(slots=True)
class FlowChange:
    """A validated `FlowRunStateChange`."""

    flow_run_id: uuid.UUID
    state: ProposedState
    version: int | None
    agent_id: uuid.UUID | None
    force: bool

    @property
    def slot(self) -> uuid.UUID:
        """The run's key among a batch's rows."""
        return self.flow_run_id

    tags: ClassVar[None] = None  # flow runs take label slots when claimed, not by state


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


async def transition_flow_runs(
    session: AsyncSession,
    config: DialectConfiguration,
    tenant: uuid.UUID,
    changes: Sequence[FlowChange],
    *,
    policy: Policy = FLOW_RUN_POLICY,
) -> list[TransitionResult]:
    """Evaluate and write `changes` (in order) inside the caller's transaction; what a
    change writes besides the run's row is `FLOW_RUN_EFFECTS` (services._transitions)."""
    now = datetime.now(UTC)
    runs = await load_snapshots(session, tenant, [c.flow_run_id for c in changes])
    batch = Batch(
        "flow_run",
        tenant,
        now,
        cast(dict[Hashable, RunSnapshot], runs),
        sorted(runs),
        stored=set(runs),
    )
    verdicts = await write_transitions(session, config, batch, changes, policy, FLOW_RUN_EFFECTS)
    return results_of(verdicts, missing_id=True)


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
