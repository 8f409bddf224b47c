"""Building blocks for the hybrid-execution tests: specs with schedules or retries, and a
run taken through claim -> Running the way an agent and its run process do it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.services.agents import claim_due_runs, register_agent
from proctor.server.services.flow_run_states import set_flow_run_states
from proctor.server.services.flow_runs import create_flow_run, get_flow_run
from proctor.server.services.flows import register_flow
from proctor.server.services.plumbing.inputs import FlowRunStateChange, TaskRunStateChange
from proctor.server.services.task_runs import list_task_runs, set_task_run_states

T0 = datetime(2030, 1, 1, tzinfo=UTC)


def scheduled_spec(
    name: str = "nightly",
    *,
    every: timedelta = timedelta(minutes=10),
    clocks: list[Any] | None = None,
    default: int = 3,
    labels: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A flow `n -> inc` with a parameter `n` and an interval schedule from `T0`."""
    from proctor import Flow, Parameter, task
    from proctor.schedules import IntervalClock, Schedule

    @task
    def inc(x: int) -> int:
        return x + 1

    schedule = Schedule(clocks or [IntervalClock(every, start_date=T0)])
    with Flow(name, schedule=schedule, labels=labels) as flow:
        inc(Parameter("n", default=default, type=int))
    return dict(flow.serialize())


def retrying_spec(name: str = "flaky", retries: int = 1) -> dict[str, Any]:
    """A flow with one task `work` that has `retries` retries 5 s apart."""
    from proctor import Flow, task

    @task(retries=retries, retry_delay=5)
    def work() -> int:
        return 1

    with Flow(name) as flow:
        work()
    return dict(flow.serialize())


async def register(db: Database, spec: dict[str, Any], project: str = "proj") -> Any:
    result = await register_flow(db, DEFAULT_TENANT_ID, project, spec, create_project=True)
    return result.flow


async def claimed_run(
    db: Database,
    flow_id: uuid.UUID,
    *,
    agent: str = "box",
    parameters: dict[str, Any] | None = None,
) -> tuple[Any, Any]:
    """A new run of `flow_id`, claimed by agent `agent` (Submitted): (run, agent)."""
    run = await create_flow_run(db, DEFAULT_TENANT_ID, flow_id=flow_id, parameters=parameters)
    registered = await register_agent(db, DEFAULT_TENANT_ID, agent)
    claimed = await claim_due_runs(db, DEFAULT_TENANT_ID, registered.id, limit=1000)
    assert run.id in {c.id for c in claimed}
    return run, registered


async def running_run(
    db: Database,
    flow_id: uuid.UUID,
    *,
    task: str | None = None,
    agent: str = "box",
    parameters: dict[str, Any] | None = None,
) -> tuple[Any, Any]:
    """A claimed run set Running by its agent, with task run `task` Running if given."""
    run, registered = await claimed_run(db, flow_id, agent=agent, parameters=parameters)
    [started] = await set_flow_run_states(
        db,
        DEFAULT_TENANT_ID,
        [FlowRunStateChange(run.id, {"type": "Running"}, agent_id=registered.id)],
    )
    assert started.accepted, started
    if task is not None:
        await set_task_run_states(
            db, DEFAULT_TENANT_ID, [TaskRunStateChange(run.id, task, {"type": "Running"})]
        )
    return run, registered


async def running_runs(
    db: Database, flow_id: uuid.UUID, count: int, *, parameters: dict[str, Any] | None = None
) -> list[Any]:
    """`count` runs set Running, each by an agent of its own (`box0`, `box1`, ...)."""
    return [
        (await running_run(db, flow_id, agent=f"box{i}", parameters=parameters))[0]
        for i in range(count)
    ]


async def flow_run(db: Database, run_id: uuid.UUID) -> Any:
    return await get_flow_run(db, DEFAULT_TENANT_ID, run_id)


async def task_runs(db: Database, run_id: uuid.UUID) -> dict[tuple[str, int], Any]:
    page = await list_task_runs(db, DEFAULT_TENANT_ID, run_id, first=1000)
    return {(t.task_slug, t.map_index): t for t in page.items}
