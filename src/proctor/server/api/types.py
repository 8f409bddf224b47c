# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""GraphQL output types, each built from a service record by `from_record`.

Types are plain data: the fields a record has, renamed to camelCase by strawberry. The few
fields that need another read (a flow's versions, a run's history, its task runs) are
resolvers that call one service function each; everything else is copied once.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry.scalars import JSON

from proctor.server.api import agent_monitoring, loaders, result_details, run_insight, run_scope
from proctor.server.api import artifacts as artifact_api
from proctor.server.api.pagination import Connection, PageInfo, connection_from_page
from proctor.server.services import schedules
from proctor.server.services.task_run_views import ROW_FIELDS

if TYPE_CHECKING:
    from proctor.server.services.plumbing import records


def _id(value: Any) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(str(value))


def _edge(edge: Any) -> FlowGraphEdge:
    return FlowGraphEdge(
        upstream=edge.upstream,
        downstream=edge.downstream,
        key=edge.key,
        mapped=edge.mapped,
        flatten=edge.flatten,
    )


@strawberry.type(description="A folder of flows.")
class Project:
    id: strawberry.ID
    name: str
    description: str | None
    created: datetime
    updated: datetime
    flow_count: int

    @classmethod
    def from_record(cls, record: records.Project) -> Project:
        return cls(
            id=strawberry.ID(str(record.id)),
            name=record.name,
            description=record.description,
            created=record.created,
            updated=record.updated,
            flow_count=record.flow_count,
        )


@strawberry.type(description="A node of a flow version's graph.")
class FlowTask:
    id: strawberry.ID
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

    @classmethod
    def from_record(cls, record: records.TaskInfo) -> FlowTask:
        return cls(
            id=strawberry.ID(str(record.id)),
            slug=record.slug,
            name=record.name,
            type=record.type,
            mapped=record.mapped,
            tags=list(record.tags),
            retries=record.retries,
            retry_delay=record.retry_delay,
            timeout=record.timeout,
            trigger=record.trigger,
            is_parameter=record.is_parameter,
            is_reference=record.is_reference,
            description=record.description,
        )


@strawberry.type(description="An edge of a flow version's graph: data or order.")
class FlowGraphEdge:
    upstream: str
    downstream: str
    key: str | None
    mapped: bool
    flatten: bool


@strawberry.type(description="One registered version of a flow.")
class Flow:
    id: strawberry.ID
    flow_group_id: strawberry.ID
    project_id: strawberry.ID
    project_name: str
    name: str
    version: int
    description: str | None
    fingerprint: str
    parameters: JSON = strawberry.field(description="The FlowSpec's parameter list.")
    parameter_schema: JSON = strawberry.field(description="JSON schema of the parameters.")
    storage: JSON | None
    labels: list[str]
    run_config: JSON
    schedule: JSON | None
    schedule_active: bool
    archived: bool
    created: datetime
    spec_data: strawberry.Private[dict[str, Any] | None]
    task_records: strawberry.Private[list[Any] | None]
    edge_records: strawberry.Private[list[Any] | None]

    @classmethod
    def from_record(cls, record: records.FlowVersion) -> Flow:
        return cls(
            id=strawberry.ID(str(record.id)),
            flow_group_id=strawberry.ID(str(record.flow_group_id)),
            project_id=strawberry.ID(str(record.project_id)),
            project_name=record.project_name,
            name=record.name,
            version=record.version,
            description=record.description,
            fingerprint=record.fingerprint,
            parameters=JSON(record.parameters),
            parameter_schema=JSON(record.parameter_schema),
            storage=JSON(record.storage),
            labels=list(record.labels),
            run_config=JSON(record.run_config),
            schedule=JSON(record.schedule),
            schedule_active=record.schedule_active,
            archived=record.archived,
            created=record.created,
            spec_data=record.spec,
            task_records=record.tasks,
            edge_records=record.edges,
        )

    async def _full(self, info: strawberry.Info) -> Any:
        """The complete record (lists omit tasks, edges and spec to keep pages small)."""
        return await loaders.flow_detail(info, self.id)

    @strawberry.field(description="The whole FlowSpec as registered.")
    async def spec(self, info: strawberry.Info) -> JSON:
        if self.spec_data is None:
            self.spec_data = (await self._full(info)).spec
        return JSON(self.spec_data)

    @strawberry.field(description="The task nodes of this version.")
    async def tasks(self, info: strawberry.Info) -> list[FlowTask]:
        if self.task_records is None:
            self.task_records = (await self._full(info)).tasks
        return [FlowTask.from_record(task) for task in self.task_records or []]

    @strawberry.field(description="The edges between task nodes.")
    async def edges(self, info: strawberry.Info) -> list[FlowGraphEdge]:
        if self.edge_records is None:
            self.edge_records = (await self._full(info)).edges
        return [
            FlowGraphEdge(
                upstream=edge.upstream,
                downstream=edge.downstream,
                key=edge.key,
                mapped=edge.mapped,
                flatten=edge.flatten,
            )
            for edge in self.edge_records or []
        ]

    @strawberry.field(description="Every version of this flow, newest first.")
    async def versions(self, info: strawberry.Info) -> list[Flow]:
        run_scope.refuse(info, "list a flow's versions (it reads the flow of its run)")
        return [Flow.from_record(r) for r in await loaders.flow_versions(info, self)]

    @strawberry.field(
        description="The next `n` start times (UTC) of the flow's schedule, computed from "
        "it whether or not it is active; empty without a schedule."
    )
    def next_run_times(self, n: int = 5) -> list[datetime]:
        schedule = self.schedule if isinstance(self.schedule, dict) else None
        return schedules.next_run_times(schedule, n)


@strawberry.type(description="A flow across its versions: owns the schedule.")
class FlowGroup:
    id: strawberry.ID
    project_id: strawberry.ID
    name: str
    schedule: JSON | None
    schedule_active: bool
    labels: list[str]
    created: datetime
    updated: datetime

    @classmethod
    def from_record(cls, record: records.FlowGroup) -> FlowGroup:
        return cls(
            id=strawberry.ID(str(record.id)),
            project_id=strawberry.ID(str(record.project_id)),
            name=record.name,
            schedule=JSON(record.schedule),
            schedule_active=record.schedule_active,
            labels=list(record.labels),
            created=record.created,
            updated=record.updated,
        )


@strawberry.type(description="One row of a run's state history.")
class StateRecord:
    id: strawberry.ID
    state: str
    state_type: str
    message: str | None
    timestamp: datetime
    start_time: datetime | None
    result_location: str | None
    version: int
    data: JSON

    @classmethod
    def from_record(cls, record: records.StateRecord) -> StateRecord:
        return cls(
            id=strawberry.ID(str(record.id)),
            state=record.state,
            state_type=record.state_type,
            message=record.message,
            timestamp=record.timestamp,
            start_time=record.start_time,
            result_location=record.result_location,
            version=record.version,
            data=JSON(record.data),
        )


@strawberry.type(
    description="Task runs as compact rows: each row a list of values in the order of "
    "`fields`. Typed objects cost the server a field resolution per value; a page of "
    "rows costs it one query."
)
class TaskRunRows:
    fields: list[str]
    rows: JSON
    page_info: PageInfo
    total_count: int | None

    @classmethod
    def from_page(cls, page: Any) -> TaskRunRows:
        return cls(
            fields=list(ROW_FIELDS),
            rows=JSON(page.items),
            page_info=PageInfo(end_cursor=page.end_cursor, has_next_page=page.has_next_page),
            total_count=page.total_count,
        )


@strawberry.type(description="A run of one task node; mapped children have mapIndex >= 0.")
class TaskRun:
    id: strawberry.ID
    flow_run_id: strawberry.ID
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

    @classmethod
    def from_record(cls, record: records.TaskRun) -> TaskRun:
        return cls(
            id=strawberry.ID(str(record.id)),
            flow_run_id=strawberry.ID(str(record.flow_run_id)),
            task_slug=record.task_slug,
            map_index=record.map_index,
            state=record.state,
            state_type=record.state_type,
            state_message=record.state_message,
            state_timestamp=record.state_timestamp,
            version=record.version,
            run_count=record.run_count,
            start_time=record.start_time,
            end_time=record.end_time,
            result_location=record.result_location,
            created=record.created,
            updated=record.updated,
        )

    @strawberry.field(description="This task run's state history, oldest first.")
    async def states(self, info: strawberry.Info) -> list[StateRecord]:
        rows = await loaders.task_run_history(info, self.id)
        return [StateRecord.from_record(row) for row in rows]

    @strawberry.field(description="Attempts of this task run (one per restart), oldest first.")
    async def attempts(self, info: strawberry.Info) -> list[run_insight.RunAttempt]:
        return await run_insight.task_run_attempts(info, self.id)

    @strawberry.field(description="What this task run published, newest first.")
    async def artifacts(self, info: strawberry.Info) -> list[artifact_api.Artifact]:
        return await artifact_api.run_artifacts(
            info, self.flow_run_id, self.task_slug, self.map_index
        )

    @strawberry.field(
        description="Where its persisted result is, its size and type, and a preview "
        "when the server may read it (null: no persisted result)."
    )
    async def result(self, info: strawberry.Info) -> result_details.ResultDetails | None:
        return await result_details.task_run_result(
            info,
            self.id,
            self.result_location,
            flow_run_id=self.flow_run_id,
            task_slug=self.task_slug,
            map_index=self.map_index,
        )

    @strawberry.field(description="The flow run this task run belongs to.")
    async def flow_run(self, info: strawberry.Info) -> FlowRun:
        return FlowRun.from_record(await loaders.flow_run(info, self.flow_run_id))

    @strawberry.field(description="The task node of the flow version (null if unknown).")
    async def task(self, info: strawberry.Info) -> FlowTask | None:
        flow = await loaders.flow_of_run(info, self.flow_run_id)
        found = [t for t in flow.tasks or [] if t.slug == self.task_slug]
        return FlowTask.from_record(found[0]) if found else None

    @strawberry.field(description="Edges into this task's node: its inputs' upstream tasks.")
    async def upstream(self, info: strawberry.Info) -> list[FlowGraphEdge]:
        flow = await loaders.flow_of_run(info, self.flow_run_id)
        return [_edge(e) for e in flow.edges or [] if e.downstream == self.task_slug]

    @strawberry.field(description="Edges out of this task's node: the tasks it feeds.")
    async def downstream(self, info: strawberry.Info) -> list[FlowGraphEdge]:
        flow = await loaders.flow_of_run(info, self.flow_run_id)
        return [_edge(e) for e in flow.edges or [] if e.upstream == self.task_slug]

    @strawberry.field(
        description="The mapped children of this task run's node (mapIndex >= 0), as "
        "compact rows by map index."
    )
    async def children(
        self, info: strawberry.Info, first: int | None = None, after: str | None = None
    ) -> TaskRunRows:
        page = await loaders.task_run_rows(
            info, self.flow_run_id, first=first, after=after, task_slug=self.task_slug, mapped=True
        )
        return TaskRunRows.from_page(page)


@strawberry.type(description="A run of a flow version.")
class FlowRun:
    id: strawberry.ID
    flow_id: strawberry.ID
    flow_group_id: strawberry.ID
    flow_name: str
    name: str
    state: str = strawberry.field(description="The state's class name, e.g. Retrying.")
    state_type: str = strawberry.field(description="The state's family, e.g. Scheduled.")
    state_message: str | None
    state_timestamp: datetime
    version: int = strawberry.field(description="Pass it back to change the state safely.")
    run_count: int
    parameters: JSON
    labels: list[str]
    scheduled_start_time: datetime
    start_time: datetime | None
    end_time: datetime | None
    idempotency_key: str | None
    auto_scheduled: bool
    agent_id: strawberry.ID | None
    heartbeat: datetime | None
    result_location: str | None
    created: datetime
    updated: datetime
    backfill_id: strawberry.ID | None = strawberry.field(
        default=None, description="The backfill that made the run, if one did."
    )

    @classmethod
    def from_record(cls, record: records.FlowRun) -> FlowRun:
        return cls(
            id=strawberry.ID(str(record.id)),
            flow_id=strawberry.ID(str(record.flow_id)),
            flow_group_id=strawberry.ID(str(record.flow_group_id)),
            flow_name=record.flow_name,
            name=record.name,
            state=record.state,
            state_type=record.state_type,
            state_message=record.state_message,
            state_timestamp=record.state_timestamp,
            version=record.version,
            run_count=record.run_count,
            parameters=JSON(record.parameters),
            labels=list(record.labels),
            scheduled_start_time=record.scheduled_start_time,
            start_time=record.start_time,
            end_time=record.end_time,
            idempotency_key=record.idempotency_key,
            auto_scheduled=record.auto_scheduled,
            agent_id=_id(record.agent_id),
            heartbeat=record.heartbeat,
            result_location=record.result_location,
            created=record.created,
            updated=record.updated,
            backfill_id=_id(record.backfill_id),
        )

    @strawberry.field(description="The flow version this run runs.")
    async def flow(self, info: strawberry.Info) -> Flow:
        return Flow.from_record(await loaders.flow_detail(info, self.flow_id))

    @strawberry.field(description="State history, oldest first.")
    async def states(self, info: strawberry.Info) -> list[StateRecord]:
        rows = await loaders.flow_run_history(info, self.id)
        return [StateRecord.from_record(row) for row in rows]

    @strawberry.field(description="Attempts of this run (one per restart), oldest first.")
    async def attempts(self, info: strawberry.Info) -> list[run_insight.RunAttempt]:
        return await run_insight.flow_run_attempts(info, self.id)

    @strawberry.field(description="What this run's task runs published, newest first.")
    async def artifacts(self, info: strawberry.Info) -> list[artifact_api.Artifact]:
        return await artifact_api.run_artifacts(info, self.id)

    @strawberry.field(
        description="Why the run failed: its first task runs that failed by themselves "
        "(null unless the run is Failed)."
    )
    async def failure_summary(self, info: strawberry.Info) -> run_insight.FailureSummary | None:
        return await run_insight.flow_run_failure_summary(info, self)

    @strawberry.field(
        description="Whether a healthy agent's labels cover this run's labels (null unless "
        "the run waits for an agent: Scheduled or Pending)."
    )
    async def agent_match(self, info: strawberry.Info) -> run_insight.AgentMatch | None:
        return await run_insight.flow_run_agent_match(info, self)

    @strawberry.field(
        description="What a restart of this run would run again; `fromTasks`: a restart "
        "from these tasks (`restartFlowRunFrom`)."
    )
    async def restart_preview(
        self, info: strawberry.Info, from_tasks: list[str] | None = None
    ) -> run_insight.RestartPreview:
        return await run_insight.flow_run_restart_preview(info, self.id, from_tasks or [])

    @strawberry.field(description="Task runs of this flow run, mapped children included.")
    async def task_runs(
        self,
        info: strawberry.Info,
        task_slug: str | None = None,
        states: list[str] | None = None,
        map_index: int | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[TaskRun]:
        page = await loaders.task_runs(
            info,
            self.id,
            task_slug=task_slug,
            states=states,
            map_index=map_index,
            first=first,
            after=after,
        )
        return connection_from_page(page, TaskRun.from_record)

    @strawberry.field(
        description="One entry per task node, sorted by slug: `{taskSlug, parent, "
        "children}`, where `parent` is the node's own task run (mapIndex -1) with the "
        "fields of `taskRunRows` or null, and `children` its mapped children aggregated "
        "(`count`, `states`: count per state name, `start`: first start, `lastStart`, "
        "`end`: last end) or null. Cheap on any size of run: what a first screen needs."
    )
    async def task_run_summary(self, info: strawberry.Info) -> JSON:
        return JSON([entry.as_json() for entry in await loaders.task_run_summary(info, self.id)])

    @strawberry.field(
        description="Every task run of this run as compact rows, by task slug then map "
        "index; `taskSlug` keeps one task node's."
    )
    async def task_run_rows(
        self,
        info: strawberry.Info,
        first: int | None = None,
        after: str | None = None,
        task_slug: str | None = None,
    ) -> TaskRunRows:
        page = await loaders.task_run_rows(
            info, self.id, first=first, after=after, task_slug=task_slug
        )
        return TaskRunRows.from_page(page)


@strawberry.type(
    description="What a run process reads to start, in one snapshot: the run, its flow "
    "version (with the full spec and storage) and all its task runs (not paged)."
)
class FlowRunContext:
    flow_run: FlowRun
    flow: Flow
    task_run_records: strawberry.Private[list[Any]]

    @classmethod
    def from_record(cls, record: records.FlowRunContext) -> FlowRunContext:
        return cls(
            flow_run=FlowRun.from_record(record.flow_run),
            flow=Flow.from_record(record.flow),
            task_run_records=record.task_runs,
        )

    @strawberry.field(
        description="Every task run of the run, as one JSON list of objects with `id "
        "taskSlug mapIndex state stateType stateMessage stateTimestamp version runCount "
        "resultLocation`. JSON rather "
        "than typed objects: resolving the 10,000 task runs of a restarted map field by "
        "field would cost the server about a second; this costs it milliseconds."
    )
    def task_runs(self) -> JSON:
        return JSON(
            [
                {
                    "id": str(summary.id),
                    "taskSlug": summary.task_slug,
                    "mapIndex": summary.map_index,
                    "state": summary.state,
                    "stateType": summary.state_type,
                    "stateMessage": summary.state_message,
                    "stateTimestamp": summary.state_timestamp.isoformat(),
                    "version": summary.version,
                    "runCount": summary.run_count,
                    "resultLocation": summary.result_location,
                }
                for summary in self.task_run_records
            ]
        )


@strawberry.type(name="Log", description="One log line of a flow run or task run.")
class LogLine:
    id: strawberry.ID
    flow_run_id: strawberry.ID
    task_slug: str | None
    map_index: int | None
    timestamp: datetime
    level: int
    level_name: str
    message: str
    extra: JSON
    name: str | None

    @classmethod
    def from_record(cls, record: records.LogLine) -> LogLine:
        extra = record.extra or {}
        return cls(
            id=strawberry.ID(str(record.id)),
            flow_run_id=strawberry.ID(str(record.flow_run_id)),
            task_slug=record.task_slug,
            map_index=record.map_index,
            timestamp=record.timestamp,
            level=record.level,
            level_name=record.level_name,
            message=record.message,
            extra=JSON(extra),
            name=extra.get("name") if isinstance(extra.get("name"), str) else None,
        )


@strawberry.type(description="An agent: a process that starts flow runs on its machine.")
class Agent:
    id: strawberry.ID
    name: str
    labels: list[str]
    version: str | None
    last_heartbeat: datetime | None
    created: datetime
    runs_in_flight: int
    stopped_at: datetime | None = strawberry.field(
        description="When it stopped cleanly (null: it did not, or it came back since)."
    )
    problem: str | None = strawberry.field(
        default=None,
        description="What keeps it from starting runs, as its last heartbeat said (e.g. "
        "its Docker daemon is down); null: nothing.",
    )

    @strawberry.field(
        description="HEALTHY, LATE or UNHEALTHY from the last heartbeat (UNHEALTHY too while "
        "it reports a `problem`); STOPPED after a clean stop."
    )
    def health(self, info: strawberry.Info) -> agent_monitoring.AgentHealth:  # type: ignore[valid-type]
        return agent_monitoring.health_of(
            info, self.last_heartbeat, self.stopped_at, problem=self.problem
        )

    @strawberry.field(description="The flow runs it claimed most recently (at most 100).")
    async def recent_runs(self, info: strawberry.Info, first: int = 10) -> list[FlowRun]:
        run_scope.refuse(info, "list an agent's runs (it reads the runs it claimed by id)")
        found = await agent_monitoring.recent_runs(info, self.id, first)
        return [FlowRun.from_record(run) for run in found]

    @classmethod
    def from_record(cls, record: records.Agent) -> Agent:
        return cls(
            id=strawberry.ID(str(record.id)),
            name=record.name,
            labels=list(record.labels),
            version=record.version,
            last_heartbeat=record.last_heartbeat,
            created=record.created,
            runs_in_flight=record.runs_in_flight,
            stopped_at=record.stopped_at,
            problem=record.problem,
        )


@strawberry.type(description="How many runs were in a state in one time bucket.")
class RunCount:
    bucket_start: datetime
    state: str
    count: int


@strawberry.type(description="The outcome of registering a flow.")
class RegisterFlowResult:
    flow: Flow
    status: str = strawberry.field(description='"new" or "unchanged" (same fingerprint).')
    archived: list[strawberry.ID] = strawberry.field(description="Versions archived by this.")


@strawberry.type(description="The outcome of one state change of a batch.")
class TransitionResult:
    id: strawberry.ID | None
    accepted: bool
    state: str | None
    state_type: str | None
    version: int
    code: str | None = strawberry.field(description="Why it was refused (stable code).")
    reason: str | None
    rule: str | None

    @classmethod
    def from_record(cls, record: records.TransitionResult) -> TransitionResult:
        return cls(
            id=_id(record.id),
            accepted=record.accepted,
            state=record.state,
            state_type=record.state_type,
            version=record.version,
            code=record.code,
            reason=record.reason,
            rule=record.rule,
        )


@strawberry.type(description="How many log lines were written.")
class WriteLogsResult:
    count: int


__all__ = [
    "Agent",
    "Flow",
    "FlowGraphEdge",
    "FlowGroup",
    "FlowRun",
    "FlowRunContext",
    "FlowTask",
    "LogLine",
    "Project",
    "RegisterFlowResult",
    "RunCount",
    "StateRecord",
    "TaskRun",
    "TaskRunRows",
    "TransitionResult",
    "WriteLogsResult",
]
