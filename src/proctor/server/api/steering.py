# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""Steering runs by hand: mark a run or a task run, restart from chosen tasks, and
compare two runs.

    mutation { markFlowRun(id: $id, state: "Failed", reason: "bad input") { state } }
    mutation { markTaskRun(id: $id, state: "Skipped", reason: "done by hand") { state } }
    mutation { restartFlowRunFrom(id: $id, fromTasks: ["clean"]) { state } }
    query { compareFlowRuns(a: $a, b: $b) { tasks { taskSlug differences } } }

What a restart from tasks would run is `FlowRun.restartPreview(fromTasks: [...])`.
The rules for states set by hand are in `proctor.server.orchestration.manual`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import sqlalchemy as sa
import strawberry
from strawberry.scalars import JSON

from proctor.server.api.loaders import ctx
from proctor.server.api.service_call import for_team
from proctor.server.database.models import ApiKey, User
from proctor.server.errors import InvalidInput
from proctor.server.services import manual_states, restarts, run_compare
from proctor.server.services.run_compare import RunComparison
from proctor.server.services.run_compare import TaskSide as TaskSideRecord

if TYPE_CHECKING:
    from proctor.server.api.types import FlowRun, TaskRun

FlowRunType = Annotated["FlowRun", strawberry.lazy("proctor.server.api.types")]
TaskRunType = Annotated["TaskRun", strawberry.lazy("proctor.server.api.types")]


async def who_is(info: strawberry.Info) -> str:
    """How the person (or key) asking is named in a state message."""
    context = ctx(info)
    principal = context.principal
    if principal is None:
        return "anonymous"
    async with context.db.session() as session:
        if principal.user_id is not None:
            user = await session.scalar(sa.select(User.email).where(User.id == principal.user_id))
            if user:
                return str(user)
        if principal.api_key_id is not None:
            key = await session.scalar(
                sa.select(ApiKey.name).where(ApiKey.id == principal.api_key_id)
            )
            if key:
                return f"API key {key}"
    return "the local user" if principal.kind == "local" else principal.kind


@strawberry.type(description="A state name and how many mapped children are in it.")
class StateCount:
    state: str
    count: int


@strawberry.type(description="One task in one of the compared runs.")
class TaskSide:
    task_run_id: strawberry.ID | None = strawberry.field(
        description="The task's own task run (a mapped task's parent); null if it has none."
    )
    state: str | None
    message: str | None
    start_time: datetime | None
    end_time: datetime | None
    duration_seconds: float | None
    result_location: str | None
    run_count: int
    child_count: int = strawberry.field(description="Mapped children (0 if not mapped).")
    children: list[StateCount] = strawberry.field(description="Children per state.")

    @classmethod
    def of(cls, side: TaskSideRecord | None) -> TaskSide | None:
        if side is None:
            return None
        return cls(
            task_run_id=None if side.task_run_id is None else strawberry.ID(str(side.task_run_id)),
            state=side.state,
            message=side.message,
            start_time=side.start_time,
            end_time=side.end_time,
            duration_seconds=side.duration,
            result_location=side.result_location,
            run_count=side.run_count,
            child_count=side.child_count,
            children=[StateCount(state=k, count=v) for k, v in sorted(side.children.items())],
        )


@strawberry.type(description="One task in both runs.")
class TaskPair:
    task_slug: str
    mapped: bool
    a: TaskSide | None
    b: TaskSide | None
    differences: list[str] = strawberry.field(
        description="What differs: state, duration (by half or more, and a second or "
        "more), result (one run has a persisted result, the other none), children "
        "(counts per state), or missing (only one run has the task). Empty: the same."
    )


@strawberry.type(description="One parameter in both runs.")
class ParameterPair:
    name: str
    a: JSON | None
    b: JSON | None
    in_a: bool
    in_b: bool
    differs: bool


@strawberry.type(description="Two flow runs side by side.")
class FlowRunComparison:
    a: FlowRunType
    b: FlowRunType
    same_flow: bool = strawberry.field(description="Both are runs of one flow.")
    same_version: bool = strawberry.field(description="Both ran the same flow version.")
    parameters: list[ParameterPair]
    tasks: list[TaskPair] = strawberry.field(description="In the flow's task order.")
    differing_tasks: int

    @classmethod
    def of(cls, found: RunComparison) -> FlowRunComparison:
        from proctor.server.api.types import FlowRun

        return cls(
            a=FlowRun.from_record(found.a),
            b=FlowRun.from_record(found.b),
            same_flow=found.same_flow,
            same_version=found.same_version,
            parameters=[
                ParameterPair(
                    name=p.name, a=p.a, b=p.b, in_a=p.in_a, in_b=p.in_b, differs=p.differs
                )
                for p in found.parameters
            ],
            tasks=[
                TaskPair(
                    task_slug=t.task_slug,
                    mapped=t.mapped,
                    a=TaskSide.of(t.a),
                    b=TaskSide.of(t.b),
                    differences=t.differences,
                )
                for t in found.tasks
            ],
            differing_tasks=found.differing_tasks,
        )


@strawberry.type
class SteeringQuery:
    @strawberry.field(
        description="Two runs side by side: parameters, and per task its state, duration "
        "and result location in each, with what differs (mapped tasks as counts per state)."
    )
    async def compare_flow_runs(
        self, info: strawberry.Info, a: strawberry.ID, b: strawberry.ID
    ) -> FlowRunComparison:
        return FlowRunComparison.of(await for_team(info, run_compare.compare_flow_runs, a, b))


@strawberry.type
class SteeringMutation:
    @strawberry.mutation(
        description="Set a flow run's state by hand: Success, Failed, Cancelled or Skipped, "
        "with a reason (kept in the state's message with who set it). Cancelled on a "
        "running run asks its process to stop (Cancelling); Success, Failed or Skipped "
        "end it at once and its process stops; open task runs end Cancelled."
    )
    async def mark_flow_run(
        self, info: strawberry.Info, id: strawberry.ID, state: str, reason: str
    ) -> FlowRunType:
        from proctor.server.api.types import FlowRun

        who = await who_is(info)
        record = await for_team(info, manual_states.mark_flow_run, id, state, reason, who)
        return FlowRun.from_record(record)

    @strawberry.mutation(
        description="Set a task run's state by hand: Success, Failed, Cancelled or Skipped, "
        "with a reason. Refused while its flow run's process runs. A restart of the "
        "finished flow run runs a task run marked Failed or Cancelled again."
    )
    async def mark_task_run(
        self, info: strawberry.Info, id: strawberry.ID, state: str, reason: str
    ) -> TaskRunType:
        from proctor.server.api.types import TaskRun

        who = await who_is(info)
        record = await for_team(info, manual_states.mark_task_run, id, state, reason, who)
        return TaskRun.from_record(record)

    @strawberry.mutation(
        description="Restart a finished run from chosen tasks: they and everything "
        "downstream of them run again (as does whatever did not succeed); upstream "
        "successes are reused when their results were persisted. "
        "`FlowRun.restartPreview(fromTasks:)` says what will run."
    )
    async def restart_flow_run_from(
        self, info: strawberry.Info, id: strawberry.ID, from_tasks: list[str]
    ) -> FlowRunType:
        from proctor.server.api.types import FlowRun

        if not from_tasks:
            raise InvalidInput("Name at least one task to restart from.")
        record = await for_team(info, restarts.restart_flow_run, id, from_tasks=from_tasks)
        return FlowRun.from_record(record)


__all__ = ["FlowRunComparison", "SteeringMutation", "SteeringQuery", "who_is"]
