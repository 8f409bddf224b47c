# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""The `Subscription` root (graphql-transport-ws): live runs, live logs, the run feed.

Events on the bus carry ids, not data (see `proctor.server.events`), so a subscription
re-reads what changed through the services and sends typed objects. Bursts are coalesced:
after an event the stream waits `COALESCE_SECONDS` and drains what else arrived, so a run
reporting thousands of task states costs its watchers a few reads a second, not one per
state. A dropped event (slow consumer) costs nothing but a later refresh.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry

from proctor.server.api import run_scope
from proctor.server.api.loaders import ctx
from proctor.server.api.types import FlowRun, LogLine, TaskRun
from proctor.server.events import Event, flow_run_topic, tenant_topic
from proctor.server.events import Subscription as EventSubscription
from proctor.server.services import flow_runs
from proctor.server.services import logs as logs_service
from proctor.server.services import task_runs as task_runs_service
from proctor.server.services.plumbing.validation import as_uuid
from proctor.server.services.task_run_versions import recent_task_run_versions

COALESCE_SECONDS = 0.1


@strawberry.type(description="A change of a watched flow run.")
class FlowRunUpdate:
    kind: str = strawberry.field(
        description='"snapshot" (first message), "flow_run", "task_runs" or "deleted".'
    )
    flow_run: FlowRun | None
    task_runs: list[TaskRun] = strawberry.field(
        description="Task runs whose version changed since the previous message."
    )


@strawberry.type(description="Something happened to a run of the team (dashboard feed).")
class RunFeedEvent:
    kind: str
    flow_run_id: strawberry.ID | None
    state: str | None
    state_type: str | None
    version: int | None
    occurred: datetime


async def _burst(subscription: EventSubscription) -> list[Event]:
    """The next event and whatever follows it within the coalescing window."""
    first = await subscription.get()
    if first is None:
        return []
    await asyncio.sleep(COALESCE_SECONDS)
    events = [first]
    while (more := subscription.get_nowait()) is not None:
        events.append(more)
    return events


class _TaskRunTracker:
    """Remembers the version of every task run sent, to send only the changed ones."""

    def __init__(self, context: Any, flow_run_id: str) -> None:
        self.context = context
        self.flow_run_id = flow_run_id
        self.versions: dict[str, int] = {}

    async def changed(self, *, recent_first: bool) -> list[TaskRun]:
        page = await task_runs_service.list_task_runs(
            self.context.db,
            self.context.tenant_id,
            self.flow_run_id,
            order_by="-state_timestamp" if recent_first else "task_slug",
            first=self.context.request_limits.max_page_size,
            count=False,
        )
        changed = []
        for record in page.items:
            key = str(record.id)
            if self.versions.get(key) != record.version:
                self.versions[key] = record.version
                changed.append(TaskRun.from_record(record))
        return changed

    async def remember(self) -> None:
        """Take the task runs as they are now as sent (versions only, the page that
        `changed(recent_first=True)` reads): later messages carry what changes from here."""
        self.versions.update(
            await recent_task_run_versions(
                self.context.db,
                self.context.tenant_id,
                self.flow_run_id,
                first=self.context.request_limits.max_page_size,
            )
        )


@strawberry.type
class Subscription:
    @strawberry.subscription(description="A flow run's state and task-run changes, live.")
    async def flow_run(
        self,
        info: strawberry.Info,
        id: strawberry.ID,
        task_runs: Annotated[
            bool,
            strawberry.argument(
                description="false: the snapshot carries the run and no task runs, later "
                "messages the task runs changed since the snapshot; for a client that reads "
                "the task runs itself once the snapshot came (on a big run, typed task runs "
                "in the snapshot cost more than the rest of the first screen)."
            ),
        ] = True,
    ) -> AsyncGenerator[FlowRunUpdate, None]:
        context = ctx(info)
        await run_scope.run(info, id)
        run_id = str(as_uuid(id, "id"))
        with context.events.subscribe(flow_run_topic(run_id)) as events:
            run = await flow_runs.get_flow_run(context.db, context.tenant_id, run_id)
            tracker = _TaskRunTracker(context, run_id)
            if task_runs:
                snapshot = await tracker.changed(recent_first=False)
            else:
                await tracker.remember()
                snapshot = []
            yield FlowRunUpdate(
                kind="snapshot", flow_run=FlowRun.from_record(run), task_runs=snapshot
            )
            while burst := await _burst(events):
                kinds = {event.kind for event in burst}
                if "flow_run.deleted" in kinds:
                    yield FlowRunUpdate(kind="deleted", flow_run=None, task_runs=[])
                    return
                if kinds & {"flow_run.state", "flow_run.created"}:
                    run = await flow_runs.get_flow_run(context.db, context.tenant_id, run_id)
                    changed = await tracker.changed(recent_first=True)
                    yield FlowRunUpdate(
                        kind="flow_run", flow_run=FlowRun.from_record(run), task_runs=changed
                    )
                elif "task_runs.state" in kinds:
                    changed = await tracker.changed(recent_first=True)
                    if changed:
                        yield FlowRunUpdate(kind="task_runs", flow_run=None, task_runs=changed)

    @strawberry.subscription(
        description="A flow run's log lines as they are written; from the start, or after "
        "the cursor of a `logs` query."
    )
    async def logs(
        self, info: strawberry.Info, flow_run_id: strawberry.ID, after: str | None = None
    ) -> AsyncGenerator[list[LogLine], None]:
        context = ctx(info)
        run_id = str(as_uuid(flow_run_id, "flowRunId"))
        with context.events.subscribe(flow_run_topic(run_id)) as events:
            await flow_runs.get_flow_run(context.db, context.tenant_id, run_id)
            cursor = after
            while True:
                has_next = True
                while has_next:
                    page = await logs_service.list_logs(
                        context.db,
                        context.tenant_id,
                        run_id,
                        after=cursor,
                        first=context.request_limits.max_page_size,
                    )
                    if page.items:
                        yield [LogLine.from_record(line) for line in page.items]
                    cursor = page.end_cursor or cursor
                    has_next = page.has_next_page
                kinds: set[str] = set()
                while "logs.written" not in kinds:
                    burst = await _burst(events)
                    kinds = {event.kind for event in burst}
                    if not burst or "flow_run.deleted" in kinds:
                        return

    @strawberry.subscription(description="Every run change of the team, for the dashboard.")
    async def run_feed(self, info: strawberry.Info) -> AsyncGenerator[RunFeedEvent, None]:
        context = ctx(info)
        with context.events.subscribe(tenant_topic(context.tenant_id)) as events:
            async for event in events:
                if not event.kind.startswith(("flow_run.", "task_runs.")):
                    continue
                data = event.data
                yield RunFeedEvent(
                    kind=event.kind,
                    flow_run_id=strawberry.ID(event.flow_run_id) if event.flow_run_id else None,
                    state=data.get("state"),
                    state_type=data.get("state_type"),
                    version=data.get("version"),
                    occurred=datetime.fromtimestamp(event.occurred, UTC),
                )


__all__ = ["FlowRunUpdate", "RunFeedEvent", "Subscription"]
