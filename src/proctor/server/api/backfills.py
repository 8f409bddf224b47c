# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""Backfills in the API: a dry run of a past range, creating one (its runs are made at
most `maxConcurrent` at a time), its progress, its runs, cancelling it.

    query { backfillPreview(flowId: "...", start: "...", end: "...") { times existing
            first { start exists } last { start exists } maxRuns } }
    mutation { createBackfill(flowId: "...", start: "...", end: "...", maxConcurrent: 5)
               { id total state } }
    query { backfill(id: "...") { total createdRuns finished counts { state count } } }
    mutation { cancelBackfill(id: "...") { state } }

The rules are in `services.backfills`.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from proctor.server.api.loaders import ctx
from proctor.server.api.types import FlowRun
from proctor.server.services import backfills
from proctor.server.services.backfills import DEFAULT_MAX_RUNS, BackfillRecord
from proctor.settings import Settings


def _max_runs(info: strawberry.Info) -> int:
    """The cap of the server's settings (`server.services.backfill.max_runs`)."""
    connection = ctx(info).connection
    settings: Settings | None = None
    if connection is not None:
        settings = getattr(connection.app.state, "settings", None)
    if settings is None:
        from proctor.settings import get_settings

        settings = get_settings()
    try:
        return int(settings.server.services.backfill.max_runs)
    except AttributeError:
        return DEFAULT_MAX_RUNS


@strawberry.type(description="A scheduled time in a backfill's range.")
class BackfillTime:
    start: datetime
    exists: bool = strawberry.field(
        description="A run for this time exists already: the backfill skips it."
    )


@strawberry.type(description="What a backfill of a range would do (nothing is created).")
class BackfillPreview:
    flow_group_id: strawberry.ID
    flow_id: strawberry.ID = strawberry.field(description="The version its runs would use.")
    start: datetime
    end: datetime
    times: int = strawberry.field(description="Scheduled times in [start, end).")
    existing: int = strawberry.field(description="Of them, times that already have a run.")
    new: int = strawberry.field(description="Runs the backfill would create.")
    first: list[BackfillTime]
    last: list[BackfillTime] = strawberry.field(description="Empty when `first` shows all.")
    max_runs: int = strawberry.field(description="The server's cap on times per backfill.")


@strawberry.type(description="How many of a backfill's runs are in one state family.")
class BackfillStateCount:
    state: str
    count: int


@strawberry.type(description="Runs for every scheduled time of a past range, made a few at a time.")
class Backfill:
    id: strawberry.ID
    flow_group_id: strawberry.ID
    flow_id: strawberry.ID
    flow_name: str
    start: datetime
    end: datetime
    max_concurrent: int = strawberry.field(description="Most of its runs unfinished at once.")
    total: int = strawberry.field(description="Runs it makes in all.")
    skipped: int = strawberry.field(description="Times skipped: they already had a run.")
    created_runs: int = strawberry.field(description="Runs made so far.")
    finished: int = strawberry.field(description="Runs finished (any final state).")
    state: str = strawberry.field(description="Running, Completed or Cancelled.")
    created: datetime
    ended: datetime | None
    counts: list[BackfillStateCount] = strawberry.field(
        description="Its runs per state family (Scheduled, Running, Success, ...)."
    )

    @strawberry.field(description="Its runs in scheduled-time order.")
    async def runs(self, info: strawberry.Info, first: int = 100, offset: int = 0) -> list[FlowRun]:
        context = ctx(info)
        found = await backfills.backfill_runs(
            context.db, context.tenant_id, self.id, first=first, offset=offset
        )
        return [FlowRun.from_record(run) for run in found]

    @classmethod
    def of(cls, record: BackfillRecord) -> Backfill:
        return cls(
            id=strawberry.ID(str(record.id)),
            flow_group_id=strawberry.ID(str(record.flow_group_id)),
            flow_id=strawberry.ID(str(record.flow_id)),
            flow_name=record.flow_name,
            start=record.start,
            end=record.end,
            max_concurrent=record.max_concurrent,
            total=record.total,
            skipped=record.skipped,
            created_runs=record.created_runs,
            finished=record.finished,
            state=record.state,
            created=record.created,
            ended=record.ended,
            counts=[
                BackfillStateCount(state=state, count=count)
                for state, count in sorted(record.counts.items())
            ],
        )


@strawberry.type
class BackfillQuery:
    @strawberry.field(
        description="Dry run of a backfill of [start, end): how many times, how many "
        "already have a run, the first and last few. Refused past the cap."
    )
    async def backfill_preview(
        self, info: strawberry.Info, flow_id: strawberry.ID, start: datetime, end: datetime
    ) -> BackfillPreview:
        context = ctx(info)
        found = await backfills.preview_backfill(
            context.db, context.tenant_id, flow_id, start, end, max_runs=_max_runs(info)
        )
        return BackfillPreview(
            flow_group_id=strawberry.ID(str(found.flow_group_id)),
            flow_id=strawberry.ID(str(found.flow_id)),
            start=found.start,
            end=found.end,
            times=found.times,
            existing=found.existing,
            new=found.new,
            first=[BackfillTime(start=t.start, exists=t.exists) for t in found.first],
            last=[BackfillTime(start=t.start, exists=t.exists) for t in found.last],
            max_runs=found.max_runs,
        )

    @strawberry.field(description="One backfill with its progress.")
    async def backfill(self, info: strawberry.Info, id: strawberry.ID) -> Backfill:
        context = ctx(info)
        return Backfill.of(await backfills.get_backfill(context.db, context.tenant_id, id))

    @strawberry.field(description="A flow's backfills, newest first (flow or flow group id).")
    async def backfills(
        self, info: strawberry.Info, flow_id: strawberry.ID, first: int = 50
    ) -> list[Backfill]:
        context = ctx(info)
        found = await backfills.list_backfills(context.db, context.tenant_id, flow_id, first=first)
        return [Backfill.of(record) for record in found]


@strawberry.type
class BackfillMutation:
    @strawberry.mutation(
        description="Backfill [start, end) of the flow's effective schedule: a run per "
        "scheduled time that has none yet, at most `maxConcurrent` unfinished at once."
    )
    async def create_backfill(
        self,
        info: strawberry.Info,
        flow_id: strawberry.ID,
        start: datetime,
        end: datetime,
        max_concurrent: int = 10,
    ) -> Backfill:
        context = ctx(info)
        record = await backfills.create_backfill(
            context.db,
            context.tenant_id,
            flow_id,
            start,
            end,
            max_concurrent=max_concurrent,
            max_runs=_max_runs(info),
        )
        return Backfill.of(record)

    @strawberry.mutation(
        description="Cancel a backfill: no more runs, and its unfinished runs are cancelled."
    )
    async def cancel_backfill(self, info: strawberry.Info, id: strawberry.ID) -> Backfill:
        context = ctx(info)
        return Backfill.of(await backfills.cancel_backfill(context.db, context.tenant_id, id))


__all__ = ["Backfill", "BackfillMutation", "BackfillPreview", "BackfillQuery"]
