"""Every bad schedule input raises ScheduleError with a message naming the bad value."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import DAILY, rrule, rruleset

from proctor.core.errors import ProctorError, ScheduleError
from proctor.core.schedules import adjustment_from_dict, clock_from_dict, filter_from_dict
from proctor.schedules import (
    CronClock,
    CronSchedule,
    DatesClock,
    IntervalClock,
    IntervalSchedule,
    RRuleClock,
    Schedule,
    add,
    at_time,
    between_dates,
    between_datetimes,
    between_times,
    is_weekday,
    on_date,
    on_datetime,
)

CRON_FORMAT = "minute hour day-of-month month day-of-week"
GOOD_CLOCK = {"type": "CronClock", "cron": "0 9 * * *"}


def raises(build: Callable[[], object], *fragments: str) -> str:
    with pytest.raises(ScheduleError) as info:
        build()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert isinstance(info.value, ValueError) and isinstance(info.value, ProctorError)
    return message


@pytest.mark.parametrize(
    ("cron", "reason"),
    [
        ("61 * * * *", "bad minute"),
        ("0 25 * * *", "bad hour"),
        ("0 0 32 * *", "bad day-of-month"),
        ("0 0 * 13 *", "bad month"),
        ("0 0 * * FUNDAY", "bad day-of-week"),
        ("0 0 30 2 *", "bad day-of-month"),
        ("* * *", "3 field(s)"),
        ("* * * * * * *", "7 field(s)"),
        ("", "0 field(s)"),
        ("every day", "2 field(s)"),
        ("*/0 * * * *", "bad minute"),
        ("60 * * * * *", "bad second"),
    ],
)
def test_bad_cron_strings(cron: str, reason: str) -> None:
    message = raises(lambda: CronClock(cron), repr(cron), reason, CRON_FORMAT, "seconds first")
    assert message.startswith("Invalid cron string")


def test_bad_cron_arguments() -> None:
    raises(lambda: CronClock(123), "123", CRON_FORMAT)
    raises(lambda: CronClock("0 9 * * *", day_or="yes"), "'yes'")
    raises(lambda: CronSchedule("0 9 * * 8"), "'0 9 * * 8'", "bad day-of-week")


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "America", "../etc/passwd", "utc"])
def test_unknown_time_zones(zone: str) -> None:
    for build in (
        lambda: CronClock("0 9 * * *", timezone=zone),
        lambda: IntervalClock(60, timezone=zone),
        lambda: RRuleClock("FREQ=DAILY", timezone=zone),
        lambda: DatesClock([datetime(2024, 1, 1)], timezone=zone),
    ):
        raises(build, f"Unknown time zone {zone!r}", "Europe/Berlin")


def test_time_zone_suggestions_and_types() -> None:
    raises(lambda: CronClock("0 9 * * *", timezone="utc"), "did you mean 'UTC'?")
    raises(lambda: CronClock("0 9 * * *", timezone="Europe/Berln"), "did you mean 'Europe/Berlin'?")
    raises(lambda: CronClock("0 9 * * *", timezone=5), "5", "Europe/Berlin")
    fixed = timezone(timedelta(hours=2))
    raises(lambda: CronClock("0 9 * * *", timezone=fixed), "UTC+02:00", "Europe/Berlin")
    raises(
        lambda: RRuleClock("DTSTART;TZID=Nowhere/Land:20240101T090000\nRRULE:FREQ=DAILY"),
        "Nowhere/Land",
        "Europe/Berlin",
    )
    # datetime.UTC and fixed-offset datetimes are fine
    assert CronClock("0 9 * * *", timezone=UTC).timezone == ZoneInfo("UTC")
    assert IntervalClock(60, start_date=datetime(2024, 1, 1, tzinfo=fixed)).timezone == ZoneInfo(
        "UTC"
    )


@pytest.mark.parametrize(
    ("interval", "fragment"),
    [
        (0, "got 0"),
        (timedelta(0), "got datetime.timedelta(0)"),
        (-5, "got -5"),
        (timedelta(hours=-1), "got datetime.timedelta(days=-1, seconds=82800)"),
        ("1h", "'1h'"),
        (None, "None"),
        (True, "True"),
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        (1e20, "1e+20"),
    ],
)
def test_bad_intervals(interval: Any, fragment: str) -> None:
    raises(lambda: IntervalClock(interval), "IntervalClock interval", fragment)
    raises(lambda: IntervalSchedule(interval), fragment)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("FREQ=SOMETIMES", "'FREQ=SOMETIMES'"),
        ("", "''"),
        ("RRULE:FREQ=DAILY;BYDAY=XX", "BYDAY"),
        ("DTSTART:notadate\nRRULE:FREQ=DAILY", "notadate"),
        ("DTSTART:20240101T090000", "no RRULE or RDATE"),
        ("DTSTART:20240101T090000\nRRULE:FREQ=DAILY;COUNT=3;UNTIL=20240201T000000", "COUNT"),
        ("DTSTART:20240101T090000\nRRULE:FREQ=DAILY\nRDATE:20240105T120000Z", "mixes"),
        ("DTSTART:20240101T090000\nFOO:BAR", "FOO"),
    ],
)
def test_bad_rrule_strings(text: str, fragment: str) -> None:
    raises(lambda: RRuleClock(text), "Invalid rrule", fragment, "RFC 5545")


def test_bad_rrule_objects() -> None:
    raises(lambda: RRuleClock(42), "42")
    raises(lambda: RRuleClock(rruleset()), "rruleset", "RFC 5545")
    aware = rrule(DAILY, dtstart=datetime(2024, 1, 1, 9, tzinfo=ZoneInfo("America/New_York")))
    raises(lambda: RRuleClock(aware, timezone="Europe/Berlin"), "America/New_York", "Europe/Berlin")
    odd_zone = rrule(DAILY, dtstart=datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=3))))
    raises(lambda: RRuleClock(odd_zone), "UTC+03:00", "IANA")


def test_bad_clock_arguments() -> None:
    raises(lambda: DatesClock([]), "at least one date")
    raises(lambda: DatesClock(["2024-01-01"]), "'2024-01-01'")
    raises(lambda: DatesClock(datetime(2024, 1, 1)), "datetime.datetime(2024, 1, 1, 0, 0)")
    raises(
        lambda: CronClock(
            "0 9 * * *", start_date=datetime(2024, 2, 1), end_date=datetime(2024, 1, 1)
        ),
        "end_date 2024-01-01T00:00:00+00:00 is before start_date 2024-02-01T00:00:00+00:00",
    )
    raises(lambda: CronClock("0 9 * * *", start_date="2024-01-01"), "start_date", "'2024-01-01'")
    raises(lambda: IntervalClock(60, parameter_defaults=[1]), "[1]")
    raises(lambda: IntervalClock(60, parameter_defaults={1: 2}), "1")
    raises(lambda: IntervalClock(60, parameter_defaults={"f": object}), "'f'", "JSON")
    raises(lambda: IntervalClock(60, parameter_defaults={"x": float("nan")}), "nan", "JSON")
    raises(lambda: IntervalClock(60, labels="prod"), "'prod'")
    raises(lambda: IntervalClock(60, labels=["ok", 3]), "3")


def test_bad_filters() -> None:
    raises(lambda: at_time("09:00"), "'09:00'", "time(9, 30)")
    raises(lambda: at_time(time(9, tzinfo=UTC)), "tzinfo")
    raises(lambda: between_times(time(9), 17), "17")
    raises(lambda: between_dates(13, 1, 1, 1), "month must be 1-12, got 13")
    raises(lambda: between_dates(1, 1, 4, 31), "day must be 1-30 for month 4, got 31")
    raises(lambda: between_dates(1, True, 2, 1), "True")
    raises(lambda: on_date(2, 30), "2/30")
    raises(lambda: on_date(0, 1), "got 0")
    raises(
        lambda: between_datetimes(datetime(2024, 2, 1), datetime(2024, 1, 1)),
        "2024-02-01T00:00:00 is after end 2024-01-01T00:00:00",
    )
    raises(
        lambda: between_datetimes(datetime(2024, 1, 1), datetime(2024, 2, 1, tzinfo=UTC)),
        "must both be naive or both timezone-aware",
    )
    raises(lambda: on_datetime("2024-01-01"), "'2024-01-01'")
    raises(lambda: add("1h"), "'1h'")


def test_bad_schedule_arguments() -> None:
    clock = CronClock("0 9 * * *")
    raises(lambda: Schedule([]), "at least one clock")
    raises(lambda: Schedule(["0 9 * * *"]), "clocks[0]", "'0 9 * * *'")
    raises(lambda: Schedule("0 9 * * *"), "'0 9 * * *'")
    raises(
        lambda: Schedule([clock], filters=[lambda dt: True]),
        "filters[0]",
        "<lambda>",
        "lambdas cannot be stored",
    )
    raises(lambda: Schedule([clock], or_filters=[at_time]), "or_filters[0]", "at_time")
    raises(lambda: Schedule([clock], not_filters=[add(1)]), "not_filters[0]", "Add")
    raises(lambda: Schedule([clock], adjustments=[is_weekday]), "adjustments[0]", "IsWeekday")
    schedule = Schedule([clock])
    raises(lambda: schedule.next(-1), "-1")
    raises(lambda: schedule.next(2.0), "2.0")
    raises(lambda: schedule.next(True), "True")
    raises(lambda: schedule.next(1, after="2024-01-01"), "after", "'2024-01-01'")


@pytest.mark.parametrize(
    ("payload", "fragments"),
    [
        (None, ["must be a dict", "None"]),
        ([GOOD_CLOCK], ["must be a dict"]),
        ({}, ["missing key(s) ['clocks']"]),
        ({"clocks": GOOD_CLOCK}, ["'clocks'", "must be a list"]),
        ({"clocks": []}, ["at least one clock"]),
        ({"clocks": [GOOD_CLOCK], "extra": 1}, ["'extra'"]),
        ({"type": "Flow", "clocks": [GOOD_CLOCK]}, ["'Schedule'", "'Flow'"]),
        ({"version": 2, "clocks": [GOOD_CLOCK]}, ["version 2"]),
        ({"clocks": ["0 9 * * *"]}, ["clocks[0]", "'0 9 * * *'"]),
        ({"clocks": [{"type": "SundialClock"}]}, ["clocks[0]", "'SundialClock'", "CronClock"]),
        ({"clocks": [{"type": "CronClock"}]}, ["clocks[0] (CronClock)", "missing", "'cron'"]),
        ({"clocks": [{**GOOD_CLOCK, "crn": "x"}]}, ["clocks[0] (CronClock)", "'crn'"]),
        ({"clocks": [{**GOOD_CLOCK, "cron": "61 * * * *"}]}, ["'61 * * * *'", CRON_FORMAT]),
        ({"clocks": [{**GOOD_CLOCK, "timezone": "Mars/Base"}]}, ["'Mars/Base'"]),
        ({"clocks": [{**GOOD_CLOCK, "start_date": "yesterday"}]}, ["start_date", "'yesterday'"]),
        ({"clocks": [{**GOOD_CLOCK, "start_date": 5}]}, ["start_date", "5"]),
        ({"clocks": [{**GOOD_CLOCK, "labels": "x"}]}, ["labels", "'x'"]),
        ({"clocks": [{"type": "IntervalClock", "interval": 0}]}, ["interval", "must be positive"]),
        ({"clocks": [{"type": "IntervalClock", "interval": "1h"}]}, ["'1h'"]),
        ({"clocks": [{"type": "RRuleClock", "rrule": 5}]}, ["rrule", "5"]),
        ({"clocks": [{"type": "RRuleClock", "rrule": "FREQ=NEVER"}]}, ["'FREQ=NEVER'"]),
        ({"clocks": [{"type": "DatesClock", "dates": "2024"}]}, ["dates", "'2024'"]),
        ({"clocks": [{"type": "DatesClock", "dates": ["nope"]}]}, ["dates[0]", "'nope'"]),
        (
            {"clocks": [GOOD_CLOCK], "filters": [{"type": "is_holiday"}]},
            ["filters[0]", "'is_holiday'"],
        ),
        (
            {"clocks": [GOOD_CLOCK], "filters": [{"type": "at_time"}]},
            ["filters[0] (at_time)", "'at'"],
        ),
        (
            {"clocks": [GOOD_CLOCK], "or_filters": [{"type": "at_time", "at": "25:00"}]},
            ["or_filters[0] (at_time) at", "'25:00'"],
        ),
        (
            {"clocks": [GOOD_CLOCK], "not_filters": [{"type": "on_date", "month": 2, "day": 31}]},
            ["2/31"],
        ),
        ({"clocks": [GOOD_CLOCK], "filters": "is_weekday"}, ["'filters'", "'is_weekday'"]),
        (
            {"clocks": [GOOD_CLOCK], "adjustments": [{"type": "add"}]},
            ["adjustments[0]", "'interval'"],
        ),
        (
            {"clocks": [GOOD_CLOCK], "adjustments": [{"type": "add", "interval": [1]}]},
            ["adjustments[0] (add) interval", "[1]"],
        ),
        ({"clocks": [GOOD_CLOCK], "adjustments": [{"type": "shift"}]}, ["'shift'", "next_weekday"]),
    ],
)
def test_bad_payloads(payload: Any, fragments: list[str]) -> None:
    raises(lambda: Schedule.from_dict(payload), *fragments)


def test_bad_payloads_for_parts() -> None:
    raises(lambda: clock_from_dict(42), "clock must be a dict", "42")
    raises(lambda: filter_from_dict({"type": "is_weekday", "x": 1}), "'x'")
    raises(lambda: adjustment_from_dict({"type": "next_weekday", "days": 1}), "'days'")


def test_zone_without_a_name_is_rejected() -> None:
    from pathlib import Path

    import tzdata

    path = Path(tzdata.__file__).parent / "zoneinfo" / "Europe" / "Berlin"
    with path.open("rb") as handle:
        nameless = ZoneInfo.from_file(handle)
    raises(lambda: CronClock("0 9 * * *", timezone=nameless), "no IANA name", "Europe/Berlin")
