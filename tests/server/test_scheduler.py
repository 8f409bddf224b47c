"""The scheduler: upcoming runs of active schedules within the horizon, idempotently (also
across replicas), per-clock parameters and labels, schedules turned off, new versions."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import sqlalchemy as sa
from tests.server.conftest import connected
from tests.server.scenarios import T0, register, scheduled_spec

from proctor.server.background import Scheduler
from proctor.server.database import Database
from proctor.server.database.models import FlowGroup, FlowRun
from proctor.server.services import schedules
from proctor.server.services.agents import claim_due_runs, register_agent
from proctor.server.services.flow_runs import create_flow_run, list_flow_runs
from proctor.server.services.flows import set_schedule_active
from proctor.server.services.plumbing import records
from proctor.server.services.schedules import schedule_runs

NOW = T0 + timedelta(minutes=1)  # the clocks tick every 10 minutes from T0


async def _runs(db: Database, tenant_id, **filters) -> list[records.FlowRun]:
    page = await list_flow_runs(
        db, tenant_id, order_by="scheduled_start_time", first=1000, **filters
    )
    return page.items


async def _pass(db: Database, now=NOW, **options) -> schedules.SchedulerReport:
    return await schedule_runs(db, now=now, **options)


async def test_runs_are_made_up_to_the_horizon_and_the_run_limit(database: Database, tenant_id):
    flow = await register(database, scheduled_spec())
    report = await _pass(database, max_runs=10, horizon_seconds=3600)
    assert (report.created, report.schedules, report.errors) == (6, 1, {})
    runs = await _runs(database, tenant_id)
    assert [r.scheduled_start_time for r in runs] == [
        T0 + timedelta(minutes=m) for m in (10, 20, 30, 40, 50, 60)
    ]
    assert all(
        r.auto_scheduled
        and r.state == "Scheduled"
        and r.flow_id == flow.id
        and r.parameters == {"n": 3}
        for r in runs
    )
    later = await _pass(database, now=NOW + timedelta(minutes=30), max_runs=4)
    assert later.created == 1  # 00:40, 00:50, 01:00 exist; 01:10 is new
    times = [r.scheduled_start_time for r in await _runs(database, tenant_id)]
    assert times[-1] == T0 + timedelta(minutes=70) and len(times) == 7


async def test_the_same_time_never_gives_two_runs(database_url: str, database: Database, tenant_id):
    await register(database, scheduled_spec())

    async def replica() -> int:
        async with connected(database_url) as db:
            return sum([(await _pass(db)).created for _ in range(3)])

    created = await asyncio.gather(replica(), replica(), replica())
    assert sum(created) == 6
    runs = await _runs(database, tenant_id)
    assert len({r.scheduled_start_time for r in runs}) == len(runs) == 6
    # Even without the group lock, the schedule key refuses a second run for a time.
    [target] = await schedules.active_schedules(database)
    planned = schedules.plan_runs(target, NOW, max_runs=2, horizon=timedelta(hours=1))
    async with database.transaction() as session:
        assert await schedules.insert_runs(session, database, target, planned, NOW) == 0


async def test_each_clock_brings_its_parameters_and_labels(database: Database, tenant_id):
    from proctor.schedules import IntervalClock

    clocks = [
        IntervalClock(timedelta(minutes=30), start_date=T0, parameter_defaults={"n": 7}),
        IntervalClock(timedelta(minutes=30), start_date=T0 + timedelta(minutes=15), labels=["gpu"]),
    ]
    await register(database, scheduled_spec(clocks=clocks, labels=("cpu",)))
    await _pass(database)
    runs = await _runs(database, tenant_id)
    assert [(r.scheduled_start_time - T0, r.parameters, r.labels) for r in runs] == [
        (timedelta(minutes=15), {"n": 3}, ["gpu"]),
        (timedelta(minutes=30), {"n": 7}, ["cpu"]),
        (timedelta(minutes=45), {"n": 3}, ["gpu"]),
        (timedelta(minutes=60), {"n": 7}, ["cpu"]),
    ]


async def test_turning_a_schedule_off_removes_its_unstarted_runs(database: Database, tenant_id):
    flow = await register(database, scheduled_spec())
    await _pass(database)
    manual = await create_flow_run(database, tenant_id, flow_id=flow.id)
    agent = await register_agent(database, tenant_id, "box")
    taken = await claim_due_runs(  # the manual run and the 00:10 one
        database, tenant_id, agent.id, limit=2, now=T0 + timedelta(minutes=10)
    )
    events = database.events.subscribe("*")
    await set_schedule_active(database, tenant_id, flow.id, False)
    remaining = {r.id for r in await _runs(database, tenant_id)}
    assert remaining == {r.id for r in taken} and manual.id in remaining
    deleted = [e for e in iter(events.get_nowait, None) if e.kind == "flow_run.deleted"]
    assert len(deleted) == 5
    assert (await _pass(database)).created == 0
    await set_schedule_active(database, tenant_id, flow.id, True)
    assert (await _pass(database)).created == 5  # 00:10 exists (claimed)


async def test_a_new_version_adopts_the_upcoming_runs(database: Database, tenant_id):
    first = await register(database, scheduled_spec(default=3))
    await _pass(database)
    before = {r.id for r in await _runs(database, tenant_id)}
    second = await register(database, scheduled_spec(default=5))  # same schedule
    assert second.version == 2
    runs = await _runs(database, tenant_id)
    assert {r.id for r in runs} == before  # the same runs, moved
    assert {(r.flow_id, r.parameters["n"]) for r in runs} == {(second.id, 5)}
    assert (await _pass(database)).created == 0
    assert first.id not in {r.flow_id for r in runs}


async def test_a_new_schedule_replaces_the_upcoming_runs(database: Database, tenant_id):
    await register(database, scheduled_spec(every=timedelta(minutes=10)))
    await _pass(database)
    third = await register(database, scheduled_spec(every=timedelta(minutes=20)))
    assert await _runs(database, tenant_id) == []  # removed, not moved
    report = await _pass(database)
    runs = await _runs(database, tenant_id)
    assert report.created == 3 and {r.flow_id for r in runs} == {third.id}
    assert [r.scheduled_start_time - T0 for r in runs] == [
        timedelta(minutes=m) for m in (20, 40, 60)
    ]


async def test_a_broken_schedule_is_reported_and_the_others_go_on(database: Database, tenant_id):
    await register(database, scheduled_spec("good"))
    bad = await register(database, scheduled_spec("bad"))
    async with database.transaction() as session:
        await session.execute(
            sa.update(FlowGroup)
            .where(FlowGroup.id == bad.flow_group_id)
            .values(schedule={"clocks": [{"type": "NoSuchClock"}]})
        )
    report = await _pass(database)
    assert report.created == 6 and list(report.errors) == [bad.flow_group_id]
    async with database.session() as session:
        groups = await session.scalars(sa.select(FlowRun.flow_group_id).distinct())
        assert bad.flow_group_id not in set(groups)


async def test_the_service_runs_at_once_after_a_registration(database: Database, tenant_id):
    scheduler = Scheduler(database, loop_seconds=60, max_runs=2, horizon_seconds=10**9)
    await scheduler.start()
    try:
        await asyncio.sleep(0.1)  # the first pass is due in a second
        await register(database, scheduled_spec())
        for _ in range(1200):
            if len(await _runs(database, tenant_id)) == 2:
                break
            await asyncio.sleep(0.05)
        assert len(await _runs(database, tenant_id)) == 2 and scheduler.passes >= 1
    finally:
        await scheduler.stop()
    assert not scheduler.running
