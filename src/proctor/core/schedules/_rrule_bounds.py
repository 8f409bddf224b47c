"""Recurrence rules whose search stops after a number of calendar years without a match.

dateutil checks a rule's UNTIL only when a time matches, so a rule that never matches
(BYMONTH=2;BYMONTHDAY=30) is walked period by period to the year 9999, and nothing in
its public API can stop it. While iterating, dateutil rebuilds its per-year tables
whenever it enters a new calendar year, and that rebuild reads the rule's `_byweekno`
attribute; `YearBoundedRule` counts those reads and stops the iteration when the years
allowed since the last match are used up. The counter is reset at every match, so
only a stretch of years without one is limited, never a long run of real times.
`tests/core/test_schedule_limits.py` pins this reliance on dateutil's internals.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from dateutil.rrule import rrule as RRule
from dateutil.rrule import rruleset

__all__ = ["YearBoundedRule", "bound", "bounded_set"]

# `_iter` reads `_byweekno` once when it starts and `rebuild` once for the first year.
_READS_AT_START = 2


class YearsExhausted(Exception):
    """Raised inside dateutil's iteration when a bounded rule has used up its years."""


class YearBoundedRule(RRule):
    """A copy of an rrule that may enter at most `years` calendar years between matches.

    When they are used up, its iteration ends and `gave_up` becomes true: ending (rather
    than raising) lets the other rules and dates of an rruleset go on. Built only by
    `bound`: one object per search, never shared, so the counter needs no lock.
    """

    _years: int
    gave_up: bool

    @property
    def _byweekno(self) -> Any:
        left = self.__dict__.get("_years_left")
        if left is not None:
            if left <= 0:
                raise YearsExhausted
            self.__dict__["_years_left"] = left - 1
        return self.__dict__["_byweekno"]

    @_byweekno.setter
    def _byweekno(self, value: Any) -> None:
        self.__dict__["_byweekno"] = value

    def _iter(self) -> Iterator[datetime]:
        try:
            for moment in super()._iter():  # type: ignore[misc]
                self.__dict__["_years_left"] = self._years
                yield moment
        except YearsExhausted:
            self.gave_up = True


def bound(rule: RRule, years: int, lead_years: int) -> YearBoundedRule:
    """A bounded copy of `rule`; `lead_years` more are allowed before the first match,
    for a rule that must be walked from a DTSTART long before the moment searched from."""
    bounded = YearBoundedRule.__new__(YearBoundedRule)
    bounded.__dict__.update(vars(rule))
    bounded.__dict__["_years"] = years
    bounded.__dict__["_years_left"] = years + max(0, lead_years) + _READS_AT_START
    bounded.gave_up = False
    return bounded


def bounded_set(
    rules: rruleset, query: datetime, years: int
) -> tuple[rruleset, list[YearBoundedRule]]:
    """A copy of `rules` whose RRULEs and EXRULEs are bounded to `years` between matches,
    and its bounded RRULEs (an EXRULE that gives up only excludes nothing more)."""

    def bounded(rule: RRule) -> YearBoundedRule:
        dtstart: datetime = vars(rule)["_dtstart"]
        return bound(rule, years, query.year - dtstart.year)

    result = rruleset()
    included = [bounded(rule) for rule in vars(rules)["_rrule"]]
    for rule in included:
        result.rrule(rule)
    for rule in vars(rules)["_exrule"]:
        result.exrule(bounded(rule))
    for moment in vars(rules)["_rdate"]:
        result.rdate(moment)
    for moment in vars(rules)["_exdate"]:
        result.exdate(moment)
    return result, included
