"""Reading the JSON dicts that schedules, clocks, filters and adjustments are stored as.

Every problem raises ScheduleError naming the part of the payload at fault, so a bad
dict from the server's database is reported as such instead of as a KeyError.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from proctor.core.errors import ScheduleError


def payload_type(data: object, what: str, known: Iterable[str]) -> tuple[str, Mapping[str, Any]]:
    """Return (type name, mapping) after checking that `data` is a dict with a known type."""
    if not isinstance(data, Mapping):
        raise ScheduleError(f"{what} must be a dict, got {data!r}.")
    kind = data.get("type")
    names = sorted(known)
    if kind not in names:
        raise ScheduleError(
            f"{what} has unknown type {kind!r} in {dict(data)!r}; expected one of {names}."
        )
    return str(kind), data


def check_keys(
    data: Mapping[str, Any],
    what: str,
    *,
    required: Iterable[str] = (),
    optional: Iterable[str] = (),
) -> None:
    """Raise ScheduleError if `data` misses a required key or has an unexpected one."""
    required = set(required)
    allowed = required | set(optional) | {"type"}
    unknown = [key for key in data if key not in allowed]
    if unknown:
        raise ScheduleError(
            f"{what} has unexpected key(s) {unknown!r}; allowed keys are {sorted(allowed)}."
        )
    missing = sorted(required - set(data))
    if missing:
        raise ScheduleError(f"{what} is missing key(s) {missing} in {dict(data)!r}.")


def list_field(data: Mapping[str, Any], key: str, what: str) -> list[Any]:
    """A list stored under `key` (missing or null means empty)."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ScheduleError(f"{what}[{key!r}] must be a list, got {value!r}.")
    return list(value)
