"""The zombie killer: Running task runs of a silent flow run are retried while the task
has retries left, then failed; in a run being cancelled they are cancelled."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from tests.server.scenarios import flow_run, register, retrying_spec, running_run, task_runs

from proctor.server.background import ZombieKiller
from proctor.server.database import Database
from proctor.server.services.flow_run_states import set_flow_run_states
from proctor.server.services.flow_runs import cancel_flow_run, list_task_run_states
from proctor.server.services.plumbing.inputs import FlowRunStateChange, TaskRunStateChange
from proctor.server.services.task_runs import set_task_run_states
from proctor.server.services.zombies import kill_zombies

AFTER = 60.0


async def _kill(db: Database, seconds_later: float = AFTER + 1):
    return await kill_zombies(
        db, after=AFTER, now=datetime.now(UTC) + timedelta(seconds=seconds_later)
    )


async def test_a_zombie_with_retries_left_is_retried(database: Database):
    flow = await register(database, retrying_spec(retries=1))
    run, _ = await running_run(database, flow.id, task="work")
    silent_since = (await flow_run(database, run.id)).heartbeat
    assert (await _kill(database, AFTER - 5)).total == 0  # not silent long enough
    report = await _kill(database)
    assert (report.retrying, report.failed) == (1, 0)
    work = (await task_runs(database, run.id))[("work", -1)]
    assert work.state == "Retrying" and work.run_count == 1
    assert "attempt 2 of 2" in work.state_message and "stopped heartbeating" in work.state_message
    [history] = [
        s
        for s in await list_task_run_states(database, work.tenant_id, work.id)
        if s.state == "Retrying"
    ]
    assert history.start_time - history.timestamp == timedelta(seconds=5)  # retry_delay
    # The killer's own change is no sign of life: Lazarus still sees a silent run.
    assert (await flow_run(database, run.id)).heartbeat == silent_since


async def test_a_zombie_without_retries_left_fails(database: Database, tenant_id):
    flow = await register(database, retrying_spec(retries=1))
    run, _ = await running_run(database, flow.id)
    await set_task_run_states(
        database,
        tenant_id,
        [
            TaskRunStateChange(run.id, "work", {"type": "Running"}),
            TaskRunStateChange(run.id, "work", {"type": "Retrying"}),
            TaskRunStateChange(run.id, "work", {"type": "Running"}),
        ],
    )
    report = await _kill(database)
    assert (report.retrying, report.failed) == (0, 1)
    work = (await task_runs(database, run.id))[("work", -1)]
    assert (work.state, work.run_count) == ("Failed", 2)
    assert "no retries left (2 attempt(s))" in work.state_message


async def test_zombies_of_a_cancelling_run_are_cancelled(database: Database, tenant_id):
    flow = await register(database, retrying_spec(retries=3))
    run, _ = await running_run(database, flow.id, task="work")
    await cancel_flow_run(database, tenant_id, run.id)
    assert (await _kill(database)).cancelled == 1
    assert (await task_runs(database, run.id))[("work", -1)].state == "Cancelled"


async def test_task_runs_of_finished_or_live_runs_are_left_alone(database: Database, tenant_id):
    flow = await register(database, retrying_spec())
    alive, _ = await running_run(database, flow.id, task="work", agent="a")
    assert (await _kill(database, 10)).total == 0
    assert (await task_runs(database, alive.id))[("work", -1)].state == "Running"
    done, _ = await running_run(database, flow.id, task="work", agent="b")
    await set_flow_run_states(
        database, tenant_id, [FlowRunStateChange(done.id, {"type": "Failed"})]
    )
    assert (await _kill(database)).total == 1  # only the live run's zombie
    assert (await task_runs(database, done.id))[("work", -1)].state == "Running"


async def test_the_service_loop_kills_zombies(database: Database):
    flow = await register(database, retrying_spec(retries=0))
    run, _ = await running_run(database, flow.id, task="work")
    service = ZombieKiller(database, loop_seconds=0.05, after_seconds=0.1)
    await service.start()
    try:
        for _ in range(1200):
            if (await task_runs(database, run.id))[("work", -1)].state == "Failed":
                break
            await asyncio.sleep(0.05)
    finally:
        await service.stop()
    assert (await task_runs(database, run.id))[("work", -1)].state == "Failed"
