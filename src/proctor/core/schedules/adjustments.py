"""Schedule adjustments: serialisable functions that move a start time that passed the filters.

Adjustments are applied in order after filtering. Like filters they are frozen
dataclasses, so a schedule can be stored as JSON and rebuilt by the server.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from proctor.core.schedules._payload import check_keys, payload_type
from proctor.core.schedules._time import (
    ONE_DAY,
    add_interval,
    coerce_interval,
    interval_to_json,
    is_whole_days,
)

__all__ = [
    "Add",
    "Adjustment",
    "NextWeekday",
    "add",
    "adjustment_from_dict",
    "next_weekday",
]

# Wall-clock arithmetic across a DST change can move a time by the size of the change
# (at most two hours anywhere) on top of the nominal shift.
_DST_SLACK = timedelta(hours=3)


class Adjustment(ABC):
    """Moves a start time; `__call__(dt)` returns the adjusted datetime."""

    type_name: ClassVar[str]

    @abstractmethod
    def __call__(self, dt: datetime) -> datetime:
        """Return the adjusted datetime."""

    @abstractmethod
    def max_shift(self) -> timedelta:
        """An upper bound on how far forward this adjustment can move a time.

        The schedule uses it to look back far enough for times that the adjustment
        moves past the requested `after`.
        """

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict that `adjustment_from_dict` turns back into this object."""
        return {"type": self.type_name, **self._params()}

    def _params(self) -> dict[str, Any]:
        return {}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any], what: str) -> Adjustment:
        check_keys(data, what)
        return cls()


@dataclass(frozen=True)
class Add(Adjustment):
    """Add a fixed interval; whole days keep the local wall-clock time across DST."""

    interval: timedelta
    type_name: ClassVar[str] = "add"

    def __post_init__(self) -> None:
        object.__setattr__(self, "interval", coerce_interval(self.interval, "add interval"))

    def __call__(self, dt: datetime) -> datetime:
        return add_interval(dt, self.interval)

    def max_shift(self) -> timedelta:
        slack = _DST_SLACK if is_whole_days(self.interval) else timedelta(0)
        return max(self.interval, timedelta(0)) + slack

    def _params(self) -> dict[str, Any]:
        return {"interval": interval_to_json(self.interval)}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any], what: str) -> Adjustment:
        check_keys(data, what, required=["interval"])
        return cls(coerce_interval(data["interval"], f"{what} interval"))


@dataclass(frozen=True)
class NextWeekday(Adjustment):
    """Move Saturday and Sunday times to the following Monday at the same local time."""

    type_name: ClassVar[str] = "next_weekday"

    def __call__(self, dt: datetime) -> datetime:
        weekday = dt.weekday()
        if weekday < 5:
            return dt
        return add_interval(dt, (7 - weekday) * ONE_DAY)

    def max_shift(self) -> timedelta:
        return 2 * ONE_DAY + _DST_SLACK


def add(interval: timedelta | float) -> Adjustment:
    """Shift every time by `interval` (a timedelta or seconds; may be negative)."""
    return Add(coerce_interval(interval, "add interval"))


next_weekday: Adjustment = NextWeekday()
"""Move weekend times to the following Monday, keeping the local time of day."""


_REGISTRY: dict[str, type[Adjustment]] = {cls.type_name: cls for cls in (Add, NextWeekday)}


def adjustment_from_dict(data: object, what: str = "adjustment") -> Adjustment:
    """Rebuild an adjustment from `Adjustment.to_dict()`; raises ScheduleError if malformed."""
    kind, mapping = payload_type(data, what, _REGISTRY)
    return _REGISTRY[kind]._from_payload(mapping, f"{what} ({kind})")
