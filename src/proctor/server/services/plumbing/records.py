"""What services return: plain frozen dataclasses, never ORM objects.

The API layer only ever sees these, so it never holds a session, never triggers a lazy
load and cannot accidentally write. Field names follow the database columns.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

if TYPE_CHECKING:
    from proctor.server.orchestration import Outcome, RunSnapshot

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a cursor-paginated list; pass `end_cursor` as `after` for the next."""

    items: list[T]
    end_cursor: str | None
    has_next_page: bool
    total_count: int | None = None


@dataclass(frozen=True, slots=True)
class Project:
    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    description: str | None
    created: datetime
    updated: datetime
    flow_count: int = 0


@dataclass(frozen=True, slots=True)
class FlowGroup:
    """A flow across its versions: owns the schedule and whether it is active."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    project_id: uuid.UUID
    name: str
    schedule: dict[str, Any] | None
    schedule_active: bool
    labels: list[str]
    created: datetime
    updated: datetime


@dataclass(frozen=True, slots=True)
class TaskInfo:
    """A node of a flow version."""

    id: uuid.UUID
    slug: str
    name: str
    type: str
    mapped: bool
    tags: list[str]
    retries: int
    retry_delay: float | None
    timeout: float | None
    trigger: str
    is_parameter: bool
    is_reference: bool
    description: str | None


@dataclass(frozen=True, slots=True)
class Edge:
    upstream: str
    downstream: str
    key: str | None
    mapped: bool
    flatten: bool


@dataclass(frozen=True, slots=True)
class FlowVersion:
    """One registered version of a flow. `tasks`, `edges` and `spec` are filled by
    `get_flow` (None in lists, to keep pages small)."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    project_id: uuid.UUID
    project_name: str
    flow_group_id: uuid.UUID
    name: str
    version: int
    description: str | None
    fingerprint: str
    parameters: list[dict[str, Any]]
    parameter_schema: dict[str, Any]
    storage: dict[str, Any] | None
    labels: list[str]
    run_config: dict[str, Any]
    schedule: dict[str, Any] | None
    schedule_active: bool
    archived: bool
    created: datetime
    tasks: list[TaskInfo] | None = None
    edges: list[Edge] | None = None
    spec: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class RegisterResult:
    flow: FlowVersion
    status: Literal["new", "unchanged"]
    archived: list[uuid.UUID]


@dataclass(frozen=True, slots=True)
class FlowRun:
    id: uuid.UUID
    tenant_id: uuid.UUID
    flow_id: uuid.UUID
    flow_group_id: uuid.UUID
    flow_name: str
    name: str
    state: str
    state_type: str
    state_message: str | None
    state_timestamp: datetime
    version: int
    run_count: int
    parameters: dict[str, Any]
    labels: list[str]
    scheduled_start_time: datetime
    start_time: datetime | None
    end_time: datetime | None
    idempotency_key: str | None
    auto_scheduled: bool
    agent_id: uuid.UUID | None
    heartbeat: datetime | None
    result_location: str | None
    created: datetime
    updated: datetime
    backfill_id: uuid.UUID | None = None  # the backfill that made the run


@dataclass(frozen=True, slots=True)
class TaskRun:
    id: uuid.UUID
    tenant_id: uuid.UUID
    flow_run_id: uuid.UUID
    task_slug: str
    map_index: int
    state: str
    state_type: str
    state_message: str | None
    state_timestamp: datetime
    version: int
    run_count: int
    start_time: datetime | None
    end_time: datetime | None
    result_location: str | None
    created: datetime
    updated: datetime


@dataclass(frozen=True, slots=True)
class StateRecord:
    """One row of a run's state history."""

    id: uuid.UUID
    state: str
    state_type: str
    message: str | None
    timestamp: datetime
    start_time: datetime | None
    result_location: str | None
    version: int
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LogLine:
    id: int
    flow_run_id: uuid.UUID
    task_slug: str | None
    map_index: int | None
    timestamp: datetime
    level: int
    level_name: str
    message: str
    extra: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Agent:
    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    labels: list[str]
    version: str | None
    last_heartbeat: datetime | None
    created: datetime
    runs_in_flight: int = 0
    # When the agent said it stopped cleanly (None: it did not, or it came back since).
    stopped_at: datetime | None = None
    # What keeps it from starting runs, as its last heartbeat said (None: nothing).
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class TransitionResult:
    """The outcome of one requested state change, in the order the changes were sent.

    `accepted` is also true for an exact repeat (nothing written). On rejection `state`
    and `version` are the run's current ones, `code` a stable error code
    (STALE_VERSION, TRANSITION_REJECTED, FORBIDDEN, NOT_FOUND) and `reason` a sentence.
    `id` is None only when the run does not exist.
    """

    id: uuid.UUID | None
    accepted: bool
    state: str | None
    version: int
    code: str | None = None
    reason: str | None = None
    state_type: str | None = None
    rule: str | None = None

    @classmethod
    def no_flow_run(cls, flow_run_id: uuid.UUID, id: uuid.UUID | None) -> TransitionResult:
        return cls(id, False, None, 0, "NOT_FOUND", f"No flow run {flow_run_id}")

    @classmethod
    def kept(cls, run: RunSnapshot, outcome: Outcome, state_type: str | None) -> TransitionResult:
        """Refused, or an exact repeat: the run as it is."""
        return cls(
            run.id,
            outcome.accepted,
            run.state,
            run.version,
            outcome.code,
            outcome.reason,
            state_type,
            outcome.rule,
        )

    @classmethod
    def written(cls, new: RunSnapshot, outcome: Outcome, state_type: str) -> TransitionResult:
        """Accepted and written: the run as it is now (a rule may have rewritten it)."""
        reason = outcome.reason if outcome.kind == "rewrite" else None
        return cls(new.id, True, new.state, new.version, None, reason, state_type, outcome.rule)


@dataclass(frozen=True, slots=True)
class TaskRunSummary:
    """What a run process needs to know of an existing task run when it (re)starts."""

    id: uuid.UUID
    task_slug: str
    map_index: int
    state: str
    state_type: str
    state_message: str | None
    state_timestamp: datetime
    version: int
    run_count: int
    result_location: str | None


@dataclass(frozen=True, slots=True)
class FlowRunContext:
    """Everything a run process needs to start, read in one transaction: the run, its
    flow version with the full spec (incl. storage), and all its task runs (their states
    and result locations, so a restarted or re-queued run reuses what succeeded)."""

    flow_run: FlowRun
    flow: FlowVersion
    task_runs: list[TaskRunSummary]


__all__ = [
    "Agent",
    "Edge",
    "FlowGroup",
    "FlowRun",
    "FlowRunContext",
    "FlowVersion",
    "LogLine",
    "Page",
    "Project",
    "RegisterResult",
    "StateRecord",
    "TaskInfo",
    "TaskRun",
    "TaskRunSummary",
    "TransitionResult",
]
