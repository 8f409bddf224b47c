"""What earlier scheduler passes learnt about schedules that are costly to search.

A schedule's search is bounded (see `proctor.core.schedules.limits`), but a bounded
search that finds nothing still costs up to a few hundred milliseconds, and the scheduler
runs every few seconds. So the scheduler remembers, per flow group and for the exact
schedule it searched (any change to the schedule forgets it):

- clocks that stalled: found no start time within the search horizon (decades) after
  the pass. Searching them again before that horizon has passed would find nothing,
  so they are left out of later searches and reported as unusable;
- a quiet stretch: the filters rejected every candidate up to some time (the candidate
  budget ran out). No run can be due before then, so the whole search waits until that
  time comes within the scheduler's planning horizon.

The memory lives in one scheduler process; a restart or another replica learns it again
with one search.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the schedules package loads cronsim and dateutil: only when needed
    from proctor.core.schedules import Schedule, ScheduleSearch

__all__ = ["ScheduleMemory"]


@dataclass(frozen=True, slots=True)
class _Known:
    schedule: dict[str, Any]
    stalled: frozenset[int]
    quiet_until: datetime | None
    problem: str | None


class ScheduleMemory:
    """Per flow group: stalled clocks and the end of a known quiet stretch."""

    def __init__(self) -> None:
        self._known: dict[uuid.UUID, _Known] = {}

    def _recall(self, group: uuid.UUID, document: dict[str, Any]) -> _Known | None:
        known = self._known.get(group)
        return known if known is not None and known.schedule == document else None

    def stalled(self, group: uuid.UUID, document: dict[str, Any]) -> frozenset[int]:
        """Clocks of this schedule known to have no time within the search horizon."""
        known = self._recall(group, document)
        return known.stalled if known else frozenset()

    def needs_search(
        self,
        group: uuid.UUID,
        document: dict[str, Any],
        schedule: Schedule,
        planning_end: datetime,
    ) -> bool:
        """False when no run can be due by `planning_end`: every clock stalled, or the
        known quiet stretch lasts past it."""
        known = self._recall(group, document)
        if known is None:
            return True
        if len(known.stalled) >= len(schedule.clocks):
            return False
        return known.quiet_until is None or known.quiet_until <= planning_end

    def learn(
        self,
        group: uuid.UUID,
        document: dict[str, Any],
        schedule: Schedule,
        found: ScheduleSearch,
    ) -> None:
        """Keep what a search of this schedule (without the known stalled clocks) showed."""
        stalled = self.stalled(group, document) | found.stalled_clocks
        quiet = found.searched_until if found.cut_short and not found.events else None
        self._known[group] = _Known(document, stalled, quiet, _describe(schedule, stalled))

    def problem(self, group: uuid.UUID, document: dict[str, Any]) -> str | None:
        """Why some of this schedule's clocks are not used, for the scheduler's report."""
        known = self._recall(group, document)
        return known.problem if known else None

    def keep_only(self, groups: set[uuid.UUID]) -> None:
        """Forget flow groups whose schedule is no longer active."""
        for group in list(self._known):
            if group not in groups:
                del self._known[group]


def _describe(schedule: Schedule, stalled: frozenset[int]) -> str | None:
    if not stalled:
        return None
    from proctor.core.schedules import SEARCH_HORIZON_YEARS

    clocks = schedule.clocks
    named = "; ".join(f"clocks[{index}] ({clocks[index]!r})" for index in sorted(stalled))
    return (
        f"{named}: no start time within {SEARCH_HORIZON_YEARS} years, it may never fire; "
        "not searched again until the schedule changes"
    )
