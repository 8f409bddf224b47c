# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""The activity feed in the API: the `activity` query (newest first, filtered, paged)
and the `activity` subscription (each new row as it is committed).

The subscription listens to the team's topic on the event bus; an event of a feed kind
names its row (the row's id is the event's id), which is read back once the burst is
over, so what streams is exactly what the query would list."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from proctor.server.api.loaders import ctx, paging
from proctor.server.api.pagination import Connection, connection_from_page
from proctor.server.database.activity_log import ACTIVITY_KINDS, activity_id
from proctor.server.events import tenant_topic
from proctor.server.services import activity as activity_service
from proctor.server.services.activity import ActivityRecord

#: After an event, wait this long for the rest of its burst (a batch of state changes).
COALESCE_SECONDS = 0.1


@strawberry.type(description="Something that happened in the team (the activity feed).")
class ActivityEvent:
    id: strawberry.ID
    kind: str = strawberry.field(description='e.g. "flow_run.state", "agent.unhealthy".')
    occurred: datetime
    message: str = strawberry.field(description="What happened, in one line.")
    flow_run_id: strawberry.ID | None
    flow_name: str | None
    data: JSON = strawberry.field(description="The event's ids and values (state, name...).")

    @classmethod
    def from_record(cls, record: ActivityRecord) -> ActivityEvent:
        return cls(
            id=strawberry.ID(str(record.id)),
            kind=record.kind,
            occurred=record.occurred,
            message=record.message,
            flow_run_id=None
            if record.flow_run_id is None
            else strawberry.ID(str(record.flow_run_id)),
            flow_name=record.flow_name,
            data=record.data,  # type: ignore[arg-type]  # JSON is any JSON value
        )


@strawberry.type
class ActivityQuery:
    @strawberry.field(
        description="The team's activity, newest first. `kinds`: kinds (flow_run.state) or "
        "families (flow_run, flow, agent, ...); `flow`: a flow's name; `since`: at or after."
    )
    async def activity(
        self,
        info: strawberry.Info,
        kinds: list[str] | None = None,
        flow: str | None = None,
        since: datetime | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ActivityEvent]:
        context = ctx(info)
        page = await activity_service.list_activity(
            context.db,
            context.tenant_id,
            kinds=kinds or (),
            flow=flow,
            since=since,
            **paging(first, after, info),
        )
        return connection_from_page(page, ActivityEvent.from_record)


@strawberry.type
class ActivitySubscription:
    @strawberry.subscription(
        description="New activity of the team as it happens, with the query's filters."
    )
    async def activity(
        self,
        info: strawberry.Info,
        kinds: list[str] | None = None,
        flow: str | None = None,
    ) -> AsyncGenerator[ActivityEvent, None]:
        context = ctx(info)
        wanted = activity_service.expand_kinds(kinds or ()) or ACTIVITY_KINDS
        with context.events.subscribe(tenant_topic(context.tenant_id)) as events:
            while True:
                first = await events.get()
                if first is None:
                    return
                await asyncio.sleep(COALESCE_SECONDS)
                burst = [first]
                while (more := events.get_nowait()) is not None:
                    burst.append(more)
                ids: list[uuid.UUID] = [activity_id(e) for e in burst if e.kind in wanted]
                for record in await activity_service.get_activity(
                    context.db, context.tenant_id, ids
                ):
                    if flow and record.flow_name != flow:
                        continue
                    yield ActivityEvent.from_record(record)


__all__ = ["ActivityEvent", "ActivityQuery", "ActivitySubscription"]
