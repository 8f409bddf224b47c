"""How far a clock searches for its next time before giving up.

A clock that can never fire (an RRULE for 30 February) would otherwise be searched until
the calendar ends: dateutil walks such a rule to the year 9999, which takes seconds and,
in a server that asks every few seconds, keeps a core busy. So every search is bounded:

- by a horizon: a clock that finds no time within `SEARCH_HORIZON_YEARS` calendar years
  after the moment searched from (or after its previous time) gives up;
- by an iteration cap: a clock that must step over more than `MAX_SKIPPED_CANDIDATES`
  times at or before that moment to reach it (an RRULE with a COUNT and a DTSTART long
  ago) gives up too.

Giving up raises `SearchLimitReached`, so that callers can tell "this clock has ended"
(its iterator just stops) from "this clock was searched as far as we allow and found
nothing". The horizon matches cronsim's own limit: it stops a cron search after 50 years
without a match.
"""

from __future__ import annotations

from proctor.core.errors import ScheduleError

__all__ = ["MAX_SKIPPED_CANDIDATES", "SEARCH_HORIZON_YEARS", "SearchLimitReached"]

SEARCH_HORIZON_YEARS = 50
"""Calendar years a clock searches past its previous time (or the start) before giving up.

Long enough for the sparsest real rules (29 February on a Monday recurs after up to 40
years), short enough that a rule that never matches costs milliseconds."""

MAX_SKIPPED_CANDIDATES = 100_000
"""Times a clock may step over before reaching the moment searched from."""


class SearchLimitReached(ScheduleError):
    """A clock was searched up to the limits above without finding its next time."""

    def __init__(self, message: str, *, clock: object = None) -> None:
        super().__init__(message)
        self.clock = clock
