"""Schedules that can never fire: refused at registration with nothing stored, and, when
an older server stored one, searched once by the scheduler service and then remembered,
while the other flows keep being scheduled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from tests.server.scenarios import T0, register, scheduled_spec

from proctor.core.schedules import Schedule
from proctor.schedules import IntervalClock, RRuleClock, is_weekday
from proctor.server.background import Scheduler
from proctor.server.database import Database
from proctor.server.database.models import Flow, FlowGroup, FlowRun
from proctor.server.errors import InvalidInput

NOW = T0 + timedelta(minutes=1)
NEVER = "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"


def _never_document() -> dict[str, Any]:
    return Schedule([RRuleClock(NEVER)]).to_dict()


async def _store_schedule(db: Database, group_id: Any, document: dict[str, Any]) -> None:
    """What a server from before the check could have stored."""
    async with db.transaction() as session:
        await session.execute(
            sa.update(FlowGroup).where(FlowGroup.id == group_id).values(schedule=document)
        )


async def _run_groups(db: Database) -> list[Any]:
    async with db.session() as session:
        return list(await session.scalars(sa.select(FlowRun.flow_group_id)))


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[Schedule]:
    """Each schedule the code under test searched (a spy around the real method)."""
    seen: list[Schedule] = []
    real = Schedule.search

    def search(self: Schedule, *args: Any, **kwargs: Any) -> Any:
        seen.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Schedule, "search", search)
    return seen


async def test_registration_refuses_a_clock_that_never_fires(database: Database):
    good = IntervalClock(timedelta(minutes=10), start_date=T0)
    spec = scheduled_spec(clocks=[good, RRuleClock(NEVER)])
    with pytest.raises(InvalidInput, match=r"clocks\[1\].*may never fire") as refused:
        await register(database, spec)
    assert refused.value.details == {"field": "schedule"}
    async with database.session() as session:
        assert await session.scalar(sa.select(sa.func.count()).select_from(Flow)) == 0
        assert await session.scalar(sa.select(sa.func.count()).select_from(FlowGroup)) == 0


async def test_registration_refuses_a_malformed_schedule(database: Database):
    spec = scheduled_spec()
    spec["schedule"] = {"clocks": [{"type": "NoSuchClock"}]}
    with pytest.raises(InvalidInput, match=r"schedule: .*NoSuchClock"):
        await register(database, spec)
    async with database.session() as session:
        assert await session.scalar(sa.select(sa.func.count()).select_from(Flow)) == 0


async def test_the_scheduler_searches_a_dead_clock_once_and_schedules_the_others(
    database: Database, searches: list[Schedule]
):
    good = await register(database, scheduled_spec("good"))
    dead = await register(database, scheduled_spec("dead"))
    await _store_schedule(database, dead.flow_group_id, _never_document())
    scheduler = Scheduler(database, loop_seconds=60, max_runs=10, horizon_seconds=3600)
    searches.clear()  # registration searched too
    first = await scheduler.run_once(now=NOW)
    assert first.created == 6 and list(first.errors) == [dead.flow_group_id]
    assert "clocks[0]" in first.errors[dead.flow_group_id]
    assert len(searches) == 2  # one search per schedule

    searches.clear()
    later = await scheduler.run_once(now=NOW + timedelta(minutes=30))
    assert later.created == 3  # 01:10, 01:20, 01:30 for the good flow
    assert list(later.errors) == [dead.flow_group_id]  # still reported ...
    assert len(searches) == 1 and searches[0].clocks[0].to_dict()["type"] == "IntervalClock"
    assert set(await _run_groups(database)) == {good.flow_group_id}

    # A new schedule for the group is searched again (and this one works).
    await _store_schedule(database, dead.flow_group_id, scheduled_spec()["schedule"])
    searches.clear()
    fixed = await scheduler.run_once(now=NOW + timedelta(minutes=30))
    assert fixed.errors == {} and fixed.created == 6 and len(searches) == 2


async def test_a_clock_that_stalls_beside_a_good_one_is_left_out(database: Database, searches):
    flow = await register(database, scheduled_spec("mixed"))
    document = Schedule(
        [IntervalClock(timedelta(minutes=20), start_date=T0), RRuleClock(NEVER)]
    ).to_dict()
    await _store_schedule(database, flow.flow_group_id, document)
    scheduler = Scheduler(database, loop_seconds=60, max_runs=10, horizon_seconds=3600)
    first = await scheduler.run_once(now=NOW)
    assert first.created == 3 and "clocks[1]" in first.errors[flow.flow_group_id]
    searches.clear()
    second = await scheduler.run_once(now=NOW + timedelta(minutes=40))
    assert second.created == 2 and len(searches) == 1


async def test_filters_that_reject_every_time_are_not_searched_on_every_pass(
    database: Database, searches: list[Schedule]
):
    flow = await register(database, scheduled_spec("filtered"))
    minutely = IntervalClock(timedelta(minutes=1), start_date=T0)
    document = Schedule([minutely], filters=[is_weekday], not_filters=[is_weekday]).to_dict()
    await _store_schedule(database, flow.flow_group_id, document)
    scheduler = Scheduler(database, loop_seconds=60, max_runs=1, horizon_seconds=3600)
    searches.clear()
    assert (await scheduler.run_once(now=NOW)).created == 0
    assert len(searches) == 1
    # 10,000 candidates (one event asked for) were rejected: the next search is due
    # only once the last of them comes within the scheduler's hour.
    for minutes in (10, 1000, 10_000 - 62):
        await scheduler.run_once(now=NOW + timedelta(minutes=minutes))
    assert len(searches) == 1
    await scheduler.run_once(now=NOW + timedelta(minutes=10_000 - 59))
    assert len(searches) == 2
