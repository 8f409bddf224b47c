# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""The `Query` root: lists with filters, ordering and cursor pagination, and lookups.

Each resolver forwards its arguments to one service function with the request's tenant
and wraps the result; validation and not-found errors come from the services.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Annotated

import strawberry

from proctor.server.api import run_scope
from proctor.server.api.loaders import ctx, flow_detail, paging
from proctor.server.api.loaders import task_runs as load_task_runs
from proctor.server.api.pagination import Connection, connection_from_page
from proctor.server.api.run_insight import RecentFailure
from proctor.server.api.types import (
    Agent,
    Flow,
    FlowRun,
    FlowRunContext,
    LogLine,
    Project,
    RunCount,
    TaskRun,
)
from proctor.server.services import (
    agents,
    dashboard,
    flow_runs,
    flows,
    logs,
    projects,
    recent_failures,
    run_context,
    task_run_views,
)
from proctor.server.services.run_search import RunFilters


@strawberry.enum(description="Orderings of the flows list.")
class FlowOrder(Enum):
    NAME = "name"
    CREATED_DESC = "-created"
    CREATED_ASC = "created"


@strawberry.enum(description="Orderings of the flow-runs list.")
class FlowRunOrder(Enum):
    SCHEDULED_START_TIME_DESC = "-scheduled_start_time"
    SCHEDULED_START_TIME_ASC = "scheduled_start_time"
    CREATED_DESC = "-created"
    CREATED_ASC = "created"
    STATE_TIMESTAMP_DESC = "-state_timestamp"
    STATE_TIMESTAMP_ASC = "state_timestamp"
    # Runs without a start (end, duration) come after the others in both directions.
    START_TIME_DESC = "-start_time"
    START_TIME_ASC = "start_time"
    END_TIME_DESC = "-end_time"
    END_TIME_ASC = "end_time"
    DURATION_DESC = "-duration"
    DURATION_ASC = "duration"
    NAME_ASC = "name"
    NAME_DESC = "-name"
    STATE_ASC = "state"
    STATE_DESC = "-state"


@strawberry.enum(description="Orderings of the task-runs list.")
class TaskRunOrder(Enum):
    TASK_SLUG = "task_slug"
    STATE_TIMESTAMP_ASC = "state_timestamp"
    STATE_TIMESTAMP_DESC = "-state_timestamp"


@strawberry.type
class Query:
    @strawberry.field(description="Every project of the team, by name.")
    async def projects(self, info: strawberry.Info) -> list[Project]:
        context = ctx(info)
        return [
            Project.from_record(p)
            for p in await projects.list_projects(context.db, context.tenant_id)
        ]

    @strawberry.field(description="Flow versions (active ones unless includeArchived).")
    async def flows(
        self,
        info: strawberry.Info,
        project: str | None = None,
        name: str | None = None,
        search: str | None = None,
        include_archived: bool | None = False,
        order_by: FlowOrder | None = FlowOrder.NAME,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Flow]:
        context = ctx(info)
        page = await flows.list_flows(
            context.db,
            context.tenant_id,
            project=project,
            name=name,
            search=search,
            include_archived=bool(include_archived),
            order_by=(order_by or FlowOrder.NAME).value,
            **paging(first, after, info),
        )
        return connection_from_page(page, Flow.from_record)

    @strawberry.field(description="One flow version, with its tasks and edges.")
    async def flow(self, info: strawberry.Info, id: strawberry.ID) -> Flow:
        await run_scope.flow(info, id)
        return Flow.from_record(await flow_detail(info, id))

    @strawberry.field(
        description="Flow runs of every flow of the team unless narrowed; `states` match "
        "names (TimedOut) or families (Failed); `labels`: runs with all of them; `search`: "
        "a run name contains it (any case) or a run id starts with it. Time bounds are "
        "inclusive. Runs without a value for the order (no start, no end) come last."
    )
    async def flow_runs(
        self,
        info: strawberry.Info,
        flow_id: strawberry.ID | None = None,
        flow_group_id: strawberry.ID | None = None,
        project: str | None = None,
        states: list[str] | None = None,
        scheduled_before: datetime | None = None,
        scheduled_after: datetime | None = None,
        agent_id: strawberry.ID | None = None,
        order_by: FlowRunOrder | None = FlowRunOrder.SCHEDULED_START_TIME_DESC,
        first: int | None = None,
        after: str | None = None,
        flow_name: str | None = None,
        labels: list[str] | None = None,
        started_after: datetime | None = None,
        started_before: datetime | None = None,
        search: str | None = None,
    ) -> Connection[FlowRun]:
        context = ctx(info)
        filters = RunFilters(
            flow_name=flow_name,
            labels=labels,
            started_after=started_after,
            started_before=started_before,
            search=search,
        )
        page = await flow_runs.list_flow_runs(
            context.db,
            context.tenant_id,
            flow_id=flow_id,
            flow_group_id=flow_group_id,
            project=project,
            states=states,
            scheduled_before=scheduled_before,
            scheduled_after=scheduled_after,
            agent_id=agent_id,
            order_by=(order_by or FlowRunOrder.SCHEDULED_START_TIME_DESC).value,
            filters=filters,
            **paging(first, after, info),
        )
        return connection_from_page(page, FlowRun.from_record)

    @strawberry.field(description="One flow run (ask for `states` to get its history).")
    async def flow_run(self, info: strawberry.Info, id: strawberry.ID) -> FlowRun:
        context = ctx(info)
        await run_scope.run(info, id)
        return FlowRun.from_record(await flow_runs.get_flow_run(context.db, context.tenant_id, id))

    @strawberry.field(
        description="What a run process needs to start: the run, its flow version with the "
        "full spec, and every task run (not paged: a restart reuses their results)."
    )
    async def flow_run_context(self, info: strawberry.Info, id: strawberry.ID) -> FlowRunContext:
        context = ctx(info)
        await run_scope.run(info, id)
        record = await run_context.get_flow_run_context(context.db, context.tenant_id, id)
        return FlowRunContext.from_record(record)

    @strawberry.field(description="Task runs of a flow run, mapped children included.")
    async def task_runs(
        self,
        info: strawberry.Info,
        flow_run_id: strawberry.ID,
        task_slug: str | None = None,
        states: list[str] | None = None,
        map_index: int | None = None,
        order_by: TaskRunOrder | None = TaskRunOrder.TASK_SLUG,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[TaskRun]:
        await run_scope.run(info, flow_run_id)
        page = await load_task_runs(
            info,
            flow_run_id,
            task_slug=task_slug,
            states=states,
            map_index=map_index,
            order_by=(order_by or TaskRunOrder.TASK_SLUG).value,
            first=first,
            after=after,
        )
        return connection_from_page(page, TaskRun.from_record)

    @strawberry.field(
        description="One task run: by `id`, or by `flowRunId` + `taskSlug` (+ `mapIndex`, "
        "default -1: the node's own run), which also works before the id is known."
    )
    async def task_run(
        self,
        info: strawberry.Info,
        id: strawberry.ID | None = None,
        flow_run_id: strawberry.ID | None = None,
        task_slug: str | None = None,
        map_index: int | None = None,
    ) -> TaskRun:
        context = ctx(info)
        if flow_run_id is not None:
            await run_scope.run(info, flow_run_id)
        if id is not None:
            await run_scope.task_runs(info, [id])
        record = await task_run_views.find_task_run(
            context.db,
            context.tenant_id,
            task_run_id=id,
            flow_run_id=flow_run_id,
            task_slug=task_slug,
            map_index=map_index,
        )
        return TaskRun.from_record(record)

    @strawberry.field(description="Log lines of a flow run, oldest first.")
    async def logs(
        self,
        info: strawberry.Info,
        flow_run_id: strawberry.ID,
        task_slug: str | None = None,
        level_min: int | None = None,
        search: str | None = None,
        first: int | None = None,
        after: str | None = None,
        map_index: int | None = None,
        last: Annotated[
            int | None,
            strawberry.argument(
                description="The newest `last` lines (oldest first) instead of a first "
                "page; `pageInfo.endCursor` is then the newest line's, to follow on with "
                "`after`."
            ),
        ] = None,
    ) -> Connection[LogLine]:
        context = ctx(info)
        page = await logs.list_logs(
            context.db,
            context.tenant_id,
            flow_run_id,
            task_slug=task_slug,
            map_index=map_index,
            level_min=level_min,
            search=search,
            last=last,
            **paging(first, after, info),
        )
        return connection_from_page(page, LogLine.from_record)

    @strawberry.field(description="The team's agents with their last heartbeat.")
    async def agents(self, info: strawberry.Info) -> list[Agent]:
        context = ctx(info)
        return [
            Agent.from_record(a) for a in await agents.list_agents(context.db, context.tenant_id)
        ]

    @strawberry.field(
        description="The team's last flow-run failures, newest first, from the runs' "
        "history: a run restarted since still shows its failure."
    )
    async def recent_failures(self, info: strawberry.Info, first: int = 8) -> list[RecentFailure]:
        context = ctx(info)
        found = await recent_failures.recent_failures(context.db, context.tenant_id, first=first)
        return [RecentFailure.from_record(failure) for failure in found]

    @strawberry.field(
        description="Runs per time bucket and state family, for the dashboard; `since` "
        "defaults to 24 hours ago."
    )
    async def run_counts(
        self,
        info: strawberry.Info,
        since: datetime | None = None,
        until: datetime | None = None,
        bucket_seconds: int = 3600,
    ) -> list[RunCount]:
        context = ctx(info)
        buckets = await dashboard.run_counts(
            context.db,
            context.tenant_id,
            since=since or datetime.now(UTC) - timedelta(days=1),
            until=until,
            bucket_seconds=bucket_seconds,
        )
        return [RunCount(**bucket) for bucket in buckets]


__all__ = ["FlowOrder", "FlowRunOrder", "Query", "TaskRunOrder"]
