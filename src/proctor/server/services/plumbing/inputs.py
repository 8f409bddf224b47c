"""What callers send in batches: state changes and log lines.

Plain dataclasses (or dicts with the same keys) that the services validate in bulk, by
hand rather than through pydantic, because a batch may hold tens of thousands of them
and this is the hot path of every flow run reporting to the server.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, TypeVar

from proctor.server.errors import InvalidInput
from proctor.server.orchestration.states import ProposedState, parse_state
from proctor.server.services.plumbing.validation import json_value

C = TypeVar("C")

MAX_SLUG_CHARS = 500


@dataclass(slots=True)
class FlowRunStateChange:
    """Ask flow run `flow_run_id` to enter `state` (a `State.to_dict()`).

    `version`: the version the caller last saw (None: don't check). `agent_id`: the
    agent making the change (required to start a run it claimed). `force`: an explicit
    restart, allowed to leave a finished state.
    """

    flow_run_id: uuid.UUID | str
    state: dict[str, Any] | ProposedState
    version: int | None = None
    agent_id: uuid.UUID | str | None = None
    force: bool = False


@dataclass(slots=True)
class TaskRunStateChange:
    """Ask the task run (flow_run_id, task_slug, map_index) to enter `state`; the task
    run is created if it does not exist yet. `map_index` None means unmapped (-1)."""

    flow_run_id: uuid.UUID | str
    task_slug: str
    state: dict[str, Any] | ProposedState
    map_index: int | None = None
    version: int | None = None
    run_count: int | None = None
    force: bool = False
    #: The task's tags, with Submitted/Running: it takes its concurrency slots.
    tags: list[str] | None = None


@dataclass(slots=True)
class LogIn:
    """One log line of a flow run (and optionally of one of its task runs)."""

    flow_run_id: uuid.UUID | str
    message: str
    timestamp: datetime | str | float | None = None
    level: int | str = 20
    task_slug: str | None = None
    map_index: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def coerce(cls: type[C], item: Any, index: int) -> C:
    """`item` as a `cls` (dicts are converted; unknown keys are an error)."""
    if isinstance(item, cls):
        return item
    if isinstance(item, dict):
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        unknown = set(item) - names
        if unknown:
            raise InvalidInput(f"Item {index}: unknown field(s) {sorted(unknown)}")
        try:
            return cls(**item)
        except TypeError as exc:
            raise InvalidInput(f"Item {index}: {exc}") from None
    raise InvalidInput(f"Item {index} must be a {cls.__name__} or an object")


class UuidCache:
    """Parses ids once per distinct value (a batch repeats the same flow run id)."""

    def __init__(self) -> None:
        self._seen: dict[Any, uuid.UUID] = {}

    def __call__(self, value: Any, what: str, index: int) -> uuid.UUID:
        found = self._seen.get(value)
        if found is not None:
            return found
        if isinstance(value, uuid.UUID):
            parsed = value
        else:
            try:
                parsed = uuid.UUID(value)
            except (ValueError, TypeError, AttributeError):
                raise InvalidInput(
                    f"Item {index}: {what} must be a UUID, got {value!r:.60}",
                    details={"index": index, "field": what},
                ) from None
        self._seen[value] = parsed
        return parsed


def optional_int(value: Any, what: str, index: int, minimum: int | None = None) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(f"Item {index}: {what} must be an integer", details={"index": index})
    if minimum is not None and value < minimum:
        raise InvalidInput(f"Item {index}: {what} must be >= {minimum}", details={"index": index})
    return value


def slug_arg(value: Any, index: int) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_SLUG_CHARS:
        raise InvalidInput(
            f"Item {index}: task_slug must be a non-empty string of at most "
            f"{MAX_SLUG_CHARS} characters",
            details={"index": index, "field": "task_slug"},
        )
    return value


def state_arg(value: Any, index: int) -> ProposedState:
    where = f"changes[{index}].state"
    try:
        state = parse_state(value, where=where)
        if state.extra:  # stored in the history row's JSON
            json_value(state.extra, where)
    except InvalidInput as exc:
        exc.details.setdefault("index", index)
        raise
    return state


__all__ = [
    "FlowRunStateChange",
    "LogIn",
    "TaskRunStateChange",
    "UuidCache",
    "coerce",
    "optional_int",
    "slug_arg",
    "state_arg",
]
