"""The states a task run or flow run passes through.

    State
    ├── Pending
    │   ├── Scheduled          (has start_time)
    │   │   └── Retrying       (a retry waiting for its start_time)
    │   └── Queued             (ready, waiting for a concurrency slot of a tag)
    ├── Submitted
    ├── Running
    ├── Paused                 (waits for approval)
    ├── Cancelling
    ├── Finished
    │   ├── Looped             (raised LOOP: runs again at once; never a task's last state)
    │   ├── Success
    │   │   ├── Cached
    │   │   ├── Mapped         (holds map_states, the children's states)
    │   │   └── Skipped
    │   ├── Failed
    │   │   ├── TriggerFailed
    │   │   └── TimedOut
    │   └── Cancelled

States are small immutable-by-convention objects created on the hot path, so they use
`__slots__` and store the timestamp as epoch seconds; `.timestamp` builds the datetime only
when somebody asks.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from proctor.core.artifacts import Artifact
    from proctor.core.results.info import ResultInfo

_NO_RESULT: Any = object()


class StateResult:
    """A state's value and where it was persisted, as 1.x code reads it from
    `state._result` (`.value`, `.location`)."""

    __slots__ = ("location", "value")

    def __init__(self, value: Any = None, location: str | None = None) -> None:
        self.value = value
        self.location = location

    def __repr__(self) -> str:
        return f"<StateResult location={self.location!r}>"


class State:
    """Base of every state: a message, a timestamp, a result and its persisted location."""

    # What a task run's attempt published and where its result went (few states have
    # them); read through the properties, which also cope with states pickled without.
    __slots__ = ("_artifacts", "_result_info", "_value", "created", "message", "result_location")

    def __init__(
        self,
        message: str | None = None,
        result: Any = None,
        *,
        result_location: str | None = None,
        created: float | None = None,
    ) -> None:
        self.message = message
        self._value = result
        self.result_location = result_location
        self.created = time.time() if created is None else created
        self._artifacts: tuple[Artifact, ...] = ()
        self._result_info: ResultInfo | None = None

    @property
    def result(self) -> Any:
        """The value (task runs), the map of node states (flow runs) or the exception."""
        return self._value

    @result.setter
    def result(self, value: Any) -> None:
        self._value = value

    @property
    def _result(self) -> StateResult:
        """The 1.x view of the result: `.value` and `.location` (None when not persisted)."""
        return StateResult(self._value, self.result_location)

    @_result.setter
    def _result(self, value: Any) -> None:
        if isinstance(value, StateResult):
            self._value, self.result_location = value.value, value.location
        else:
            self._value = value

    @property
    def artifacts(self) -> tuple[Artifact, ...]:
        """The artifacts the task run published in the attempt that ended in this state."""
        try:
            return self._artifacts
        except AttributeError:
            return ()

    @artifacts.setter
    def artifacts(self, value: tuple[Artifact, ...]) -> None:
        self._artifacts = value

    @property
    def result_info(self) -> ResultInfo | None:
        """Where and how the result was persisted (size, serializer), when it was."""
        try:
            return self._result_info
        except AttributeError:
            return None

    @result_info.setter
    def result_info(self, value: ResultInfo | None) -> None:
        self._result_info = value

    @property
    def cached_inputs(self) -> dict[str, Any]:
        """1.x's inputs kept for a rerun; Proctor reruns from the graph, so always empty."""
        return {}

    @property
    def timestamp(self) -> datetime:
        """When this state was entered, as an aware UTC datetime."""
        return datetime.fromtimestamp(self.created, UTC)

    @timestamp.setter
    def timestamp(self, value: datetime) -> None:
        # A state handler may back- or forward-date a state (1.x allows it); naive is UTC.
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        self.created = value.timestamp()

    @property
    def name(self) -> str:
        return type(self).__name__

    def is_pending(self) -> bool:
        return isinstance(self, Pending)

    def is_scheduled(self) -> bool:
        return isinstance(self, Scheduled)

    def is_retrying(self) -> bool:
        return isinstance(self, Retrying)

    def is_submitted(self) -> bool:
        return isinstance(self, Submitted)

    def is_running(self) -> bool:
        return isinstance(self, Running)

    def is_paused(self) -> bool:
        return isinstance(self, Paused)

    def is_finished(self) -> bool:
        return isinstance(self, Finished)

    def is_successful(self) -> bool:
        return isinstance(self, Success)

    def is_failed(self) -> bool:
        return isinstance(self, Failed)

    def is_skipped(self) -> bool:
        return isinstance(self, Skipped)

    def is_cached(self) -> bool:
        return isinstance(self, Cached)

    def is_mapped(self) -> bool:
        return isinstance(self, Mapped)

    def is_cancelled(self) -> bool:
        return isinstance(self, Cancelled)

    def is_looped(self) -> bool:
        return isinstance(self, Looped)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description: never the result itself, only its location."""
        data: dict[str, Any] = {
            "type": self.name,
            "message": self.message,
            "timestamp": self.timestamp.isoformat(),
            "result_location": self.result_location,
        }
        info = self.result_info
        if info is not None:
            data["result_info"] = info.to_dict()
        return data

    def __repr__(self) -> str:
        if self.message:
            return f"<{self.name}: {self.message!r}>"
        return f"<{self.name}>"


class Pending(State):
    """Not started yet."""

    __slots__ = ()


class Scheduled(Pending):
    """Waiting for `start_time` (None means as soon as possible)."""

    __slots__ = ("start_time",)

    def __init__(
        self,
        message: str | None = None,
        result: Any = None,
        *,
        start_time: float | None = None,
        result_location: str | None = None,
        created: float | None = None,
    ) -> None:
        super().__init__(message, result, result_location=result_location, created=created)
        self.start_time = start_time

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["start_time"] = (
            None
            if self.start_time is None
            else datetime.fromtimestamp(self.start_time, UTC).isoformat()
        )
        return data


class Retrying(Scheduled):
    """A failed attempt that will run again at `start_time`; `run_count` attempts so far.

    `failure` is the state of the attempt that failed (`Failed`, `TimedOut`), when the
    engine made this state from one: state handlers see `Running -> Failed` and then
    `Failed -> Retrying`, as in 1.x."""

    __slots__ = ("failure", "run_count")

    def __init__(
        self,
        message: str | None = None,
        result: Any = None,
        *,
        start_time: float | None = None,
        run_count: int = 1,
        created: float | None = None,
        failure: State | None = None,
    ) -> None:
        super().__init__(message, result, start_time=start_time, created=created)
        self.run_count = run_count
        self.failure = failure

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["run_count"] = self.run_count
        return data


class Queued(Pending):
    """Ready to run, but held back until a concurrency slot of one of its tags is free
    (task-run concurrency limits, enforced by the server for runs it orchestrates)."""

    __slots__ = ()


class Submitted(State):
    """Handed to an executor or an agent, not yet running."""

    __slots__ = ()


class Running(State):
    """Executing now."""

    __slots__ = ()


class Paused(State):
    """Waiting for approval: resume with `flow.run(..., resume=[node])` or from the UI."""

    __slots__ = ()


class Cancelling(State):
    """Cancellation was requested and is being carried out."""

    __slots__ = ()


class Finished(State):
    """Base of every state that ends a run."""

    __slots__ = ()


class Looped(Finished):
    """Raised LOOP: the task runs again at once; `loop_count` iterations so far."""

    __slots__ = ("loop_count",)

    def __init__(
        self,
        message: str | None = None,
        result: Any = None,
        *,
        loop_count: int = 1,
        result_location: str | None = None,
        created: float | None = None,
    ) -> None:
        super().__init__(message, result, result_location=result_location, created=created)
        self.loop_count = loop_count

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["loop_count"] = self.loop_count
        return data


class Success(Finished):
    """Finished with a value."""

    __slots__ = ()


class Cached(Success):
    """Finished with a value that is in the task's cache: reused instead of running
    (`reused` True), or computed now and stored there for later runs (`reused` False, as
    1.x reports a task with `cache_for` on its first run)."""

    __slots__ = ("cached_at", "reused")

    def __init__(
        self,
        message: str | None = None,
        result: Any = None,
        *,
        cached_at: float | None = None,
        reused: bool = True,
        result_location: str | None = None,
        created: float | None = None,
    ) -> None:
        super().__init__(message, result, result_location=result_location, created=created)
        self.cached_at = cached_at
        self.reused = reused


class Mapped(Success):
    """A mapped task: its children ran; `map_states` holds their states in order.

    The node's value (`result`) is the list of the children's values. A Mapped state is
    successful only when every child is, and failed when any child failed.
    """

    __slots__ = ("map_states",)

    def __init__(
        self,
        message: str | None = None,
        result: Any = None,
        *,
        map_states: list[State] | None = None,
        created: float | None = None,
    ) -> None:
        super().__init__(message, result, created=created)
        self.map_states: list[State] = map_states if map_states is not None else []

    def is_successful(self) -> bool:
        return all(child.is_successful() for child in self.map_states)

    def is_failed(self) -> bool:
        return any(child.is_failed() for child in self.map_states)

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["map_count"] = len(self.map_states)
        return data


class Skipped(Success):
    """Finished without running (a SKIP signal, an upstream skip, a false `case`)."""

    __slots__ = ()


class Failed(Finished):
    """Finished with an error; `result` holds the exception when there is one."""

    __slots__ = ()


class TriggerFailed(Failed):
    """Never ran because its trigger did not pass (e.g. an upstream task failed)."""

    __slots__ = ()


class TimedOut(Failed):
    """Stopped waiting for the task after its `timeout`."""

    __slots__ = ()


class Cancelled(Finished):
    """Stopped on request."""

    __slots__ = ()


ALL_STATES: tuple[type[State], ...] = (
    Pending,
    Scheduled,
    Retrying,
    Queued,
    Submitted,
    Running,
    Paused,
    Cancelling,
    Finished,
    Success,
    Cached,
    Mapped,
    Skipped,
    Failed,
    TriggerFailed,
    TimedOut,
    Cancelled,
)

# Looped is not among them: it lives inside one task run and is never reported.
STATE_TYPES: dict[str, type[State]] = {cls.__name__: cls for cls in ALL_STATES}


def state_from_dict(data: dict[str, Any]) -> State:
    """Rebuild a state (without its result value) from `State.to_dict()` output."""
    try:
        cls = STATE_TYPES[data["type"]]
    except KeyError:
        raise ValueError(f"Unknown state type in {data!r}") from None
    created = (
        datetime.fromisoformat(data["timestamp"]).timestamp() if data.get("timestamp") else None
    )
    state = cls.__new__(cls)
    State.__init__(
        state,
        data.get("message"),
        None,
        result_location=data.get("result_location"),
        created=created,
    )
    if isinstance(state, Scheduled):
        start = data.get("start_time")
        state.start_time = datetime.fromisoformat(start).timestamp() if start else None
    if isinstance(state, Retrying):
        state.run_count = int(data.get("run_count", 1))
    if isinstance(state, Cached):
        state.cached_at = None
        state.reused = True
    if isinstance(state, Mapped):
        state.map_states = []
    return state


__all__ = [
    "ALL_STATES",
    "STATE_TYPES",
    "Cached",
    "Cancelled",
    "Cancelling",
    "Failed",
    "Finished",
    "Looped",
    "Mapped",
    "Paused",
    "Pending",
    "Queued",
    "Retrying",
    "Running",
    "Scheduled",
    "Skipped",
    "State",
    "StateResult",
    "Submitted",
    "Success",
    "TimedOut",
    "TriggerFailed",
    "state_from_dict",
]
