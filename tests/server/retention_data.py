"""Run history for the retention tests: finished runs made the way agents and run
processes make them (claim, Running, task runs, logs, a finished state), then aged by
moving their timestamps into the past in the database (no waiting on the clock)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.models import (
    FlowRun,
    FlowRunState,
    Log,
    TaskRun,
    TaskRunState,
    Tenant,
)
from proctor.server.services.agents import claim_due_runs, register_agent
from proctor.server.services.flow_run_states import set_flow_run_states
from proctor.server.services.flow_runs import create_flow_run
from proctor.server.services.flows import register_flow
from proctor.server.services.logs import write_logs
from proctor.server.services.plumbing.inputs import FlowRunStateChange, LogIn, TaskRunStateChange
from proctor.server.services.task_runs import set_task_run_states

CHILD_TABLES = (TaskRun, FlowRunState, Log)


def two_task_spec(name: str) -> dict[str, Any]:
    from proctor import Flow, task

    @task
    def extract() -> int:
        return 1

    @task
    def load(x: int) -> int:
        return x

    with Flow(name) as flow:
        load(extract())
    return dict(flow.serialize())


async def add_team(db: Database, slug: str) -> uuid.UUID:
    tenant = uuid.uuid4()
    async with db.transaction() as session:
        session.add(Tenant(id=tenant, name=slug, slug=slug, settings={}))
    return tenant


async def register(db: Database, tenant: uuid.UUID, name: str) -> Any:
    result = await register_flow(db, tenant, "retention", two_task_spec(name), create_project=True)
    return result.flow


@dataclass(frozen=True)
class MadeRun:
    id: uuid.UUID
    task_runs: int
    log_lines: int


async def started_run(db: Database, tenant: uuid.UUID, flow_id: uuid.UUID) -> uuid.UUID:
    """A run claimed by an agent and Running (its process is alive)."""
    run = await create_flow_run(db, tenant, flow_id=flow_id)
    agent = await register_agent(db, tenant, f"agent-{uuid.uuid4().hex[:6]}")
    claimed = await claim_due_runs(db, tenant, agent.id, limit=1000)
    assert run.id in {c.id for c in claimed}
    [started] = await set_flow_run_states(
        db, tenant, [FlowRunStateChange(run.id, {"type": "Running"}, agent_id=agent.id)]
    )
    assert started.accepted, started
    return run.id


async def finished_run(
    db: Database,
    tenant: uuid.UUID,
    flow_id: uuid.UUID,
    *,
    final: str = "Success",
    log_lines: int = 3,
    line: str = "a log line",
) -> MadeRun:
    """A run that ran two task runs, wrote `log_lines` lines and ended in `final`."""
    run_id = await started_run(db, tenant, flow_id)
    changes = [
        TaskRunStateChange(run_id, slug, {"type": state})
        for slug in ("extract", "load")
        for state in ("Running", "Success")
    ]
    assert all(r.accepted for r in await set_task_run_states(db, tenant, changes))
    if log_lines:
        await write_logs(
            db, tenant, [LogIn(run_id, f"{line} {i}", task_slug="load") for i in range(log_lines)]
        )
    [done] = await set_flow_run_states(db, tenant, [FlowRunStateChange(run_id, {"type": final})])
    assert done.accepted, done
    return MadeRun(run_id, 2, log_lines)


async def age(db: Database, *run_ids: uuid.UUID, days: float, now: datetime | None = None) -> None:
    """Move the runs' times `days` into the past (as if they ran then), in one transaction."""
    when = (now or datetime.now(UTC)) - timedelta(days=days)
    async with db.transaction() as session:
        await session.execute(
            sa.update(FlowRun)
            .where(FlowRun.id.in_(run_ids))
            .values(
                state_timestamp=when,
                scheduled_start_time=when,
                start_time=when,
                end_time=when,
            )
        )


async def rows_of(db: Database, run_id: uuid.UUID) -> dict[str, int]:
    """How many rows the run has in each table (its own row included)."""
    async with db.session() as session:
        counts = {
            "flow_run": await session.scalar(
                sa.select(sa.func.count()).select_from(FlowRun).where(FlowRun.id == run_id)
            ),
            "task_run_state": await session.scalar(
                sa.select(sa.func.count())
                .select_from(TaskRunState)
                .where(TaskRunState.flow_run_id == run_id)
            ),
        }
        for model in CHILD_TABLES:
            counts[model.__tablename__] = await session.scalar(
                sa.select(sa.func.count()).select_from(model).where(model.flow_run_id == run_id)
            )
    return {name: int(count or 0) for name, count in counts.items()}


async def log_messages(db: Database, run_id: uuid.UUID) -> list[str]:
    async with db.session() as session:
        found = await session.scalars(
            sa.select(Log.message).where(Log.flow_run_id == run_id).order_by(Log.timestamp, Log.id)
        )
        return list(found)


__all__ = [
    "MadeRun",
    "add_team",
    "age",
    "finished_run",
    "log_messages",
    "register",
    "rows_of",
    "started_run",
]
