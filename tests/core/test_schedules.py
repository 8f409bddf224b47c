"""Schedules: clocks, DST handling, filters, adjustments and merging (real computation)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import DAILY, WEEKLY, rrule, rrulestr

from proctor.schedules import (
    CronClock,
    CronSchedule,
    DatesClock,
    IntervalClock,
    IntervalSchedule,
    RRuleClock,
    Schedule,
    ScheduledEvent,
    add,
    at_time,
    between_dates,
    between_datetimes,
    between_times,
    is_month_end,
    is_month_start,
    is_weekday,
    is_weekend,
    next_weekday,
    on_date,
    on_datetime,
)

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


def iso(times: list[datetime]) -> list[str]:
    """ISO strings with offsets: unlike ==, they tell the two 01:30s of a fall-back night apart."""
    return [t.isoformat() for t in times]


def take(clock: object, n: int, after: datetime) -> list[str]:
    assert isinstance(clock, IntervalClock | CronClock | RRuleClock | DatesClock)
    return iso(Schedule([clock]).next(n, after=after))


# -- IntervalClock -------------------------------------------------------------------------


def test_interval_clock_hourly_from_start_date() -> None:
    clock = IntervalClock(timedelta(hours=1), start_date=datetime(2024, 1, 1, tzinfo=UTC))
    assert take(clock, 3, datetime(2024, 1, 1, 10, 30, tzinfo=UTC)) == [
        "2024-01-01T11:00:00+00:00",
        "2024-01-01T12:00:00+00:00",
        "2024-01-01T13:00:00+00:00",
    ]


def test_interval_clock_is_strictly_after_and_accepts_seconds() -> None:
    clock = IntervalClock(90)  # anchored at 2020-01-01 00:00 UTC
    assert clock.interval == timedelta(seconds=90)
    assert take(clock, 2, datetime(2020, 1, 1, 0, 1, 30, tzinfo=UTC)) == [
        "2020-01-01T00:03:00+00:00",
        "2020-01-01T00:04:30+00:00",
    ]
    half = IntervalClock(0.5, start_date=datetime(2024, 1, 1, tzinfo=UTC))
    assert take(half, 2, datetime(2024, 1, 1, tzinfo=UTC)) == [
        "2024-01-01T00:00:00.500000+00:00",
        "2024-01-01T00:00:01+00:00",
    ]


def test_interval_clock_start_date_is_inclusive_and_end_date_stops() -> None:
    clock = IntervalClock(
        timedelta(days=1),
        start_date=datetime(2024, 5, 1, 8, tzinfo=UTC),
        end_date=datetime(2024, 5, 3, 8, tzinfo=UTC),
    )
    assert take(clock, 10, datetime(2020, 1, 1, tzinfo=UTC)) == [
        "2024-05-01T08:00:00+00:00",
        "2024-05-02T08:00:00+00:00",
        "2024-05-03T08:00:00+00:00",
    ]


def test_interval_clock_default_anchor_is_midnight_2020_in_its_zone() -> None:
    clock = IntervalClock(timedelta(days=1), timezone="Europe/Berlin")
    assert clock.timezone == BERLIN
    assert take(clock, 2, datetime(2024, 7, 1, 12, tzinfo=UTC)) == [
        "2024-07-02T00:00:00+02:00",
        "2024-07-03T00:00:00+02:00",
    ]


def test_interval_clock_takes_zone_from_aware_start_date() -> None:
    clock = IntervalClock(timedelta(hours=12), start_date=datetime(2024, 1, 1, 6, tzinfo=NY))
    assert clock.timezone == NY
    naive_start = IntervalClock(3600, start_date=datetime(2024, 1, 1, 6), timezone="Europe/Berlin")
    assert naive_start.start_date is not None
    assert naive_start.start_date.isoformat() == "2024-01-01T06:00:00+01:00"


def test_daily_interval_keeps_wall_clock_time_across_dst_new_york() -> None:
    clock = IntervalClock(timedelta(days=1), start_date=datetime(2024, 3, 1, 9, tzinfo=NY))
    assert take(clock, 3, datetime(2024, 3, 8, 10, tzinfo=NY)) == [
        "2024-03-09T09:00:00-05:00",
        "2024-03-10T09:00:00-04:00",
        "2024-03-11T09:00:00-04:00",
    ]
    assert take(clock, 3, datetime(2024, 11, 1, 10, tzinfo=NY)) == [
        "2024-11-02T09:00:00-04:00",
        "2024-11-03T09:00:00-05:00",
        "2024-11-04T09:00:00-05:00",
    ]


def test_daily_interval_keeps_wall_clock_time_across_dst_berlin() -> None:
    clock = IntervalClock(timedelta(days=1), start_date=datetime(2024, 1, 1, 9), timezone=BERLIN)
    assert take(clock, 2, datetime(2024, 3, 30, 12, tzinfo=BERLIN)) == [
        "2024-03-31T09:00:00+02:00",
        "2024-04-01T09:00:00+02:00",
    ]
    assert take(clock, 2, datetime(2024, 10, 26, 12, tzinfo=BERLIN)) == [
        "2024-10-27T09:00:00+01:00",
        "2024-10-28T09:00:00+01:00",
    ]
    weekly = IntervalClock(timedelta(weeks=1), start_date=datetime(2024, 3, 25, 9), timezone=BERLIN)
    assert take(weekly, 2, datetime(2024, 3, 24, tzinfo=BERLIN)) == [
        "2024-03-25T09:00:00+01:00",
        "2024-04-01T09:00:00+02:00",
    ]


def test_daily_interval_at_a_skipped_wall_time_moves_by_the_gap() -> None:
    clock = IntervalClock(timedelta(days=1), start_date=datetime(2024, 3, 1, 2, 30), timezone=NY)
    assert take(clock, 3, datetime(2024, 3, 9, 12, tzinfo=NY)) == [
        "2024-03-10T03:30:00-04:00",
        "2024-03-11T02:30:00-04:00",
        "2024-03-12T02:30:00-04:00",
    ]


def test_sub_day_interval_is_absolute_across_dst() -> None:
    ny = IntervalClock(timedelta(hours=1), start_date=datetime(2024, 3, 10), timezone=NY)
    assert take(ny, 3, datetime(2024, 3, 10, 0, 30, tzinfo=NY)) == [
        "2024-03-10T01:00:00-05:00",
        "2024-03-10T03:00:00-04:00",
        "2024-03-10T04:00:00-04:00",
    ]
    berlin = IntervalClock(timedelta(hours=1), timezone=BERLIN)
    assert take(berlin, 4, datetime(2024, 10, 27, 1, 30, tzinfo=BERLIN)) == [
        "2024-10-27T02:00:00+02:00",
        "2024-10-27T02:00:00+01:00",
        "2024-10-27T03:00:00+01:00",
        "2024-10-27T04:00:00+01:00",
    ]


# -- CronClock -----------------------------------------------------------------------------


def test_cron_clock_weekdays_at_nine() -> None:
    clock = CronClock("0 9 * * MON-FRI")
    times = Schedule([clock]).next(3, after=datetime(2024, 1, 5, 12, tzinfo=UTC))  # a Friday
    assert times == [
        datetime(2024, 1, 8, 9, tzinfo=UTC),
        datetime(2024, 1, 9, 9, tzinfo=UTC),
        datetime(2024, 1, 10, 9, tzinfo=UTC),
    ]
    assert all(t.tzinfo == ZoneInfo("UTC") for t in times)


def test_cron_clock_is_strictly_after() -> None:
    clock = CronClock("*/15 * * * *")
    assert take(clock, 2, datetime(2024, 1, 1, 10, 15, tzinfo=UTC)) == [
        "2024-01-01T10:30:00+00:00",
        "2024-01-01T10:45:00+00:00",
    ]
    assert take(clock, 1, datetime(2024, 1, 1, 10, 15, 0, 1, tzinfo=UTC)) == [
        "2024-01-01T10:30:00+00:00"
    ]


def test_cron_clock_evaluates_in_its_time_zone() -> None:
    clock = CronClock("0 9 * * *", timezone="America/New_York")
    assert take(clock, 2, datetime(2024, 1, 1, tzinfo=UTC)) == [
        "2024-01-01T09:00:00-05:00",
        "2024-01-02T09:00:00-05:00",
    ]


def test_cron_clock_six_fields_have_seconds_first() -> None:
    clock = CronClock("*/20 * * * * *")
    assert take(clock, 3, datetime(2024, 1, 1, 12, tzinfo=UTC)) == [
        "2024-01-01T12:00:20+00:00",
        "2024-01-01T12:00:40+00:00",
        "2024-01-01T12:01:00+00:00",
    ]
    assert take(CronClock("30 0 9 * * *"), 1, datetime(2024, 1, 1, tzinfo=UTC)) == [
        "2024-01-01T09:00:30+00:00"
    ]


def test_cron_clock_nicknames() -> None:
    assert take(CronClock("@daily"), 1, datetime(2024, 1, 1, 5, tzinfo=UTC)) == [
        "2024-01-02T00:00:00+00:00"
    ]
    assert take(CronClock("@hourly"), 1, datetime(2024, 1, 1, 5, 1, tzinfo=UTC)) == [
        "2024-01-01T06:00:00+00:00"
    ]


def test_cron_day_or() -> None:
    # Friday the 13th: by default either day field matches (standard cron).
    either = CronClock("0 0 13 * FRI")
    assert take(either, 3, datetime(2024, 1, 1, tzinfo=UTC)) == [
        "2024-01-05T00:00:00+00:00",
        "2024-01-12T00:00:00+00:00",
        "2024-01-13T00:00:00+00:00",
    ]
    both = CronClock("0 0 13 * FRI", day_or=False)
    assert take(both, 2, datetime(2024, 1, 1, tzinfo=UTC)) == [
        "2024-09-13T00:00:00+00:00",
        "2024-12-13T00:00:00+00:00",
    ]


def test_cron_clock_window_and_naive_datetimes() -> None:
    clock = CronClock(
        "0 9 * * *",
        start_date=datetime(2024, 6, 1, 9),
        end_date=datetime(2024, 6, 3, 9),
        timezone="Europe/Berlin",
    )
    assert clock.start_date is not None
    assert clock.start_date.isoformat() == "2024-06-01T09:00:00+02:00"
    # a naive `after` is read in the clock's zone too
    assert take(clock, 5, datetime(2024, 1, 1)) == [
        "2024-06-01T09:00:00+02:00",
        "2024-06-02T09:00:00+02:00",
        "2024-06-03T09:00:00+02:00",
    ]
    assert take(clock, 5, datetime(2024, 6, 2, 9)) == ["2024-06-03T09:00:00+02:00"]


def test_cron_spring_forward_runs_once_at_end_of_gap_new_york() -> None:
    clock = CronClock("30 2 * * *", timezone="America/New_York")
    assert take(clock, 3, datetime(2024, 3, 9, 3, tzinfo=NY)) == [
        "2024-03-10T03:00:00-04:00",
        "2024-03-11T02:30:00-04:00",
        "2024-03-12T02:30:00-04:00",
    ]


def test_cron_fall_back_runs_once_new_york() -> None:
    clock = CronClock("30 1 * * *", timezone="America/New_York")
    assert take(clock, 3, datetime(2024, 11, 2, 3, tzinfo=NY)) == [
        "2024-11-03T01:30:00-04:00",
        "2024-11-04T01:30:00-05:00",
        "2024-11-05T01:30:00-05:00",
    ]
    # Asked from inside the repeated hour (01:10 EST, after the 01:30 EDT run) it does not
    # run again that night.
    second_pass = datetime(2024, 11, 3, 1, 10, fold=1, tzinfo=NY)
    assert take(clock, 1, second_pass) == ["2024-11-04T01:30:00-05:00"]


def test_cron_dst_berlin_both_directions() -> None:
    clock = CronClock("30 2 * * *", timezone="Europe/Berlin")
    assert take(clock, 2, datetime(2024, 3, 30, 12, tzinfo=BERLIN)) == [
        "2024-03-31T03:00:00+02:00",
        "2024-04-01T02:30:00+02:00",
    ]
    assert take(clock, 2, datetime(2024, 10, 26, 12, tzinfo=BERLIN)) == [
        "2024-10-27T02:30:00+02:00",
        "2024-10-28T02:30:00+01:00",
    ]


def test_cron_six_field_expressions_get_the_same_dst_treatment() -> None:
    fall = CronClock("0 30 1 * * *", timezone="America/New_York")
    assert take(fall, 2, datetime(2024, 11, 2, 12, tzinfo=NY)) == [
        "2024-11-03T01:30:00-04:00",
        "2024-11-04T01:30:00-05:00",
    ]
    spring = CronClock("15 30 2 * * *", timezone="Europe/Berlin")
    assert take(spring, 2, datetime(2024, 3, 30, 12, tzinfo=BERLIN)) == [
        "2024-03-31T03:00:00+02:00",
        "2024-04-01T02:30:15+02:00",
    ]


def test_cron_with_wildcard_hour_follows_elapsed_time_across_dst() -> None:
    hourly = CronClock("0 * * * *", timezone="Europe/Berlin")
    assert take(hourly, 3, datetime(2024, 3, 31, 0, 30, tzinfo=BERLIN)) == [
        "2024-03-31T01:00:00+01:00",
        "2024-03-31T03:00:00+02:00",
        "2024-03-31T04:00:00+02:00",
    ]
    half_hourly = CronClock("*/30 * * * *", timezone="Europe/Berlin")
    assert take(half_hourly, 5, datetime(2024, 10, 27, 1, 45, tzinfo=BERLIN)) == [
        "2024-10-27T02:00:00+02:00",
        "2024-10-27T02:30:00+02:00",
        "2024-10-27T02:00:00+01:00",
        "2024-10-27T02:30:00+01:00",
        "2024-10-27T03:00:00+01:00",
    ]


def test_cron_chained_calls_match_one_call_across_dst() -> None:
    schedule = CronSchedule("30 1,2 * * *", timezone="America/New_York")
    after = datetime(2024, 3, 9, 12, tzinfo=NY)
    chained: list[datetime] = []
    for _ in range(4):
        (after,) = schedule.next(1, after=after)
        chained.append(after)
    assert iso(chained) == iso(schedule.next(4, after=datetime(2024, 3, 9, 12, tzinfo=NY)))
    assert iso(chained) == [
        "2024-03-10T01:30:00-05:00",
        "2024-03-10T03:00:00-04:00",
        "2024-03-11T01:30:00-04:00",
        "2024-03-11T02:30:00-04:00",
    ]


# -- RRuleClock ----------------------------------------------------------------------------


def test_rrule_clock_from_text() -> None:
    clock = RRuleClock(
        "DTSTART:20240101T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE", timezone="Europe/Berlin"
    )
    assert take(clock, 3, datetime(2024, 1, 2, tzinfo=BERLIN)) == [
        "2024-01-03T09:00:00+01:00",
        "2024-01-08T09:00:00+01:00",
        "2024-01-10T09:00:00+01:00",
    ]


def test_rrule_clock_from_object_keeps_the_text_and_count() -> None:
    rule = rrule(DAILY, dtstart=datetime(2024, 1, 1, 9), count=3)
    clock = RRuleClock(rule)
    assert clock.rrule == str(rule)
    assert take(clock, 10, datetime(2023, 1, 1, tzinfo=UTC)) == [
        "2024-01-01T09:00:00+00:00",
        "2024-01-02T09:00:00+00:00",
        "2024-01-03T09:00:00+00:00",
    ]


def test_rrule_clock_aware_dtstart_sets_zone_and_keeps_wall_clock_across_dst() -> None:
    rule = rrule(DAILY, dtstart=datetime(2024, 3, 8, 9, tzinfo=NY))
    clock = RRuleClock(rule)
    assert clock.timezone == NY
    assert take(clock, 3, datetime(2024, 3, 8, 12, tzinfo=NY)) == [
        "2024-03-09T09:00:00-05:00",
        "2024-03-10T09:00:00-04:00",
        "2024-03-11T09:00:00-04:00",
    ]
    until = rrule(
        DAILY,
        dtstart=datetime(2024, 3, 8, 9, tzinfo=NY),
        until=datetime(2024, 3, 10, 13, tzinfo=UTC),
    )
    assert take(RRuleClock(until), 9, datetime(2024, 1, 1, tzinfo=UTC)) == [
        "2024-03-08T09:00:00-05:00",
        "2024-03-09T09:00:00-05:00",
        "2024-03-10T09:00:00-04:00",
    ]


def test_rrule_clock_tzid_and_exdate() -> None:
    clock = RRuleClock(
        "DTSTART;TZID=America/New_York:20241101T013000\n"
        "RRULE:FREQ=DAILY\n"
        "EXDATE;TZID=America/New_York:20241102T013000"
    )
    assert clock.timezone == NY
    assert take(clock, 3, datetime(2024, 10, 31, tzinfo=NY)) == [
        "2024-11-01T01:30:00-04:00",
        "2024-11-03T01:30:00-04:00",
        "2024-11-04T01:30:00-05:00",
    ]


def test_rrule_clock_without_dtstart_starts_at_start_date() -> None:
    clock = RRuleClock("FREQ=HOURLY;INTERVAL=6", start_date=datetime(2024, 1, 1, 3, tzinfo=UTC))
    assert take(clock, 3, datetime(2023, 1, 1, tzinfo=UTC)) == [
        "2024-01-01T03:00:00+00:00",
        "2024-01-01T09:00:00+00:00",
        "2024-01-01T15:00:00+00:00",
    ]
    default = RRuleClock("FREQ=DAILY;BYHOUR=7", timezone="Europe/Berlin")
    assert take(default, 1, datetime(2024, 7, 1, tzinfo=BERLIN)) == ["2024-07-01T07:00:00+02:00"]


def test_rrule_clock_dst_in_skipped_hour() -> None:
    clock = RRuleClock("DTSTART:20240301T023000\nRRULE:FREQ=DAILY", timezone="America/New_York")
    assert take(clock, 2, datetime(2024, 3, 9, 12, tzinfo=NY)) == [
        "2024-03-10T03:30:00-04:00",
        "2024-03-11T02:30:00-04:00",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "DTSTART:20250101T000500\nRRULE:FREQ=MINUTELY;INTERVAL=7;BYSECOND=0,30",
        "DTSTART:20200101T001000\nRRULE:FREQ=HOURLY;INTERVAL=5;BYHOUR=0,5,10,15,20",
        "DTSTART:20200102T083000\nRRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,TH",
        "DTSTART:20200131T120000\nRRULE:FREQ=DAILY;INTERVAL=11",
        "DTSTART:20200131T120000\nRRULE:FREQ=MONTHLY;BYDAY=-1FR",
        "DTSTART:20200101T000000\nRRULE:FREQ=SECONDLY;INTERVAL=7919",
    ],
)
def test_rrule_clock_matches_dateutil_far_from_dtstart(text: str) -> None:
    # The clock skips ahead whole periods instead of walking from DTSTART; the result
    # must equal dateutil's own walk.
    after = datetime(2025, 6, 17, 13, 47, 11)
    expected = list(rrulestr(text).xafter(after, count=12))
    got = Schedule([RRuleClock(text)]).next(12, after=after.replace(tzinfo=UTC))
    assert [t.replace(tzinfo=None) for t in got] == expected


# -- DatesClock ----------------------------------------------------------------------------


def test_dates_clock_sorts_dedupes_and_reads_naive_dates_in_its_zone() -> None:
    clock = DatesClock(
        [
            datetime(2024, 5, 3, 12),
            datetime(2024, 5, 1, 12),
            datetime(2024, 5, 1, 10, tzinfo=UTC),  # the same instant as 12:00 Berlin
        ],
        timezone="Europe/Berlin",
    )
    assert iso(clock.dates) == ["2024-05-01T12:00:00+02:00", "2024-05-03T12:00:00+02:00"]
    assert clock.start_date == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert clock.end_date == datetime(2024, 5, 3, 10, tzinfo=UTC)
    assert take(clock, 5, datetime(2024, 5, 1, 12, tzinfo=BERLIN)) == ["2024-05-03T12:00:00+02:00"]
    assert take(clock, 5, datetime(2024, 6, 1, tzinfo=UTC)) == []


def test_dates_clock_keeps_both_fall_back_times() -> None:
    first = datetime(2024, 10, 27, 2, 30, tzinfo=BERLIN)
    second = datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=BERLIN)
    clock = DatesClock([second, first])
    assert clock.timezone == BERLIN
    assert take(clock, 5, datetime(2024, 10, 27, tzinfo=UTC)) == [
        "2024-10-27T02:30:00+02:00",
        "2024-10-27T02:30:00+01:00",
    ]


# -- filters -------------------------------------------------------------------------------


def test_day_filters() -> None:
    friday = datetime(2024, 2, 23, 12, tzinfo=UTC)
    saturday = datetime(2024, 2, 24, 12, tzinfo=UTC)
    assert is_weekday(friday) and not is_weekday(saturday)
    assert is_weekend(saturday) and not is_weekend(friday)
    assert is_month_start(datetime(2024, 3, 1)) and not is_month_start(datetime(2024, 3, 2))
    assert is_month_end(datetime(2024, 2, 29)) and not is_month_end(datetime(2024, 2, 28))
    assert is_month_end(datetime(2023, 2, 28)) and is_month_end(datetime(2024, 4, 30))


def test_time_filters() -> None:
    assert at_time(time(9, 30))(datetime(2024, 1, 1, 9, 30, tzinfo=NY))
    assert not at_time(time(9, 30))(datetime(2024, 1, 1, 9, 30, 1))
    office = between_times(time(9), time(17))
    assert office(datetime(2024, 1, 1, 9)) and office(datetime(2024, 1, 1, 17))
    assert not office(datetime(2024, 1, 1, 17, 0, 1)) and not office(datetime(2024, 1, 1, 8))
    night = between_times(time(22), time(2))  # wraps past midnight
    assert night(datetime(2024, 1, 1, 23, 30)) and night(datetime(2024, 1, 2, 1, 59))
    assert night(datetime(2024, 1, 1, 22)) and night(datetime(2024, 1, 1, 2))
    assert not night(datetime(2024, 1, 1, 12)) and not night(datetime(2024, 1, 1, 2, 0, 1))


def test_date_filters() -> None:
    summer = between_dates(6, 1, 8, 31)
    assert summer(datetime(2024, 6, 1)) and summer(datetime(2024, 8, 31, 23, 59))
    assert not summer(datetime(2024, 9, 1)) and not summer(datetime(2024, 5, 31))
    holidays = between_dates(12, 15, 1, 15)  # wraps over the year end
    assert holidays(datetime(2024, 12, 15)) and holidays(datetime(2024, 12, 31))
    assert holidays(datetime(2025, 1, 1)) and holidays(datetime(2025, 1, 15))
    assert not holidays(datetime(2025, 1, 16)) and not holidays(datetime(2024, 12, 14))
    assert on_date(2, 29)(datetime(2024, 2, 29, 5)) and not on_date(2, 29)(datetime(2024, 3, 1))


def test_datetime_filters() -> None:
    window = between_datetimes(
        datetime(2024, 1, 1, 9, tzinfo=UTC), datetime(2024, 1, 1, 17, tzinfo=UTC)
    )
    assert window(datetime(2024, 1, 1, 4, tzinfo=NY))  # 09:00 UTC
    assert window(datetime(2024, 1, 1, 12, tzinfo=NY))  # 17:00 UTC
    assert not window(datetime(2024, 1, 1, 12, 1, tzinfo=NY))
    local = between_datetimes(datetime(2024, 1, 1, 9), datetime(2024, 1, 1, 17))
    assert local(datetime(2024, 1, 1, 12, tzinfo=NY)) and not local(
        datetime(2024, 1, 1, 8, tzinfo=NY)
    )
    moment = on_datetime(datetime(2024, 10, 27, 1, 30, tzinfo=UTC))
    assert moment(datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=BERLIN))  # 01:30 UTC
    assert not moment(datetime(2024, 10, 27, 2, 30, tzinfo=BERLIN))  # 00:30 UTC
    assert on_datetime(datetime(2024, 1, 1, 9))(datetime(2024, 1, 1, 9, tzinfo=NY))


def test_filters_read_the_clocks_local_time() -> None:
    # 20:00 Friday in New York is 01:00 Saturday UTC: still a weekday for this clock.
    schedule = Schedule(
        [CronClock("0 20 * * *", timezone="America/New_York")], filters=[is_weekday]
    )
    assert iso(schedule.next(2, after=datetime(2024, 1, 5, tzinfo=NY))) == [
        "2024-01-05T20:00:00-05:00",
        "2024-01-08T20:00:00-05:00",
    ]


def test_schedule_filter_semantics() -> None:
    hourly = IntervalClock(timedelta(hours=1))
    office = Schedule([hourly], filters=[is_weekday, between_times(time(16), time(17))])
    assert iso(office.next(3, after=datetime(2024, 1, 5, 16, tzinfo=UTC))) == [
        "2024-01-05T17:00:00+00:00",
        "2024-01-08T16:00:00+00:00",
        "2024-01-08T17:00:00+00:00",
    ]
    daily = IntervalClock(timedelta(days=1), start_date=datetime(2024, 1, 1, 6, tzinfo=UTC))
    edges = Schedule([daily], or_filters=[is_month_start, is_month_end])
    assert iso(edges.next(3, after=datetime(2024, 1, 15, tzinfo=UTC))) == [
        "2024-01-31T06:00:00+00:00",
        "2024-02-01T06:00:00+00:00",
        "2024-02-29T06:00:00+00:00",
    ]
    not_christmas = Schedule(
        [daily], filters=[between_dates(12, 23, 12, 27)], not_filters=[on_date(12, 25)]
    )
    assert iso(not_christmas.next(4, after=datetime(2024, 1, 1, tzinfo=UTC))) == [
        "2024-12-23T06:00:00+00:00",
        "2024-12-24T06:00:00+00:00",
        "2024-12-26T06:00:00+00:00",
        "2024-12-27T06:00:00+00:00",
    ]
    combined = Schedule(
        [daily], filters=[is_weekday], or_filters=[is_month_start, is_month_end]
    )  # weekday AND (first OR last day of the month)
    assert iso(combined.next(3, after=datetime(2024, 6, 1, tzinfo=UTC))) == [
        "2024-07-01T06:00:00+00:00",
        "2024-07-31T06:00:00+00:00",
        "2024-08-01T06:00:00+00:00",
    ]


# -- adjustments ---------------------------------------------------------------------------


def test_adjustment_functions() -> None:
    dt = datetime(2024, 3, 9, 9, tzinfo=NY)  # a Saturday before spring-forward
    assert add(timedelta(hours=1))(dt).isoformat() == "2024-03-09T10:00:00-05:00"
    assert add(-1800)(dt).isoformat() == "2024-03-09T08:30:00-05:00"
    # whole days keep the wall-clock time, shorter intervals are elapsed time
    assert add(timedelta(days=1))(dt).isoformat() == "2024-03-10T09:00:00-04:00"
    assert add(timedelta(hours=24))(dt).isoformat() == "2024-03-10T09:00:00-04:00"
    assert add(timedelta(hours=23))(dt).isoformat() == "2024-03-10T09:00:00-04:00"
    assert add(3600)(datetime(2024, 3, 10, 1, 30, tzinfo=NY)).isoformat() == (
        "2024-03-10T03:30:00-04:00"
    )
    assert next_weekday(dt).isoformat() == "2024-03-11T09:00:00-04:00"
    assert next_weekday(datetime(2024, 3, 10, 9, tzinfo=NY)).isoformat() == (
        "2024-03-11T09:00:00-04:00"
    )
    friday = datetime(2024, 3, 8, 9, tzinfo=NY)
    assert next_weekday(friday) == friday


def test_schedule_applies_adjustments_in_order_and_merges_duplicates() -> None:
    daily = IntervalClock(timedelta(days=1), start_date=datetime(2024, 1, 1, 9, tzinfo=UTC))
    moved = Schedule([daily], adjustments=[next_weekday])
    assert iso(moved.next(3, after=datetime(2024, 1, 5, 12, tzinfo=UTC))) == [
        "2024-01-08T09:00:00+00:00",  # Saturday, Sunday and Monday all become Monday
        "2024-01-09T09:00:00+00:00",
        "2024-01-10T09:00:00+00:00",
    ]
    ordered = Schedule([daily], adjustments=[add(timedelta(days=1)), next_weekday])
    # Friday + 1 day = Saturday -> Monday; Thursday + 1 day = Friday stays.
    assert iso(ordered.next(2, after=datetime(2024, 1, 4, 12, tzinfo=UTC))) == [
        "2024-01-05T09:00:00+00:00",
        "2024-01-08T09:00:00+00:00",
    ]


def test_adjusted_times_are_not_missed_by_chained_calls() -> None:
    # `after` applies to adjusted times, so a forward shift must not hide times whose
    # unadjusted time is before `after`.
    schedule = Schedule(
        [IntervalClock(timedelta(minutes=30), start_date=datetime(2024, 1, 1, tzinfo=UTC))],
        adjustments=[add(timedelta(hours=1))],
    )
    first = schedule.next(1, after=datetime(2024, 1, 1, 0, 10, tzinfo=UTC))
    assert iso(first) == ["2024-01-01T01:00:00+00:00"]  # from the 00:00 clock time
    assert iso(schedule.next(2, after=first[0])) == [
        "2024-01-01T01:30:00+00:00",
        "2024-01-01T02:00:00+00:00",
    ]


# -- Schedule ------------------------------------------------------------------------------


def test_merging_two_clocks_in_time_order_without_duplicates() -> None:
    schedule = Schedule(
        [
            CronClock("0 * * * *", parameter_defaults={"source": "cron"}),
            IntervalClock(timedelta(minutes=40), start_date=datetime(2024, 1, 1, tzinfo=UTC)),
        ]
    )
    events = schedule.next_events(5, after=datetime(2024, 1, 1, 0, 30, tzinfo=UTC))
    assert iso([e.start_time for e in events]) == [
        "2024-01-01T00:40:00+00:00",
        "2024-01-01T01:00:00+00:00",
        "2024-01-01T01:20:00+00:00",
        "2024-01-01T02:00:00+00:00",  # both clocks: once, from the first clock
        "2024-01-01T02:40:00+00:00",
    ]
    assert [e.clock_index for e in events] == [1, 0, 1, 0, 1]


def test_merging_clocks_in_different_zones_orders_by_instant() -> None:
    schedule = Schedule(
        [
            CronClock("0 9 * * *", timezone="America/New_York"),
            CronClock("0 9 * * *", timezone=BERLIN),
        ]
    )
    assert iso(schedule.next(3, after=datetime(2024, 1, 1, tzinfo=UTC))) == [
        "2024-01-01T09:00:00+01:00",
        "2024-01-01T09:00:00-05:00",
        "2024-01-02T09:00:00+01:00",
    ]


def test_next_events_carry_per_clock_parameters_and_labels() -> None:
    schedule = Schedule(
        [
            CronClock("0 6 * * *", parameter_defaults={"region": "eu"}, labels=["eu"]),
            CronClock("0 18 * * *", parameter_defaults={"region": "us"}, labels=["us", "gpu"]),
        ]
    )
    events = schedule.next_events(3, after=datetime(2024, 1, 1, tzinfo=UTC))
    assert events == [
        ScheduledEvent(datetime(2024, 1, 1, 6, tzinfo=UTC), {"region": "eu"}, ["eu"], 0),
        ScheduledEvent(datetime(2024, 1, 1, 18, tzinfo=UTC), {"region": "us"}, ["us", "gpu"], 1),
        ScheduledEvent(datetime(2024, 1, 2, 6, tzinfo=UTC), {"region": "eu"}, ["eu"], 0),
    ]
    events[0].parameter_defaults["region"] = "changed"
    events[0].labels.append("changed")
    again = schedule.next_events(1, after=datetime(2024, 1, 1, tzinfo=UTC))
    assert again[0].parameter_defaults == {"region": "eu"} and again[0].labels == ["eu"]
    with pytest.raises(AttributeError):
        events[0].clock_index = 5


def test_next_defaults_to_now_and_handles_zero_and_exhausted_clocks() -> None:
    schedule = IntervalSchedule(timedelta(minutes=1))
    before = datetime.now(UTC)
    (upcoming,) = schedule.next(1)
    assert before < upcoming <= before + timedelta(minutes=1)
    assert schedule.next(0) == []
    past = Schedule([DatesClock([datetime(2020, 1, 1, tzinfo=UTC)])])
    assert past.next(3) == []


def test_next_gives_up_after_a_bounded_number_of_candidates() -> None:
    # Feb 29 next comes in 2028, 35,000 hourly candidates away: more than 10,000 per event.
    schedule = Schedule([IntervalClock(timedelta(hours=1))], filters=[on_date(2, 29)])
    after = datetime(2024, 3, 1, tzinfo=UTC)
    assert schedule.next(1, after=after) == []
    assert iso(schedule.next(4, after=after)) == [
        "2028-02-29T00:00:00+00:00",
        "2028-02-29T01:00:00+00:00",
        "2028-02-29T02:00:00+00:00",
        "2028-02-29T03:00:00+00:00",
    ]
    never = Schedule([CronClock("* * * * *")], filters=[on_date(2, 29), on_date(3, 1)])
    assert never.next(2, after=after) == []


def test_convenience_constructors() -> None:
    interval = IntervalSchedule(
        timedelta(hours=6), start_date=datetime(2024, 1, 1, tzinfo=UTC), labels=["etl"]
    )
    assert isinstance(interval, Schedule) and len(interval.clocks) == 1
    assert isinstance(interval.clocks[0], IntervalClock)
    assert interval.clocks[0].labels == ["etl"]
    cron = CronSchedule("0 9 * * *", timezone="Europe/Berlin", filters=[is_weekday])
    assert isinstance(cron.clocks[0], CronClock) and cron.filters == [is_weekday]
    assert iso(cron.next(1, after=datetime(2024, 1, 6, tzinfo=UTC))) == [
        "2024-01-08T09:00:00+01:00"
    ]
    assert Schedule(CronClock("0 9 * * *")).clocks == [CronClock("0 9 * * *")]


def test_import_proctor_does_not_load_schedules() -> None:
    code = (
        "import sys, proctor; "
        "loaded = [m for m in ('proctor.core.schedules', 'cronsim', 'dateutil.rrule') "
        "if m in sys.modules]; "
        "print(loaded)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_weekly_rrule_object() -> None:
    rule = rrule(WEEKLY, dtstart=datetime(2024, 1, 1, 9), interval=2)
    assert take(RRuleClock(rule, timezone=BERLIN), 2, datetime(2024, 1, 2, tzinfo=UTC)) == [
        "2024-01-15T09:00:00+01:00",
        "2024-01-29T09:00:00+01:00",
    ]


@pytest.mark.parametrize(
    "zone", ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Santiago"]
)
def test_cron_wall_clock_handling_matches_cronsim_for_a_year(zone: str) -> None:
    # Proctor places fixed-time expressions in the zone itself (so that 6-field ones get
    # the same DST rules); for 5-field ones the result must be exactly cronsim's.
    # Lord Howe shifts by 30 minutes; Santiago changes at midnight.
    from itertools import islice

    from cronsim import CronSim

    start = datetime(2024, 1, 1, tzinfo=ZoneInfo(zone))
    for expr in ["30 2 * * *", "0 0 * * *", "30 1 * * *", "15 0,1,2,3 * * SAT,SUN"]:
        ours = list(islice(CronClock(expr, timezone=zone).times(start), 370))
        theirs = list(islice(CronSim(expr, start), 370))
        assert iso(ours) == iso(theirs), expr


def test_rrule_clock_with_zone_matches_dateutil_far_from_dtstart() -> None:
    text = "DTSTART;TZID=Europe/Berlin:20200101T091500\nRRULE:FREQ=HOURLY;INTERVAL=5"
    after = datetime(2025, 6, 17, 13, 47, 11, tzinfo=BERLIN)  # no DST change nearby
    expected = list(rrulestr(text, tzids=ZoneInfo).xafter(after, count=6))
    got = Schedule([RRuleClock(text)]).next(6, after=after)
    assert iso(got) == iso(expected)
    assert got[0].isoformat() == "2025-06-17T18:15:00+02:00"
