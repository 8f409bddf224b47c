"""Bounded schedule searches: a clock that can never fire gives up after the horizon
(counted in calendar years dateutil walks, never in seconds), is named, and does not
stop the other clocks; sparse but real rules are still found."""

from __future__ import annotations

import calendar
import types
from datetime import UTC, datetime, timedelta

import dateutil.rrule
import pytest

from proctor import Flow, task
from proctor.schedules import (
    CronClock,
    DatesClock,
    IntervalClock,
    RRuleClock,
    Schedule,
    SearchLimitReached,
    is_weekday,
)

AFTER = datetime(2025, 1, 1, tzinfo=UTC)
FEB_30 = "RRULE:FREQ={freq};BYMONTH=2;BYMONTHDAY=30"


@pytest.fixture
def years_walked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every year dateutil starts while iterating a rule: it asks `calendar.isleap` for
    each one. The spy wraps the real function, inside dateutil only."""
    seen: list[int] = []

    class Spy(types.SimpleNamespace):
        def __getattr__(self, name: str) -> object:
            return getattr(calendar, name)

        @staticmethod
        def isleap(year: int) -> bool:
            seen.append(year)
            return calendar.isleap(year)

    monkeypatch.setattr(dateutil.rrule, "calendar", Spy())
    return seen


@pytest.mark.parametrize("freq", ["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY"])
def test_a_rule_for_30_february_gives_up_after_the_horizon(freq, years_walked):
    clock = RRuleClock(FEB_30.format(freq=freq))
    with pytest.raises(SearchLimitReached, match="no start time within 10 years"):
        next(clock.times(AFTER, horizon_years=10))
    # dateutil walked up to the horizon (it really searched), and not a year past it.
    assert max(years_walked) >= AFTER.year + 9
    assert max(years_walked) <= AFTER.year + 11


def test_without_a_bound_dateutil_would_walk_to_the_end_of_the_calendar(years_walked):
    # What the bound prevents: the plain rule, iterated by dateutil alone.
    rule = dateutil.rrule.rrulestr(FEB_30.format(freq="YEARLY"), dtstart=datetime(2025, 1, 1))
    assert list(rule) == []
    assert max(years_walked) >= 9999


def test_the_default_horizon_finds_sparse_real_rules():
    # 29 February on a Monday: 2044, then 2072, then 2112 (2100 is not a leap year).
    clock = RRuleClock("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO")
    assert [t.year for t in Schedule([clock]).next(3, after=AFTER)] == [2044, 2072, 2112]
    with pytest.raises(SearchLimitReached):
        next(clock.times(AFTER, horizon_years=15))
    cron = CronClock("0 0 29 2 MON", day_or=False)
    assert [t.year for t in Schedule([cron]).next(2, after=AFTER)] == [2044, 2072]
    with pytest.raises(SearchLimitReached):
        next(cron.times(AFTER, horizon_years=15))


def test_the_horizon_counts_years_without_a_time_not_years_in_all():
    yearly = RRuleClock("RRULE:FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1")
    times = Schedule([yearly]).next(120, after=AFTER)
    assert [t.year for t in times] == list(range(2025, 2145))
    cron = Schedule([CronClock("0 0 1 6 *")]).next(120, after=AFTER)
    assert [t.year for t in cron] == list(range(2025, 2145))


def test_a_stalled_clock_is_reported_and_the_other_clocks_go_on():
    daily = IntervalClock(timedelta(days=1), start_date=AFTER)
    schedule = Schedule([daily, RRuleClock(FEB_30.format(freq="DAILY"))])
    found = schedule.search(3, after=AFTER)
    assert [e.start_time - AFTER for e in found.events] == [timedelta(days=d) for d in (1, 2, 3)]
    assert found.stalled_clocks == {1} and not found.cut_short
    # Left out on request: nothing is searched for it.
    assert schedule.search(3, after=AFTER, skip_clocks=frozenset({1})).stalled_clocks == set()
    with pytest.raises(SearchLimitReached) as refused:
        schedule.check_can_fire(after=AFTER)
    assert "clocks[1]" in str(refused.value) and "30 February" in str(refused.value)
    assert refused.value.clock == schedule.clocks[1]


def test_an_ended_clock_is_not_a_stalled_one():
    past = Schedule([DatesClock([datetime(2020, 5, 1, tzinfo=UTC)])])
    found = past.search(1, after=AFTER)
    assert found.events == [] and found.stalled_clocks == set()
    past.check_can_fire(after=AFTER)  # no error: it simply has no more runs
    until = RRuleClock("RRULE:FREQ=DAILY;UNTIL=20210101T000000")
    Schedule([until]).check_can_fire(after=AFTER)


def test_parts_of_a_rule_set_that_never_match_do_not_hide_the_others():
    exrule = RRuleClock("RRULE:FREQ=DAILY\nEXRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")
    assert len(Schedule([exrule]).next(3, after=AFTER)) == 3
    with_date = RRuleClock(f"{FEB_30.format(freq='YEARLY')}\nRDATE:20300101T000000")
    found = Schedule([with_date]).search(3, after=AFTER)
    assert [e.start_time.year for e in found.events] == [2030]
    assert found.stalled_clocks == set()  # it had a time: not remembered as dead


def test_stepping_over_too_many_earlier_times_gives_up():
    # A COUNT rule cannot be moved forward: every second since DTSTART must be walked.
    rule = RRuleClock("DTSTART:20241201T000000\nRRULE:FREQ=SECONDLY;COUNT=100000000")
    with pytest.raises(SearchLimitReached, match="step over more than"):
        next(rule.times(AFTER))
    recent = RRuleClock("DTSTART:20241231T230000\nRRULE:FREQ=SECONDLY;COUNT=100000000")
    assert next(recent.times(AFTER)) == AFTER + timedelta(seconds=1)


def test_filters_that_reject_everything_stop_at_the_candidate_budget():
    every_minute = IntervalClock(timedelta(minutes=1), start_date=AFTER)
    never = Schedule([every_minute], filters=[is_weekday], not_filters=[is_weekday])
    found = never.search(1, after=AFTER)
    assert found.events == [] and found.cut_short
    # The budget is 10,000 candidates per event: the last one examined is 10,000 minutes on.
    assert found.searched_until == AFTER + timedelta(minutes=10_000)
    never.check_can_fire(after=AFTER)  # clocks are fine; the filters are the caller's call


def test_flow_register_refuses_a_clock_that_never_fires_before_calling_the_server():
    @task
    def work() -> int:
        return 1

    schedule = Schedule([RRuleClock(FEB_30.format(freq="DAILY"))])
    with Flow("never", schedule=schedule) as flow:
        work()
    # Port 9 on loopback has no server: reaching it would fail with a connection error.
    with pytest.raises(SearchLimitReached, match=r"clocks\[0\]"):
        flow.register("proj", api_url="http://127.0.0.1:9")
