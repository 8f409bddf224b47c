"""Schedules edited through the API and backfills, at the service level on SQLite and
PostgreSQL: the scheduler follows the override (with an injected clock), a new version
keeps it, a reset goes back to the code; a backfill makes at most `max_concurrent`
unfinished runs, tops up as they finish, never runs a time twice, and cancels as one."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from tests.server.scenarios import T0, register, scheduled_spec

from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import FlowRun
from proctor.server.errors import InvalidInput
from proctor.server.services import backfills, schedule_edits
from proctor.server.services.agents import claim_due_runs, register_agent
from proctor.server.services.flow_run_states import set_flow_run_states
from proctor.server.services.flow_runs import cancel_flow_run
from proctor.server.services.flows import set_schedule_active
from proctor.server.services.plumbing.inputs import FlowRunStateChange
from proctor.server.services.schedule_edits import ClockFields
from proctor.server.services.schedules import schedule_runs

NOW = T0 + timedelta(minutes=1)  # the code's clock ticks every 10 minutes from T0
PAST = datetime(2025, 1, 1, tzinfo=UTC)
HOURLY = ClockFields(kind="cron", cron="0 * * * *", timezone="UTC", parameter_defaults={"n": 7})


async def _scheduled(db: Database) -> list[tuple[object, dict]]:
    async with db.session() as session:
        found = await session.execute(
            sa.select(FlowRun.scheduled_start_time, FlowRun.parameters)
            .where(FlowRun.auto_scheduled.is_(True))
            .order_by(FlowRun.scheduled_start_time)
        )
        return [(when.astimezone(T0.tzinfo), params) for when, params in found.all()]


async def test_the_scheduler_follows_the_override_and_a_reset(database: Database):
    flow = await register(database, scheduled_spec())
    await schedule_runs(database, now=NOW, horizon_seconds=7200, max_runs=50)
    code_times = [T0 + timedelta(minutes=m) for m in range(10, 130, 10)]
    assert [t for t, _ in await _scheduled(database)] == code_times

    # Replace the code's clock by an hourly cron clock with its own parameter default.
    edited = await schedule_edits.update_clock(database, DEFAULT_TENANT_ID, flow.id, 0, HOURLY)
    assert (edited.source, edited.active) == ("override", True)
    assert await _scheduled(database) == []  # the code's upcoming runs went with it
    await schedule_runs(database, now=NOW, horizon_seconds=7200, max_runs=50)
    assert await _scheduled(database) == [
        (T0 + timedelta(hours=1), {"n": 7}),
        (T0 + timedelta(hours=2), {"n": 7}),
    ]

    # A new version (another default in code) keeps the override and its runs.
    await register(database, scheduled_spec(default=5))
    kept = await schedule_edits.get_flow_schedule(database, DEFAULT_TENANT_ID, flow.id)
    assert kept.source == "override"
    assert [c["cron"] for c in kept.schedule["clocks"]] == ["0 * * * *"]
    assert kept.code_schedule["clocks"][0]["type"] == "IntervalClock"
    assert len(await _scheduled(database)) == 2

    reset = await schedule_edits.reset_schedule(database, DEFAULT_TENANT_ID, flow.id)
    assert reset.source == "code" and reset.schedule == reset.code_schedule
    await schedule_runs(database, now=NOW, horizon_seconds=7200, max_runs=50)
    assert await _scheduled(database) == [(t, {"n": 5}) for t in code_times]


async def test_refused_edits_change_nothing(database: Database):
    flow = await register(database, scheduled_spec())
    before = await schedule_edits.get_flow_schedule(database, DEFAULT_TENANT_ID, flow.id)
    refusals = {
        "bad cron": ClockFields(kind="cron", cron="61 * * * *"),
        "bad zone": ClockFields(kind="cron", cron="0 9 * * *", timezone="Mars/Olympus"),
        "never fires": ClockFields(kind="rrule", rrule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"),
        "wrong parameter type": ClockFields(
            kind="interval", interval_seconds=60, parameter_defaults={"n": "three"}
        ),
        "unknown kind": ClockFields(kind="weekly"),
        "zero interval": ClockFields(kind="interval", interval_seconds=0),
    }
    messages = {}
    for what, clock in refusals.items():
        with pytest.raises(InvalidInput) as refused:
            await schedule_edits.add_clock(database, DEFAULT_TENANT_ID, flow.id, clock)
        messages[what] = refused.value.message
    assert "61 * * * *" in messages["bad cron"]
    assert "Mars/Olympus" in messages["bad zone"]
    assert "never fire" in messages["never fires"]
    assert "'n'" in messages["wrong parameter type"]
    with pytest.raises(InvalidInput, match="no clock 3"):
        await schedule_edits.remove_clock(database, DEFAULT_TENANT_ID, flow.id, 3)
    after = await schedule_edits.get_flow_schedule(database, DEFAULT_TENANT_ID, flow.id)
    assert after == before and after.source == "code"


async def test_removing_every_clock_turns_the_schedule_off(database: Database):
    flow = await register(database, scheduled_spec())
    gone = await schedule_edits.remove_clock(database, DEFAULT_TENANT_ID, flow.id, 0)
    assert (gone.source, gone.schedule, gone.active) == ("override", None, False)
    with pytest.raises(InvalidInput, match="no schedule"):
        await set_schedule_active(database, DEFAULT_TENANT_ID, flow.id, True)
    back = await schedule_edits.add_clock(database, DEFAULT_TENANT_ID, flow.id, HOURLY)
    assert back.active and len(back.schedule["clocks"]) == 1  # a new schedule starts on


async def _backfill_flow(db: Database):
    """A flow whose code clock ticks every 10 minutes from PAST."""
    from proctor.schedules import IntervalClock

    start = PAST
    return await register(
        db, scheduled_spec(clocks=[IntervalClock(timedelta(minutes=10), start_date=start)])
    ), start


async def _states(db: Database, backfill_id) -> list[str]:
    async with db.session() as session:
        return list(
            (
                await session.scalars(
                    sa.select(FlowRun.state).where(FlowRun.backfill_id == backfill_id)
                )
            ).all()
        )


async def _finish_all(db: Database, backfill_id) -> int:
    """Cancel every unfinished run of the backfill (the way an operator would finish
    them without an agent); returns how many."""
    async with db.session() as session:
        ids = (
            await session.scalars(
                sa.select(FlowRun.id).where(
                    FlowRun.backfill_id == backfill_id, FlowRun.state == "Scheduled"
                )
            )
        ).all()
    for run_id in ids:
        await cancel_flow_run(db, DEFAULT_TENANT_ID, run_id)
    return len(ids)


async def test_a_backfill_tops_up_to_its_limit_and_completes(
    database: Database,
):
    flow, start = await _backfill_flow(database)
    end = start + timedelta(hours=2)  # 12 times: start, +10 min, ..., +110 min
    # One time of the range already has a run (made by the scheduler earlier).
    await schedule_runs(database, now=start + timedelta(minutes=25), max_runs=1)
    preview = await backfills.preview_backfill(database, DEFAULT_TENANT_ID, flow.id, start, end)
    assert (preview.times, preview.existing, preview.new) == (12, 1, 11)
    assert [t.start for t in preview.first] == [
        start + timedelta(minutes=m) for m in range(0, 50, 10)
    ]
    assert [t.exists for t in preview.first] == [False, False, False, True, False]
    assert preview.last[-1].start == start + timedelta(minutes=110)

    made = await backfills.create_backfill(
        database, DEFAULT_TENANT_ID, flow.id, start, end, max_concurrent=3
    )
    assert (made.total, made.skipped, made.created_runs, made.state) == (11, 1, 3, "Running")
    assert await _states(database, made.id) == ["Scheduled"] * 3
    report = await backfills.top_up_backfills(database)
    assert report.created == 0  # three unfinished: no room

    rounds = 0
    while (await backfills.get_backfill(database, DEFAULT_TENANT_ID, made.id)).state == "Running":
        assert len([s for s in await _states(database, made.id) if s == "Scheduled"]) <= 3
        assert await _finish_all(database, made.id) > 0
        await backfills.top_up_backfills(database)
        rounds += 1
    assert rounds == 4  # 3 + 3 + 3 + 2 runs
    done = await backfills.get_backfill(database, DEFAULT_TENANT_ID, made.id)
    assert (done.state, done.total, done.created_runs, done.counts) == (
        "Completed", 11, 11, {"Cancelled": 11}
    )  # fmt: skip
    runs = await backfills.backfill_runs(database, DEFAULT_TENANT_ID, made.id)
    assert [r.scheduled_start_time for r in runs] == [
        start + timedelta(minutes=m) for m in range(0, 120, 10) if m != 30
    ]
    assert all(r.parameters == {"n": 3} and not r.auto_scheduled for r in runs)

    with pytest.raises(InvalidInput, match="each already has a run"):
        await backfills.create_backfill(database, DEFAULT_TENANT_ID, flow.id, start, end)


async def test_backfill_refusals(database: Database):
    flow, start = await _backfill_flow(database)
    with pytest.raises(InvalidInput, match="more than 100 scheduled times"):
        await backfills.preview_backfill(
            database, DEFAULT_TENANT_ID, flow.id, start, start + timedelta(days=1), max_runs=100
        )
    with pytest.raises(InvalidInput, match="in the future"):
        await backfills.create_backfill(
            database, DEFAULT_TENANT_ID, flow.id, start, datetime.now(UTC) + timedelta(days=1)
        )
    with pytest.raises(InvalidInput, match="must be before"):
        await backfills.create_backfill(database, DEFAULT_TENANT_ID, flow.id, start, start)
    with pytest.raises(InvalidInput, match="maxConcurrent"):
        await backfills.create_backfill(
            database, DEFAULT_TENANT_ID, flow.id, start, start + timedelta(hours=1),
            max_concurrent=0,
        )  # fmt: skip
    async with database.session() as session:
        assert await session.scalar(sa.select(sa.func.count()).select_from(FlowRun)) == 0


async def test_cancelling_a_backfill_cancels_its_unfinished_runs(
    database: Database,
):
    flow, start = await _backfill_flow(database)
    made = await backfills.create_backfill(
        database, DEFAULT_TENANT_ID, flow.id, start, start + timedelta(hours=1), max_concurrent=2
    )
    agent = await register_agent(database, DEFAULT_TENANT_ID, "box")
    [claimed, *_] = await claim_due_runs(database, DEFAULT_TENANT_ID, agent.id, limit=1)
    [started] = await set_flow_run_states(
        database,
        DEFAULT_TENANT_ID,
        [FlowRunStateChange(claimed.id, {"type": "Running"}, agent_id=agent.id)],
    )
    assert started.accepted
    cancelled = await backfills.cancel_backfill(database, DEFAULT_TENANT_ID, made.id)
    assert cancelled.state == "Cancelled"
    assert sorted(await _states(database, made.id)) == ["Cancelled", "Cancelling"]
    assert (await backfills.top_up_backfills(database)).created == 0  # makes nothing more
    again = await backfills.cancel_backfill(database, DEFAULT_TENANT_ID, made.id)
    assert again.state == "Cancelled" and again.created_runs == 2


async def test_replicas_topping_up_at_once_never_pass_the_limit(
    database_url: str, database: Database
):
    from tests.server.conftest import connected

    flow, start = await _backfill_flow(database)
    made = await backfills.create_backfill(
        database, DEFAULT_TENANT_ID, flow.id, start, start + timedelta(hours=4), max_concurrent=3
    )
    for _ in range(3):
        assert await _finish_all(database, made.id) == 3
        async with connected(database_url) as a, connected(database_url) as b:
            reports = await asyncio.gather(
                *(backfills.top_up_backfills(db) for db in (a, b, database, a, b))
            )
        assert sum(report.created for report in reports) == 3  # three slots, three runs
        assert (await _states(database, made.id)).count("Scheduled") == 3


async def test_a_whole_schedule_with_filters_is_set_and_kept_by_clock_edits(database: Database):
    from proctor.schedules import CronClock, Schedule, is_weekday

    flow = await register(database, scheduled_spec())
    weekdays = Schedule([CronClock("0 9 * * *")], filters=[is_weekday]).to_dict()
    stored = await schedule_edits.set_schedule(database, DEFAULT_TENANT_ID, flow.id, weekdays)
    assert stored.source == "override" and stored.schedule == weekdays
    # 2030-01-04 is a Friday: the next three 09:00s on weekdays skip the weekend.
    found = schedule_edits.preview(stored.schedule, 3, after=datetime(2030, 1, 4, tzinfo=UTC))
    assert found.times == [datetime(2030, 1, d, 9, tzinfo=UTC) for d in (4, 7, 8)]
    # A clock added through the form keeps the filters.
    added = await schedule_edits.add_clock(database, DEFAULT_TENANT_ID, flow.id, HOURLY)
    assert added.schedule["filters"] == [{"type": "is_weekday"}]
    with pytest.raises(InvalidInput, match="unknown type 'no_such_filter'"):
        await schedule_edits.set_schedule(
            database,
            DEFAULT_TENANT_ID,
            flow.id,
            {**weekdays, "filters": [{"type": "no_such_filter"}]},
        )
    unchanged = await schedule_edits.get_flow_schedule(database, DEFAULT_TENANT_ID, flow.id)
    assert unchanged.schedule == added.schedule
