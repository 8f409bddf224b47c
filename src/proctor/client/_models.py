"""Typed results and inputs of the client: pydantic models mirroring the GraphQL types.

Results are read from the server's camelCase JSON (`alias_generator=to_camel`) into
snake_case attributes, ignore fields they do not know (an older client keeps working
against a newer server), and are frozen: a result is a snapshot, not a live object.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from proctor.core.states import State

T = TypeVar("T")


class _Result(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True
    )


class Project(_Result):
    id: str
    name: str
    description: str | None = None
    created: datetime | None = None


class FlowTask(_Result):
    slug: str
    name: str
    type: str = ""
    mapped: bool = False
    tags: list[str] = Field(default_factory=list)
    retries: int = 0
    trigger: str = ""
    is_parameter: bool = False
    is_reference: bool = False


class Flow(_Result):
    id: str
    name: str
    version: int
    flow_group_id: str | None = None
    project_id: str | None = None
    project_name: str | None = None
    description: str | None = None
    archived: bool = False
    labels: list[str] = Field(default_factory=list)
    fingerprint: str | None = None
    parameter_schema: dict[str, Any] = Field(default_factory=dict)
    storage: dict[str, Any] | None = None
    run_config: dict[str, Any] = Field(default_factory=dict)
    schedule: dict[str, Any] | None = None
    schedule_active: bool = False
    created: datetime | None = None
    tasks: list[FlowTask] = Field(default_factory=list)
    spec: dict[str, Any] | None = None


class FlowGroup(_Result):
    """A flow across its versions: it owns the schedule."""

    id: str
    name: str
    project_id: str | None = None
    schedule: dict[str, Any] | None = None
    schedule_active: bool = False
    labels: list[str] = Field(default_factory=list)


class StateRecord(_Result):
    """One row of a run's state history."""

    state: str
    state_type: str | None = None
    message: str | None = None
    timestamp: datetime | None = None
    start_time: datetime | None = None
    result_location: str | None = None
    version: int | None = None


class FlowRun(_Result):
    id: str
    name: str
    flow_id: str
    state: str
    version: int
    flow_name: str | None = None
    state_type: str | None = None
    state_message: str | None = None
    state_timestamp: datetime | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    labels: list[str] = Field(default_factory=list)
    scheduled_start_time: datetime | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    idempotency_key: str | None = None
    created: datetime | None = None
    states: list[StateRecord] = Field(default_factory=list)
    flow_group_id: str | None = None
    run_count: int = 0
    agent_id: str | None = None
    heartbeat: datetime | None = None
    auto_scheduled: bool = False


class FlowRunConfig(_Result):
    """The run config an agent starts a run with: the flow's, with the run's own `env`
    over it (`override`: that part alone, None when the run overrode nothing)."""

    flow_run_id: str
    run_config: dict[str, Any] = Field(default_factory=dict)
    override: dict[str, Any] | None = None


class TaskRun(_Result):
    id: str
    flow_run_id: str
    task_slug: str
    map_index: int
    state: str
    version: int
    state_type: str | None = None
    state_message: str | None = None
    state_timestamp: datetime | None = None
    run_count: int = 0
    start_time: datetime | None = None
    end_time: datetime | None = None
    result_location: str | None = None


class TaskRunSummary(_Result):
    """An existing task run as a starting run process sees it (`FlowRunContext`)."""

    id: str
    task_slug: str
    map_index: int
    state: str
    version: int
    state_type: str | None = None
    state_message: str | None = None
    state_timestamp: datetime | None = None
    run_count: int = 0
    result_location: str | None = None


class FlowRunContext(_Result):
    """What a run process reads to start (`get_flow_run_context`), one snapshot: the run,
    its flow version with the full spec (incl. storage), and every task run with its
    state, version, run count and result location (to reuse what already succeeded)."""

    flow_run: FlowRun
    flow: Flow
    task_runs: list[TaskRunSummary] = Field(default_factory=list)

    @property
    def spec(self) -> dict[str, Any]:
        """The FlowSpec as registered (`flow.serialize()` output, with `storage`)."""
        return self.flow.spec or {}

    @property
    def storage(self) -> dict[str, Any] | None:
        return self.flow.storage

    @property
    def parameters(self) -> dict[str, Any]:
        return self.flow_run.parameters

    @property
    def version(self) -> int:
        """The flow run's version (pass it back with its next state change)."""
        return self.flow_run.version

    @property
    def state(self) -> str:
        return self.flow_run.state


class LogEntry(_Result):
    id: str
    flow_run_id: str
    level: int
    message: str
    timestamp: datetime
    level_name: str | None = None
    task_slug: str | None = None
    map_index: int | None = None
    name: str | None = None


class Agent(_Result):
    id: str
    name: str
    labels: list[str] = Field(default_factory=list)
    version: str | None = None
    last_heartbeat: datetime | None = None
    created: datetime | None = None
    runs_in_flight: int = 0
    health: str | None = None  # HEALTHY, LATE, UNHEALTHY (when the query selected it)
    problem: str | None = None  # what keeps it from starting runs (its daemon is down)


class SecretInfo(_Result):
    """A team secret as listed: its name and who set it when, never its value."""

    name: str
    created: datetime | None = None
    updated: datetime | None = None
    created_by: str | None = None
    updated_by: str | None = None


class RunCount(_Result):
    bucket_start: datetime
    state: str
    count: int


class SlotHolder(_Result):
    """A flow run (`task_run_id` None) or a task run holding a slot of a limit."""

    flow_run_id: str
    flow_run_name: str
    task_run_id: str | None = None
    task_slug: str | None = None
    map_index: int | None = None
    state: str
    acquired: datetime


class ConcurrencyLimit(_Result):
    """A concurrency limit (`kind` "flow_label" or "task_tag") and its usage now."""

    id: str
    kind: str
    key: str
    limit: int
    in_use: int = 0
    holders: list[SlotHolder] = Field(default_factory=list)
    created: datetime | None = None
    updated: datetime | None = None


class SlotGrant(_Result):
    """The answer to one slot request; `code` QUEUED means: no slot free, ask again."""

    granted: bool
    task_run_id: str | None = None
    code: str | None = None
    reason: str | None = None


class TaskRunSlots(_Result):
    results: list[SlotGrant] = Field(default_factory=list)
    limited_tags: list[str] = Field(default_factory=list)


class TransitionResult(_Result):
    """The outcome of one state change of a batch: accepted, or why not (`code`)."""

    id: str
    accepted: bool
    state: str | None = None
    version: int | None = None
    code: str | None = None
    reason: str | None = None


class RegisterResult(_Result):
    flow: Flow
    status: str
    archived: list[str] = Field(default_factory=list)


class Page(_Result, Generic[T]):
    """One page of a list; pass `end_cursor` as `after` to get the next one."""

    items: list[T]
    end_cursor: str | None = None
    has_next_page: bool = False
    total_count: int | None = None


# -- inputs ------------------------------------------------------------------------------


def state_input(state: State | dict[str, Any]) -> dict[str, Any]:
    """A state as the server reads it: `State.to_dict()` (or a dict in that shape)."""
    if isinstance(state, dict):
        return state
    return state.to_dict()


class FlowRunStateChange(BaseModel):
    """Move a flow run to `state`, if its version is still `version` (None: any).

    `agent_id` says which agent asks: the one that claimed the run sends it to start the
    run (Running) or to re-queue it (Scheduled, e.g. a flow-level retry)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    flow_run_id: str
    state: Any
    version: int | None = None
    agent_id: str | None = None

    def to_input(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "flowRunId": self.flow_run_id,
            "state": state_input(self.state),
            "version": self.version,
        }
        if self.agent_id is not None:
            item["agentId"] = self.agent_id
        return item


class TaskRunStateChange(BaseModel):
    """Move a task run (created on the fly if new) to `state`, if still at `version`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    flow_run_id: str
    task_slug: str
    state: Any
    map_index: int = -1
    version: int | None = None

    def to_input(self) -> dict[str, Any]:
        return {
            "flowRunId": self.flow_run_id,
            "taskSlug": self.task_slug,
            "mapIndex": self.map_index,
            "state": state_input(self.state),
            "version": self.version,
        }


class LogRecord(BaseModel):
    """One log line to send with `write_logs`."""

    flow_run_id: str
    message: str
    level: int = 20
    timestamp: datetime | None = None
    task_slug: str | None = None
    map_index: int | None = None
    name: str | None = None
    extra: dict[str, Any] | None = None

    def to_input(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "flowRunId": self.flow_run_id,
            "message": self.message,
            "level": self.level,
        }
        optional = {
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "taskSlug": self.task_slug,
            "mapIndex": self.map_index,
            "name": self.name,
            "extra": self.extra,
        }
        item.update((key, value) for key, value in optional.items() if value is not None)
        return item


__all__ = [
    "Agent",
    "ConcurrencyLimit",
    "Flow",
    "FlowGroup",
    "FlowRun",
    "FlowRunConfig",
    "FlowRunContext",
    "FlowRunStateChange",
    "FlowTask",
    "LogEntry",
    "LogRecord",
    "Page",
    "Project",
    "RegisterResult",
    "RunCount",
    "SecretInfo",
    "SlotGrant",
    "SlotHolder",
    "StateRecord",
    "TaskRun",
    "TaskRunSlots",
    "TaskRunStateChange",
    "TaskRunSummary",
    "TransitionResult",
    "state_input",
]
