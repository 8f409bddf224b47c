"""Schedules survive a JSON round trip: to_dict -> json -> from_dict gives the same schedule."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import DAILY, rrule

from proctor.core.schedules import adjustment_from_dict, clock_from_dict, filter_from_dict
from proctor.schedules import (
    Adjustment,
    Clock,
    CronClock,
    CronSchedule,
    DatesClock,
    Filter,
    IntervalClock,
    IntervalSchedule,
    RRuleClock,
    Schedule,
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
AFTER = datetime(2024, 3, 1, tzinfo=UTC)

CLOCKS: list[Clock] = [
    IntervalClock(timedelta(hours=1, microseconds=250)),
    IntervalClock(
        timedelta(days=1),
        start_date=datetime(2024, 1, 1, 9),
        end_date=datetime(2025, 1, 1, 9),
        timezone="America/New_York",
        parameter_defaults={"x": 1, "nested": {"a": [1, 2]}},
        labels=["daily"],
    ),
    CronClock("0 9 * * MON-FRI"),
    CronClock(
        "30 2 13 * FRI",
        start_date=datetime(2024, 2, 1, tzinfo=NY),
        timezone="Europe/Berlin",
        day_or=False,
        labels=["a", "b"],
    ),
    CronClock("*/10 * * * * *", end_date=datetime(2030, 1, 1, tzinfo=UTC)),
    RRuleClock("DTSTART:20240101T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE", timezone=NY),
    RRuleClock(rrule(DAILY, dtstart=datetime(2024, 1, 1, 7, tzinfo=NY), count=500)),
    RRuleClock("DTSTART;TZID=Europe/Berlin:20240101T090000\nRRULE:FREQ=DAILY;INTERVAL=3"),
    RRuleClock("FREQ=HOURLY", start_date=datetime(2024, 2, 1, 0, 30), end_date=None),
    DatesClock(
        [datetime(2024, 5, 1, 12), datetime(2024, 3, 10, 3, tzinfo=NY)],
        parameter_defaults={"once": True},
    ),
]

FILTERS: list[Filter] = [
    is_weekday,
    is_weekend,
    is_month_start,
    is_month_end,
    at_time(time(9, 30, 15)),
    between_times(time(22), time(2, 30)),
    between_dates(12, 15, 1, 15),
    between_datetimes(datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=NY)),
    between_datetimes(datetime(2024, 1, 1), datetime(2025, 1, 1, 12)),
    on_date(2, 29),
    on_datetime(datetime(2024, 5, 1, 12, tzinfo=NY)),
    on_datetime(datetime(2024, 5, 1, 12)),
]

ADJUSTMENTS: list[Adjustment] = [
    add(timedelta(hours=1)),
    add(timedelta(days=2)),
    add(-0.5),
    next_weekday,
]


def round_trip(data: dict[str, object]) -> dict[str, object]:
    """What the server gets back from its database."""
    loaded = json.loads(json.dumps(data))
    assert isinstance(loaded, dict)
    return loaded


@pytest.mark.parametrize("clock", CLOCKS, ids=repr)
def test_clock_round_trip(clock: Clock) -> None:
    data = round_trip(clock.to_dict())
    rebuilt = clock_from_dict(data)
    assert type(rebuilt) is type(clock)
    assert rebuilt == clock
    assert rebuilt.to_dict() == clock.to_dict()
    assert rebuilt.timezone == clock.timezone
    assert rebuilt.parameter_defaults == clock.parameter_defaults
    assert rebuilt.labels == clock.labels
    expected = [t.isoformat() for t in Schedule([clock]).next(5, after=AFTER)]
    assert [t.isoformat() for t in Schedule([rebuilt]).next(5, after=AFTER)] == expected
    assert expected  # every clock above has future times


@pytest.mark.parametrize("item", FILTERS, ids=repr)
def test_filter_round_trip(item: Filter) -> None:
    rebuilt = filter_from_dict(round_trip(item.to_dict()))
    assert rebuilt == item
    probes = [datetime(2024, 2, 29, 9, 30, 15, tzinfo=NY), datetime(2024, 12, 31, 23, tzinfo=UTC)]
    assert [rebuilt(p) for p in probes] == [item(p) for p in probes]


@pytest.mark.parametrize("item", ADJUSTMENTS, ids=repr)
def test_adjustment_round_trip(item: Adjustment) -> None:
    rebuilt = adjustment_from_dict(round_trip(item.to_dict()))
    assert rebuilt == item
    probe = datetime(2024, 3, 9, 9, tzinfo=NY)
    assert rebuilt(probe).isoformat() == item(probe).isoformat()


def test_full_schedule_round_trip() -> None:
    schedule = Schedule(
        CLOCKS,
        filters=[is_weekday, between_times(time(0), time(23, 59))],
        or_filters=[is_month_start, between_dates(3, 1, 6, 30)],
        not_filters=[on_date(12, 25)],
        adjustments=ADJUSTMENTS,
    )
    data = schedule.to_dict()
    assert json.loads(json.dumps(data)) == data  # plain JSON types only
    assert data["type"] == "Schedule" and data["version"] == 1
    rebuilt = Schedule.from_dict(round_trip(data))
    assert rebuilt == schedule
    assert rebuilt.to_dict() == data
    original = schedule.next_events(20, after=AFTER)
    again = rebuilt.next_events(20, after=AFTER)
    assert [e.start_time.isoformat() for e in again] == [e.start_time.isoformat() for e in original]
    assert [(e.parameter_defaults, e.labels, e.clock_index) for e in again] == [
        (e.parameter_defaults, e.labels, e.clock_index) for e in original
    ]
    assert len(original) == 20


def test_stored_format_is_readable() -> None:
    schedule = CronSchedule(
        "0 9 * * *",
        timezone="Europe/Berlin",
        parameter_defaults={"day": "today"},
        filters=[is_weekday],
        adjustments=[add(timedelta(minutes=5))],
    )
    assert schedule.to_dict() == {
        "type": "Schedule",
        "version": 1,
        "clocks": [
            {
                "type": "CronClock",
                "cron": "0 9 * * *",
                "day_or": True,
                "start_date": None,
                "end_date": None,
                "timezone": "Europe/Berlin",
                "parameter_defaults": {"day": "today"},
                "labels": [],
            }
        ],
        "filters": [{"type": "is_weekday"}],
        "or_filters": [],
        "not_filters": [],
        "adjustments": [{"type": "add", "interval": 300}],
    }
    interval = IntervalSchedule(
        timedelta(minutes=90), start_date=datetime(2024, 1, 1, 6, tzinfo=NY)
    )
    assert interval.to_dict()["clocks"] == [
        {
            "type": "IntervalClock",
            "interval": 5400,
            "start_date": "2024-01-01T06:00:00-05:00",
            "end_date": None,
            "timezone": "America/New_York",
            "parameter_defaults": {},
            "labels": [],
        }
    ]


def test_from_dict_accepts_minimal_payloads() -> None:
    schedule = Schedule.from_dict({"clocks": [{"type": "CronClock", "cron": "0 * * * *"}]})
    assert schedule == CronSchedule("0 * * * *")
    dates = Schedule.from_dict(
        {"clocks": [{"type": "DatesClock", "dates": ["2024-01-01T00:00:00+00:00"]}]}
    )
    assert dates.next(5, after=datetime(2023, 1, 1, tzinfo=UTC)) == [
        datetime(2024, 1, 1, tzinfo=UTC)
    ]


def test_is_day_of_week_round_trips_and_checks_its_day():
    from datetime import UTC, datetime

    import pytest

    from proctor.core.errors import ScheduleError
    from proctor.core.schedules.filters import filter_from_dict, is_day_of_week

    thursday = is_day_of_week(3)
    assert thursday.to_dict() == {"type": "is_day_of_week", "day": 3}
    again = filter_from_dict(thursday.to_dict())
    assert again == thursday
    assert again(datetime(2026, 2, 5, tzinfo=UTC)) and not again(datetime(2026, 2, 6, tzinfo=UTC))
    with pytest.raises(ScheduleError, match="0 \\(Monday\\) to 6"):
        is_day_of_week(7)
