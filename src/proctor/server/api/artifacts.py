# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""Artifacts in the API: what task runs published, and what run processes send.

    query { artifacts(key: "report", latestPerKey: false, first: 20) {
              id key type description data created flowRunId flowRunName flowName
              taskSlug mapIndex taskRunId } }
    query { artifactsPage(latestPerKey: true, first: 50, after: null) {
              nodes { id key type } pageInfo { endCursor hasNextPage } totalCount } }
    query { flowRun(id: "...") { artifacts { key type data } } }
    mutation ($a: [JSON!]!) { writeArtifacts(artifacts: $a) { count } }

`FlowRun.artifacts` and `TaskRun.artifacts` (in `types`) call the helpers below.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from proctor.server.api import run_scope
from proctor.server.api.loaders import ctx
from proctor.server.api.pagination import Connection, connection_from_page
from proctor.server.api.request_limits import check_batch_size
from proctor.server.services import artifacts as service
from proctor.server.services.artifacts import ArtifactRecord


def _id(value: object | None) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(str(value))


@strawberry.type(description="Markdown, a link or a table that a task run published.")
class Artifact:
    id: strawberry.ID
    key: str | None = strawberry.field(description="Groups versions on the Artifacts page.")
    type: str = strawberry.field(description="markdown, link or table.")
    description: str | None
    data: JSON = strawberry.field(
        description='{"markdown"}, {"link", "text"} or {"columns", "rows"}.'
    )
    flow_run_id: strawberry.ID
    flow_run_name: str | None
    flow_name: str | None
    task_run_id: strawberry.ID | None
    task_slug: str | None
    map_index: int | None
    created: datetime
    updated: datetime

    @classmethod
    def from_record(cls, record: ArtifactRecord) -> Artifact:
        return cls(
            id=strawberry.ID(str(record.id)),
            key=record.key,
            type=record.type,
            description=record.description,
            data=JSON(record.data),
            flow_run_id=strawberry.ID(str(record.flow_run_id)),
            flow_run_name=record.flow_run_name,
            flow_name=record.flow_name,
            task_run_id=_id(record.task_run_id),
            task_slug=record.task_slug,
            map_index=record.map_index,
            created=record.created,
            updated=record.updated,
        )


@strawberry.type
class WriteArtifactsResult:
    count: int


async def run_artifacts(
    info: strawberry.Info,
    flow_run_id: str,
    task_slug: str | None = None,
    map_index: int | None = None,
) -> list[Artifact]:
    """A flow run's artifacts (or one task run's), newest first."""
    context = ctx(info)
    found = await service.list_artifacts(
        context.db,
        context.tenant_id,
        flow_run_id=flow_run_id,
        task_slug=task_slug,
        map_index=map_index,
        first=500,
    )
    return [Artifact.from_record(record) for record in found]


@strawberry.type
class ArtifactsQuery:
    @strawberry.field(
        description="The team's artifacts, newest first. `latestPerKey`: only the newest "
        "of each key (keyless ones left out); `key`: one key's history."
    )
    async def artifacts(
        self,
        info: strawberry.Info,
        key: str | None = None,
        type: str | None = None,
        flow_run_id: strawberry.ID | None = None,
        latest_per_key: bool = False,
        first: int | None = None,
        offset: int = 0,
    ) -> list[Artifact]:
        context = ctx(info)
        found = await service.list_artifacts(
            context.db,
            context.tenant_id,
            flow_run_id=flow_run_id,
            key=key,
            type_=type,
            latest_per_key=latest_per_key,
            first=first,
            offset=offset,
        )
        return [Artifact.from_record(record) for record in found]

    @strawberry.field(
        description="The same list as `artifacts`, in pages: pass `pageInfo.endCursor` as "
        "`after` for the next. Paging on while tasks publish neither repeats nor skips one."
    )
    async def artifacts_page(
        self,
        info: strawberry.Info,
        key: str | None = None,
        type: str | None = None,
        flow_run_id: strawberry.ID | None = None,
        latest_per_key: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Artifact]:
        context = ctx(info)
        wanted = service.ArtifactFilter(
            flow_run_id=flow_run_id, key=key, type_=type, latest_per_key=latest_per_key
        )
        page = await service.page_artifacts(
            context.db, context.tenant_id, wanted, first=first, after=after
        )
        return connection_from_page(page, Artifact.from_record)


@strawberry.type
class ArtifactsMutation:
    @strawberry.mutation(
        description="Store a batch of artifacts (run processes send them with their task "
        "states): `{flowRunId, id, type, data, key?, description?, taskSlug?, mapIndex?}`; "
        "an existing id is replaced, `deleted: true` removes it. An agent's key may "
        "publish into a run it claimed, and into a finished one only for 15 minutes "
        "after its end (like log lines)."
    )
    async def write_artifacts(
        self, info: strawberry.Info, artifacts: list[JSON]
    ) -> WriteArtifactsResult:
        context = ctx(info)
        check_batch_size(artifacts, context.request_limits)
        items = service.parse_items(artifacts)
        # As log lines: an agent's key publishes into a finished run only within the
        # grace after its end (auth.agent_scope).
        await run_scope.runs(info, {item.flow_run_id for item in items}, "artifacts")
        count = await service.write_artifacts(context.db, context.tenant_id, artifacts)
        return WriteArtifactsResult(count=count)


__all__ = ["Artifact", "ArtifactsMutation", "ArtifactsQuery", "run_artifacts"]
