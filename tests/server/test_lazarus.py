"""Lazarus: in-flight runs whose process went silent are re-queued (up to a limit, then
failed), cancelling ones are cancelled; runs with live task runs are left alone."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from tests.server.conftest import connected
from tests.server.scenarios import claimed_run, flow_run, register, retrying_spec, running_run

from proctor.server.background import Lazarus
from proctor.server.database import Database
from proctor.server.database.models import Agent, FlowRun, FlowRunState
from proctor.server.services.agents import claim_due_runs, register_agent
from proctor.server.services.flow_runs import cancel_flow_run, heartbeat_flow_runs
from proctor.server.services.lazarus import SUBMITTED_PATIENCE, revive_lost_runs
from proctor.server.services.restarts import restart_flow_run
from proctor.server.services.zombies import kill_zombies

AFTER = 30.0


def later(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


async def _revive(db: Database, seconds_later: float, max_requeues: int = 3):
    return await revive_lost_runs(
        db, after=AFTER, max_requeues=max_requeues, now=later(seconds_later)
    )


async def test_a_silent_submitted_run_is_requeued(database: Database, tenant_id):
    flow = await register(database, retrying_spec())
    run, _ = await claimed_run(database, flow.id)
    assert (await _revive(database, 10)).total == 0  # heard of 10 s ago: alive
    report = await _revive(database, AFTER + 1)
    assert (report.requeued, report.failed) == (1, 0)
    requeued = await flow_run(database, run.id)
    assert (requeued.state, requeued.agent_id) == ("Scheduled", None)
    assert requeued.state_message.startswith("Re-queued by Lazarus (1 of 3)")
    other = await register_agent(database, tenant_id, "other")
    [again] = await claim_due_runs(database, tenant_id, other.id)
    assert again.id == run.id  # any agent picks it up


async def test_a_submitted_run_waits_while_its_agent_is_alive(database: Database):
    """The agent is launching the run (slowly, on a loaded machine): not lost, unless it
    stays Submitted for SUBMITTED_PATIENCE times the threshold."""
    flow = await register(database, retrying_spec())
    run, agent = await claimed_run(database, flow.id)

    async def agent_beats_at(seconds_later: float) -> None:
        async with database.transaction() as session:
            await session.execute(
                sa.update(Agent)
                .where(Agent.id == agent.id)
                .values(last_heartbeat=later(seconds_later))
            )

    await agent_beats_at(AFTER + 1)
    assert (await _revive(database, AFTER + 1)).total == 0
    patience = AFTER * SUBMITTED_PATIENCE
    await agent_beats_at(patience + 1)
    assert (await _revive(database, patience + 1)).requeued == 1
    assert (await flow_run(database, run.id)).state == "Scheduled"


async def test_heartbeats_and_reports_keep_a_run_alive(database: Database, tenant_id):
    flow = await register(database, retrying_spec())
    run, _ = await running_run(database, flow.id)
    await asyncio.sleep(0.2)
    await heartbeat_flow_runs(database, tenant_id, [run.id])
    beat = (await flow_run(database, run.id)).heartbeat
    assert (
        await revive_lost_runs(
            database, after=AFTER, max_requeues=3, now=beat + timedelta(seconds=AFTER - 1)
        )
    ).total == 0


async def test_a_run_with_a_running_task_is_left_to_the_zombie_killer(database: Database):
    flow = await register(database, retrying_spec())
    run, _ = await running_run(database, flow.id, task="work")
    assert (await _revive(database, AFTER + 60)).total == 0
    await kill_zombies(database, after=AFTER, now=later(AFTER + 60))
    assert (await _revive(database, AFTER + 60)).requeued == 1
    assert (await flow_run(database, run.id)).state == "Scheduled"


async def test_lazarus_gives_up_after_the_limit(database: Database, tenant_id):
    flow = await register(database, retrying_spec())
    run, agent = await running_run(database, flow.id)
    for attempt in range(2):
        assert (await _revive(database, AFTER + 1, max_requeues=2)).requeued == 1, attempt
        await claim_due_runs(database, tenant_id, agent.id)
    report = await _revive(database, AFTER + 1, max_requeues=2)
    assert (report.requeued, report.failed) == (0, 1)
    failed = await flow_run(database, run.id)
    assert failed.state == "Failed" and "giving up" in failed.state_message
    assert "after 2 re-queue(s)" in failed.state_message
    restarted = await restart_flow_run(database, tenant_id, run.id)
    async with database.session() as session:  # a restart starts the count again
        count = await session.scalar(
            sa.select(FlowRun.lazarus_count).where(FlowRun.id == restarted.id)
        )
    assert count == 0


async def test_a_silent_cancelling_run_is_cancelled(database: Database, tenant_id):
    flow = await register(database, retrying_spec())
    run, _ = await running_run(database, flow.id)
    assert (await cancel_flow_run(database, tenant_id, run.id)).state == "Cancelling"
    report = await _revive(database, AFTER + 1)
    assert (report.cancelled, report.requeued) == (1, 0)
    cancelled = await flow_run(database, run.id)
    assert cancelled.state == "Cancelled" and "Lazarus" in cancelled.state_message


async def test_replicas_requeue_each_run_once(database_url: str, database: Database):
    flow = await register(database, retrying_spec())
    runs = [(await claimed_run(database, flow.id, agent=f"a{i}"))[0] for i in range(12)]

    async def replica():
        async with connected(database_url) as db:
            return await _revive(db, AFTER + 1)

    reports = await asyncio.gather(replica(), replica(), replica())
    assert sum(r.requeued for r in reports) == len(runs)
    async with database.session() as session:
        history = await session.scalar(
            sa.select(sa.func.count()).where(FlowRunState.message.like("Re-queued by Lazarus%"))
        )
    assert history == len(runs)


async def test_the_service_loop_requeues_with_its_settings(database: Database):
    flow = await register(database, retrying_spec())
    run, _ = await claimed_run(database, flow.id)
    service = Lazarus(database, loop_seconds=0.05, after_seconds=0.2, max_requeues=3)
    await service.start()
    try:
        for _ in range(1200):
            if (await flow_run(database, run.id)).state == "Scheduled":
                break
            await asyncio.sleep(0.05)
    finally:
        await service.stop()
    assert (await flow_run(database, run.id)).state == "Scheduled"
