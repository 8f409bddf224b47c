"""States set by hand: "Mark as" Success, Failed, Cancelled or Skipped, with a reason.

The change goes through the manual policies (`orchestration.manual`), forced past the
rule that keeps finished runs finished, and is written like any other change: the
history row's message says it was set by hand, by whom, and why, e.g.
`Marked Failed by hand by ana@example.com: the load was incomplete`. The API's audit
log records the mutation and its actor beside it.

Marking a flow run finished while task runs are still open (its process was running, or
died) ends those task runs Cancelled in the same transaction: nothing is left looking
alive under a finished run.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database
from proctor.server.database.models import TaskRun
from proctor.server.errors import InvalidInput, NotFound, TransitionRejected
from proctor.server.orchestration import ProposedState
from proctor.server.orchestration.manual import (
    MANUAL_FLOW_RUN_POLICY,
    MANUAL_STATES,
    MANUAL_TASK_RUN_POLICY,
)
from proctor.server.orchestration.states import FINISHED_STATES
from proctor.server.services.flow_run_states import FlowChange, transition_flow_runs
from proctor.server.services.plumbing import records, rows
from proctor.server.services.plumbing.lookups import find_flow_run
from proctor.server.services.plumbing.records import TransitionResult
from proctor.server.services.plumbing.validation import as_uuid
from proctor.server.services.task_runs import TaskChange, transition_task_runs

MAX_REASON_CHARS = 1000


def manual_message(state: str, reason: str, who: str) -> str:
    """The state message of a mark: what, by whom, why (checked: a reason is required)."""
    if state not in MANUAL_STATES:
        raise InvalidInput(
            f"state must be one of {', '.join(MANUAL_STATES)}; got {state!r}",
            details={"field": "state"},
        )
    text = reason.strip()
    if not text:
        raise InvalidInput(
            "A reason is required to set a state by hand.", details={"field": "reason"}
        )
    if len(text) > MAX_REASON_CHARS:
        raise InvalidInput(
            f"The reason is longer than {MAX_REASON_CHARS} characters.",
            details={"field": "reason"},
        )
    return f"Marked {state} by hand by {who}: {text}"


def _refused(result: TransitionResult) -> TransitionRejected:
    return TransitionRejected(
        result.reason or "State change rejected",
        details={"rule": result.rule, "state": result.state},
        code=result.code,
    )


async def mark_flow_run(
    db: Database,
    tenant_id: uuid.UUID | str,
    flow_run_id: uuid.UUID | str,
    state: str,
    reason: str,
    who: str,
) -> records.FlowRun:
    """Set a flow run's state by hand (`TransitionRejected` when the rules refuse)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    run_id = as_uuid(flow_run_id, "flow_run_id")
    message = manual_message(state, reason, who)
    now = datetime.now(UTC)
    async with db.transaction() as session:
        run, flow_name = await find_flow_run(session, tenant, run_id, lock=True)
        proposed = ProposedState(state, message, timestamp=now)
        [result] = await transition_flow_runs(
            session,
            db.config,
            tenant,
            [FlowChange(run_id, proposed, None, None, True)],
            policy=MANUAL_FLOW_RUN_POLICY,
        )
        if not result.accepted:
            raise _refused(result)
        if result.state in FINISHED_STATES:
            await _cancel_open_task_runs(db, session, tenant, run_id, state, now)
        await session.refresh(run)
        return rows.flow_run(run, flow_name)


async def _cancel_open_task_runs(
    db: Database,
    session: AsyncSession,
    tenant: uuid.UUID,
    run_id: uuid.UUID,
    state: str,
    now: datetime,
) -> None:
    found = await session.execute(
        sa.select(TaskRun.task_slug, TaskRun.map_index).where(
            TaskRun.flow_run_id == run_id,
            TaskRun.state.not_in(sorted(FINISHED_STATES)),
        )
    )
    keys = sorted((slug, index) for slug, index in found.all())
    if not keys:
        return
    cancelled = ProposedState(
        "Cancelled", f"The flow run was marked {state} by hand.", timestamp=now
    )
    await transition_task_runs(
        session,
        db.config,
        tenant,
        [TaskChange(run_id, key, cancelled, None, True) for key in keys],
        touch_heartbeat=False,
    )


async def mark_task_run(
    db: Database,
    tenant_id: uuid.UUID | str,
    task_run_id: uuid.UUID | str,
    state: str,
    reason: str,
    who: str,
) -> records.TaskRun:
    """Set a task run's state by hand (`TransitionRejected` when the rules refuse, e.g.
    while its flow run's process runs)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    task_id = as_uuid(task_run_id, "task_run_id")
    message = manual_message(state, reason, who)
    async with db.transaction() as session:
        row = await session.scalar(
            sa.select(TaskRun).where(TaskRun.tenant_id == tenant, TaskRun.id == task_id)
        )
        if row is None:
            raise NotFound(f"No task run {task_id}", details={"task_run_id": str(task_id)})
        await find_flow_run(session, tenant, row.flow_run_id, lock=True)
        proposed = ProposedState(state, message)
        [result] = await transition_task_runs(
            session,
            db.config,
            tenant,
            [TaskChange(row.flow_run_id, (row.task_slug, row.map_index), proposed, None, True)],
            touch_heartbeat=False,
            policy=MANUAL_TASK_RUN_POLICY,
        )
        if not result.accepted:
            raise _refused(result)
        await session.refresh(row)
        return rows.task_run(row)


__all__ = ["MAX_REASON_CHARS", "manual_message", "mark_flow_run", "mark_task_run"]
