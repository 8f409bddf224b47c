"""GraphQL input types.

`RegisterFlowInput` and `CreateFlowRunInput` are ordinary typed arguments. The shapes of
the batched mutations' items (`FlowRunStateInput`, `TaskRunStateInput`, `TaskRunInput`,
`LogInput`) are declared here so the schema documents them, but those mutations take
`JSON` items read by `batches.py` (GraphQL coercion of thousands of items was the
bottleneck). Either way the services check values (state names, ids, sizes) and raise
`InvalidInput` naming the offending field, which becomes `INVALID_INPUT`.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON


@strawberry.input(description="A state, as `State.to_dict()` describes it.")
class StateInput:
    type: str = strawberry.field(description="State class name, e.g. Running, Retrying.")
    message: str | None = None
    timestamp: datetime | None = None
    start_time: datetime | None = strawberry.field(
        default=None, description="When a Scheduled/Retrying state should start."
    )
    result_location: str | None = None
    run_count: int | None = None
    data: JSON | None = strawberry.field(
        default=None, description="Other keys of the state's dict (e.g. map_count)."
    )


@strawberry.input(description="Move one flow run to a new state.")
class FlowRunStateInput:
    flow_run_id: strawberry.ID
    state: StateInput
    version: int | None = strawberry.field(
        default=None, description="The version last seen; a stale one is rejected."
    )
    agent_id: strawberry.ID | None = strawberry.field(
        default=None, description="The agent making the change (to start a claimed run)."
    )
    force: bool = strawberry.field(
        default=False, description="An explicit restart: may leave a finished state."
    )


@strawberry.input(description="Move one task run (created if new) to a new state.")
class TaskRunStateInput:
    flow_run_id: strawberry.ID
    task_slug: str
    state: StateInput
    map_index: int = strawberry.field(default=-1, description="-1 unless a mapped child.")
    version: int | None = None
    run_count: int | None = None
    force: bool = False
    tags: list[str] | None = strawberry.field(
        default=None,
        description="The task's tags, with Submitted or Running: the server takes a slot of "
        "each concurrency limit among them, or writes the task run Queued.",
    )


@strawberry.input(description="A task run to create (Pending) unless it exists.")
class TaskRunInput:
    task_slug: str
    map_index: int = -1


@strawberry.input(description="One log line.")
class LogInput:
    flow_run_id: strawberry.ID
    message: str
    level: int = strawberry.field(default=20, description="Python logging level number.")
    timestamp: datetime | None = None
    task_slug: str | None = None
    map_index: int | None = None
    name: str | None = strawberry.field(default=None, description="The logger's name.")
    extra: JSON | None = None


@strawberry.input(description="Register a FlowSpec as a new version of a flow.")
class RegisterFlowInput:
    project: str
    spec: JSON = strawberry.field(description="`flow.serialize()` output.")
    storage: JSON | None = None
    labels: list[str] | None = None
    archive_previous: bool = True
    create_project: bool = strawberry.field(
        default=False, description="Create the project if it does not exist."
    )


@strawberry.input(description="Start a flow run: by flow id, or by project and flow name.")
class CreateFlowRunInput:
    flow_id: strawberry.ID | None = None
    project: str | None = None
    flow_name: str | None = None
    parameters: JSON | None = None
    scheduled_start_time: datetime | None = strawberry.field(
        default=None, description="When to start; now if absent."
    )
    labels: list[str] | None = None
    idempotency_key: str | None = strawberry.field(
        default=None, description="A repeat with the same key returns the same run."
    )
    name: str | None = None
    env: JSON | None = strawberry.field(
        default=None,
        description="Environment variables laid over the flow's run config for this run "
        "(NAME: value). Stored with the run and readable by the team: use secrets for "
        "credentials.",
    )


BATCH_ITEM_TYPES = [FlowRunStateInput, TaskRunStateInput, TaskRunInput, LogInput, StateInput]

__all__ = [
    "BATCH_ITEM_TYPES",
    "CreateFlowRunInput",
    "FlowRunStateInput",
    "LogInput",
    "RegisterFlowInput",
    "StateInput",
    "TaskRunInput",
    "TaskRunStateInput",
]
