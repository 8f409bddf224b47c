"""The zombie killer: task runs still marked Running although their flow run's process
stopped heartbeating more than `after` seconds ago.

Such a task run will never report again. It becomes `Retrying` (after the task's
`retry_delay`) when the task has retries left (its `retries` from the registered task
table, against the task run's `run_count`), else `Failed`; in a flow run being cancelled
it becomes `Cancelled`. Each gets a message saying what happened. Lazarus then finds the
flow run idle and re-queues it, and the new process runs the retries.

The changes go through the orchestration policy with the versions read, and do *not*
count as a sign of life of the flow run (unlike reports from its process), so Lazarus
is not delayed by them. Flow runs are taken with `FOR UPDATE SKIP LOCKED` (replicas).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database
from proctor.server.database.models import FlowRun, Task, TaskRun
from proctor.server.orchestration import ProposedState
from proctor.server.orchestration.states import FINISHED_FAMILIES
from proctor.server.services.concurrency_slots import release_task_slots_of_flow_runs
from proctor.server.services.lazarus import last_sign_of_life
from proctor.server.services.task_runs import TaskChange, transition_task_runs

BATCH = 100


@dataclass(slots=True)
class ZombieReport:
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        return self.retrying + self.failed + self.cancelled


@dataclass(frozen=True, slots=True)
class Zombie:
    """A Running task run of a silent flow run, with what its task allows."""

    flow_run_id: uuid.UUID
    flow_run_state_type: str
    task_slug: str
    map_index: int
    version: int
    run_count: int
    retries: int
    retry_delay: float | None


def verdict(zombie: Zombie, silent: float, now: datetime) -> tuple[ProposedState, str]:
    """The state a zombie task run goes to, and which count of the report it adds to."""
    why = f"its flow run's process stopped heartbeating {silent:.0f} s ago"
    if zombie.flow_run_state_type == "Cancelling":
        return ProposedState("Cancelled", f"Cancelled: {why}.", timestamp=now), "cancelled"
    attempts = max(zombie.run_count, 1)
    if attempts <= zombie.retries:
        start = now + timedelta(seconds=zombie.retry_delay or 0)
        message = f"Retrying (attempt {attempts + 1} of {zombie.retries + 1}): {why}."
        return ProposedState("Retrying", message, timestamp=now, start_time=start), "retrying"
    message = f"Failed: {why}, and the task has no retries left ({attempts} attempt(s))."
    return ProposedState("Failed", message, timestamp=now), "failed"


async def _zombies(
    session: AsyncSession, cutoff: datetime, limit: int
) -> dict[uuid.UUID, tuple[uuid.UUID, datetime, list[Zombie]]]:
    """Silent, unfinished flow runs (locked) with their Running task runs, by run id."""
    silent = (
        await session.execute(
            sa.select(FlowRun.id, FlowRun.tenant_id, last_sign_of_life())
            .where(
                FlowRun.state_type.not_in(FINISHED_FAMILIES),
                last_sign_of_life() < cutoff,
                sa.exists().where(
                    TaskRun.flow_run_id == FlowRun.id, TaskRun.state_type == "Running"
                ),
            )
            .order_by(FlowRun.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=FlowRun)
        )
    ).all()
    if not silent:
        return {}
    found: dict[uuid.UUID, tuple[uuid.UUID, datetime, list[Zombie]]] = {
        run_id: (tenant, seen, []) for run_id, tenant, seen in silent
    }
    rows = await session.execute(
        sa.select(
            TaskRun.flow_run_id,
            FlowRun.state_type,
            TaskRun.task_slug,
            TaskRun.map_index,
            TaskRun.version,
            TaskRun.run_count,
            sa.func.coalesce(Task.retries, 0),
            Task.retry_delay,
        )
        .join(FlowRun, FlowRun.id == TaskRun.flow_run_id)
        .outerjoin(Task, sa.and_(Task.flow_id == FlowRun.flow_id, Task.slug == TaskRun.task_slug))
        .where(TaskRun.flow_run_id.in_(list(found)), TaskRun.state_type == "Running")
    )
    for row in rows:
        found[row[0]][2].append(Zombie(*row))
    return found


async def kill_zombies(
    db: Database, *, after: float, now: datetime | None = None, limit: int = BATCH
) -> ZombieReport:
    """One zombie-killer pass over every tenant (one transaction, at most `limit` runs)."""
    moment = now or datetime.now(UTC)
    cutoff = moment - timedelta(seconds=after)

    async def work(session: AsyncSession) -> ZombieReport:
        report = ZombieReport()
        by_tenant: dict[uuid.UUID, list[tuple[TaskChange, str]]] = defaultdict(list)
        silent_runs = await _zombies(session, cutoff, limit)
        for tenant, seen, zombies in silent_runs.values():
            silent = (moment - seen).total_seconds()
            for zombie in zombies:
                state, outcome = verdict(zombie, silent, moment)
                key = (zombie.task_slug, zombie.map_index)
                change = TaskChange(zombie.flow_run_id, key, state, zombie.version, False)
                by_tenant[tenant].append((change, outcome))
        for tenant, planned in by_tenant.items():
            results = await transition_task_runs(
                session, db.config, tenant, [change for change, _ in planned], touch_heartbeat=False
            )
            for result, (_, outcome) in zip(results, planned, strict=True):
                if result.accepted:
                    setattr(report, outcome, getattr(report, outcome) + 1)
        # Their process is gone: no task run of theirs runs, whatever it last reported
        # (one granted a slot may not have reported Running yet).
        await release_task_slots_of_flow_runs(session, db.config, sorted(silent_runs))
        return report

    return await db.run_in_transaction(work)


__all__ = ["Zombie", "ZombieReport", "kill_zombies", "verdict"]
