"""The server's view of states: names, families, and parsing what clients send.

Clients send a state as `State.to_dict()` output (`{"type": "Retrying", "message": ...,
"timestamp": ..., "start_time": ..., "run_count": ...}`). The server keeps two names per
state: `state` (the class name, e.g. "Retrying") and `state_type`, its *family* (e.g.
"Scheduled"), which filters, dashboards and the orchestration rules reason about:

    Pending  Scheduled  Submitted  Running  Paused  Cancelling    (not finished)
    Success  Failed  Cancelled  Finished                          (finished)

The classes come from `proctor.core.states`, imported for their names and hierarchy only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from proctor.core import states as core_states
from proctor.server.errors import InvalidInput

# Most specific first: the first base a class derives from names its family.
_FAMILIES: tuple[type[core_states.State], ...] = (
    core_states.Scheduled,
    core_states.Pending,
    core_states.Submitted,
    core_states.Running,
    core_states.Paused,
    core_states.Cancelling,
    core_states.Success,
    core_states.Failed,
    core_states.Cancelled,
    core_states.Finished,
)

FAMILY_OF: dict[str, str] = {
    name: next(family.__name__ for family in _FAMILIES if issubclass(cls, family))
    for name, cls in core_states.STATE_TYPES.items()
}
STATE_NAMES = frozenset(FAMILY_OF)
FAMILIES = frozenset(FAMILY_OF.values())
FINISHED_FAMILIES = frozenset({"Success", "Failed", "Cancelled", "Finished"})
FINISHED_STATES = frozenset(
    name for name, cls in core_states.STATE_TYPES.items() if issubclass(cls, core_states.Finished)
)
NOT_STARTED_FAMILIES = frozenset({"Pending", "Scheduled"})

_KNOWN_KEYS = frozenset(
    {"type", "message", "timestamp", "start_time", "result_location", "run_count"}
)
MAX_MESSAGE_CHARS = 10_000


def family_of(name: str) -> str:
    return FAMILY_OF[name]


def is_finished(name_or_family: str | None) -> bool:
    return name_or_family in FINISHED_FAMILIES or name_or_family in FINISHED_STATES


def parse_timestamp(value: Any, what: str) -> datetime | None:
    """ISO-8601 text, a datetime or epoch seconds -> aware UTC datetime."""
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"{what} is not an ISO-8601 timestamp: {value!r}") from None
    elif isinstance(value, int | float) and not isinstance(value, bool):
        try:
            parsed = datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            raise InvalidInput(f"{what} is out of range: {value!r}") from None
    else:
        raise InvalidInput(f"{what} must be a timestamp, got {type(value).__name__}")
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class ProposedState:
    """A state a caller asks a run to enter (validated, timestamps as aware UTC)."""

    name: str
    message: str | None = None
    timestamp: datetime = field(default_factory=lambda: datetime.now(UTC))
    start_time: datetime | None = None
    result_location: str | None = None
    run_count: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def type(self) -> str:
        """The family (`state_type` column)."""
        return FAMILY_OF[self.name]

    @property
    def finished(self) -> bool:
        return self.name in FINISHED_STATES

    def history_data(self) -> dict[str, Any]:
        """What the history row keeps beyond its columns (e.g. run_count, map_count)."""
        data = dict(self.extra)
        if self.run_count is not None:
            data["run_count"] = self.run_count
        return data

    def with_name(self, name: str, message: str | None = None) -> ProposedState:
        return ProposedState(
            name=name,
            message=self.message if message is None else message,
            timestamp=self.timestamp,
            start_time=self.start_time,
            result_location=self.result_location,
            run_count=self.run_count,
            extra=self.extra,
        )


def parse_state(raw: Mapping[str, Any] | ProposedState, *, where: str = "state") -> ProposedState:
    """Validate a state dict from a client; raise `InvalidInput` naming what is wrong."""
    if isinstance(raw, ProposedState):
        return raw
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{where} must be an object like State.to_dict()")
    name = raw.get("type")
    if not isinstance(name, str) or name not in FAMILY_OF:
        raise InvalidInput(
            f"{where}.type must be one of {', '.join(sorted(STATE_NAMES))}; got {name!r}",
            details={"field": f"{where}.type"},
        )
    message = raw.get("message")
    if message is not None:
        if not isinstance(message, str):
            raise InvalidInput(f"{where}.message must be a string")
        if len(message) > MAX_MESSAGE_CHARS:
            message = message[: MAX_MESSAGE_CHARS - 1] + "…"
    location = raw.get("result_location")
    if location is not None and not isinstance(location, str):
        raise InvalidInput(f"{where}.result_location must be a string")
    run_count = raw.get("run_count")
    if run_count is not None and (
        not isinstance(run_count, int) or isinstance(run_count, bool) or run_count < 0
    ):
        raise InvalidInput(f"{where}.run_count must be a non-negative integer")
    timestamp = parse_timestamp(raw.get("timestamp"), f"{where}.timestamp")
    extra = {k: v for k, v in raw.items() if k not in _KNOWN_KEYS}
    return ProposedState(
        name=name,
        message=message,
        timestamp=timestamp or datetime.now(UTC),
        start_time=parse_timestamp(raw.get("start_time"), f"{where}.start_time"),
        result_location=location,
        run_count=run_count,
        extra=extra,
    )


__all__ = [
    "FAMILIES",
    "FAMILY_OF",
    "FINISHED_FAMILIES",
    "FINISHED_STATES",
    "NOT_STARTED_FAMILIES",
    "STATE_NAMES",
    "ProposedState",
    "family_of",
    "is_finished",
    "parse_state",
    "parse_timestamp",
]
