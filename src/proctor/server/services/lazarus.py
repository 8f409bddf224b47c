"""Lazarus: flow runs whose process is gone come back to the queue.

A run is *lost* when it is in flight (Submitted, Running, or Cancelling) but nothing has
been heard of it for `after` seconds (its heartbeat: every state change, task-run batch
and heartbeat of the run refreshes it), and none of its task runs is live (Running or
Cancelling: those belong to the zombie killer first, which retries or fails them without
refreshing the heartbeat; the next pass here then sees the run idle).

A Submitted run is the claiming agent's responsibility until its process reports: while
that agent still heartbeats, the run is being launched (a process start can take seconds
on a loaded machine) and is not lost, unless it stays Submitted for `SUBMITTED_PATIENCE`
times `after` (an agent that lost track of it). A Submitted run of a silent agent is lost
after `after`, like any other.

- A lost Submitted or Running run is re-queued: Scheduled now, claim cleared, so any
  agent picks it up and the new process resumes from its task runs' states. After
  `max_requeues` re-queues it is failed instead, with a message saying why: a run that
  keeps losing its process (out of memory, killed by a scheduler) would loop forever.
- A lost Cancelling run is Cancelled: nobody is left to finish the cancellation.

Every change goes through the orchestration policy with the version the pass read, and
the runs are taken with `FOR UPDATE SKIP LOCKED`, so several server replicas can run
Lazarus at once without acting twice on a run (SQLite has one writer anyway).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database
from proctor.server.database.models import Agent, FlowRun, TaskRun
from proctor.server.orchestration import ProposedState
from proctor.server.services.flow_run_states import FlowChange, transition_flow_runs

LOST_STATES = ("Submitted", "Running", "Cancelling")
LIVE_TASK_STATES = ("Running", "Cancelling")
BATCH = 200
#: How many times `after` a Submitted run may wait while its agent is alive.
SUBMITTED_PATIENCE = 10


@dataclass(slots=True)
class LazarusReport:
    requeued: int = 0
    failed: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        return self.requeued + self.failed + self.cancelled


def last_sign_of_life() -> sa.ColumnElement[Any]:
    """The run's heartbeat (every transition sets it; a run that never had one counts
    from its last state change)."""
    return sa.func.coalesce(FlowRun.heartbeat, FlowRun.state_timestamp)


def _decide(
    state_type: str, requeues: int, silent: float, max_requeues: int
) -> tuple[ProposedState, str]:
    """The state a lost run goes to, and which count of the report it adds to."""
    quiet = f"no heartbeat for {silent:.0f} s and no task run running"
    if state_type == "Cancelling":
        return ProposedState("Cancelled", f"Cancelled by Lazarus: {quiet}."), "cancelled"
    if requeues >= max_requeues:
        return (
            ProposedState(
                "Failed",
                f"Failed by Lazarus: the run lost its process again ({quiet}) after "
                f"{requeues} re-queue(s); giving up.",
            ),
            "failed",
        )
    now = datetime.now(UTC)
    return (
        ProposedState(
            "Scheduled",
            f"Re-queued by Lazarus ({requeues + 1} of {max_requeues}): {quiet}.",
            timestamp=now,
            start_time=now,
        ),
        "requeued",
    )


async def revive_lost_runs(
    db: Database,
    *,
    after: float,
    max_requeues: int,
    now: datetime | None = None,
    limit: int = BATCH,
) -> LazarusReport:
    """One Lazarus pass over every tenant (one transaction, at most `limit` runs)."""
    moment = now or datetime.now(UTC)
    cutoff = moment - timedelta(seconds=after)
    live = sa.exists().where(
        TaskRun.flow_run_id == FlowRun.id, TaskRun.state_type.in_(LIVE_TASK_STATES)
    )
    agent_alive = sa.exists().where(Agent.id == FlowRun.agent_id, Agent.last_heartbeat >= cutoff)
    launching = sa.and_(
        FlowRun.state_type == "Submitted",
        agent_alive,
        last_sign_of_life() >= moment - timedelta(seconds=after * SUBMITTED_PATIENCE),
    )

    async def work(session: AsyncSession) -> LazarusReport:
        report = LazarusReport()
        lost = (
            await session.execute(
                sa.select(
                    FlowRun.id,
                    FlowRun.tenant_id,
                    FlowRun.state_type,
                    FlowRun.version,
                    FlowRun.lazarus_count,
                    last_sign_of_life(),
                )
                .where(
                    FlowRun.state_type.in_(LOST_STATES),
                    last_sign_of_life() < cutoff,
                    ~live,
                    ~launching,
                )
                .order_by(FlowRun.id)
                .limit(limit)
                .with_for_update(skip_locked=True, of=FlowRun)
            )
        ).all()
        by_tenant: dict[uuid.UUID, list[FlowChange]] = defaultdict(list)
        counts: dict[uuid.UUID, str] = {}
        for run_id, tenant, state_type, version, requeues, seen in lost:
            silent = (moment - seen).total_seconds()
            state, outcome = _decide(state_type, requeues, silent, max_requeues)
            by_tenant[tenant].append(FlowChange(run_id, state, version, None, False))
            counts[run_id] = outcome
        requeued: list[uuid.UUID] = []
        for tenant, changes in by_tenant.items():
            for result in await transition_flow_runs(session, db.config, tenant, changes):
                if result.accepted and result.id is not None:
                    outcome = counts[result.id]
                    setattr(report, outcome, getattr(report, outcome) + 1)
                    if outcome == "requeued":
                        requeued.append(result.id)
        if requeued:
            await session.execute(
                sa.update(FlowRun)
                .where(FlowRun.id.in_(requeued))
                .values(lazarus_count=FlowRun.lazarus_count + 1)
                .execution_options(synchronize_session=False)
            )
        return report

    return await db.run_in_transaction(work)


__all__ = [
    "LIVE_TASK_STATES",
    "LOST_STATES",
    "SUBMITTED_PATIENCE",
    "LazarusReport",
    "last_sign_of_life",
    "revive_lost_runs",
]
