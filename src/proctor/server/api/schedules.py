# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""Flow schedules in the API: read a flow's effective schedule (from code, or the
override a person set), add, change and remove clocks, preview the next times of a
clock that is not saved yet, and go back to the schedule in code.

    query { flowSchedule(flowId: "...") { source active version
            clocks { index kind cron timezone } nextTimes(n: 10) } }
    query { schedulePreview(clock: {kind: "cron", cron: "0 9 * * *",
            timezone: "Europe/Berlin"}) { times error } }
    mutation { addScheduleClock(flowId: "...", clock: {...}) { source } }
    mutation { removeScheduleClock(flowId: "...", index: 1, expectedVersion: "...") {
               version } }
    mutation { resetFlowSchedule(flowId: "...") { source } }

Turning the schedule on and off stays `setScheduleActive`. The rules (what an edit
checks, what a new version does to an override) are in `services.schedule_edits`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from proctor.server.api.loaders import ctx
from proctor.server.services import schedule_edits, schedules
from proctor.server.services.schedule_edits import ClockFields

_KINDS = {"IntervalClock": "interval", "CronClock": "cron", "RRuleClock": "rrule"}
ExpectedVersion = Annotated[
    str | None,
    strawberry.argument(
        description="The `version` the edit was made on: refused with STALE_VERSION (reload "
        "and edit again) when the schedule changed since. Without it the edit applies to "
        "whatever the schedule is now."
    ),
]


@strawberry.type(description="One clock of a schedule, as the schedule editor shows it.")
class ScheduleClock:
    index: int = strawberry.field(description="Position in the schedule (0-based).")
    kind: str = strawberry.field(description="interval, cron, rrule or dates.")
    interval_seconds: float | None
    cron: str | None
    day_or: bool | None
    rrule: str | None
    timezone: str | None
    start_date: datetime | None = strawberry.field(
        description="First allowed time; for an interval, its anchor."
    )
    end_date: datetime | None
    parameter_defaults: JSON
    labels: list[str]
    document: JSON = strawberry.field(description="The clock as stored (Clock.to_dict()).")

    @classmethod
    def of(cls, index: int, clock: dict[str, Any]) -> ScheduleClock:
        def when(key: str) -> datetime | None:
            value = clock.get(key)
            return datetime.fromisoformat(value) if isinstance(value, str) else None

        return cls(
            index=index,
            kind=_KINDS.get(str(clock.get("type")), "dates"),
            interval_seconds=clock.get("interval"),
            cron=clock.get("cron"),
            day_or=clock.get("day_or"),
            rrule=clock.get("rrule"),
            timezone=clock.get("timezone"),
            start_date=when("start_date"),
            end_date=when("end_date"),
            parameter_defaults=JSON(clock.get("parameter_defaults") or {}),
            labels=list(clock.get("labels") or []),
            document=JSON(clock),
        )


@strawberry.type(description="A flow's effective schedule and where it comes from.")
class FlowSchedule:
    flow_group_id: strawberry.ID
    flow_id: strawberry.ID = strawberry.field(description="The newest version.")
    flow_name: str
    project: str
    source: str = strawberry.field(
        description="code: the schedule given in code; override: set in the UI, API or CLI."
    )
    overridden: bool
    overridden_at: datetime | None
    active: bool
    schedule: JSON | None = strawberry.field(description="Effective (Schedule.to_dict()).")
    code_schedule: JSON | None = strawberry.field(
        description="The newest version's schedule in code (what a reset goes back to)."
    )
    clocks: list[ScheduleClock]
    filters: JSON = strawberry.field(description="filters, or_filters, not_filters, adjustments.")
    parameter_schema: JSON = strawberry.field(description="The newest version's parameters.")
    version: str = strawberry.field(
        description="Changes with every edit; send it back as `expectedVersion` so an edit "
        "made on an older schedule is refused (STALE_VERSION) instead of overwriting."
    )

    @strawberry.field(description="The next `n` start times (UTC), on or off.")
    def next_times(self, n: int = 10) -> list[datetime]:
        document = self.schedule if isinstance(self.schedule, dict) else None
        return schedules.next_run_times(document, n)

    @classmethod
    def of(cls, record: schedule_edits.FlowSchedule) -> FlowSchedule:
        document = record.schedule or {}
        return cls(
            flow_group_id=strawberry.ID(str(record.flow_group_id)),
            flow_id=strawberry.ID(str(record.flow_id)),
            flow_name=record.flow_name,
            project=record.project,
            source=record.source,
            overridden=record.source == "override",
            overridden_at=record.overridden_at,
            active=record.active,
            schedule=JSON(record.schedule) if record.schedule is not None else None,
            code_schedule=JSON(record.code_schedule) if record.code_schedule is not None else None,
            clocks=[ScheduleClock.of(i, c) for i, c in enumerate(document.get("clocks") or [])],
            filters=JSON(
                {
                    key: document.get(key) or []
                    for key in ("filters", "or_filters", "not_filters", "adjustments")
                }
            ),
            parameter_schema=JSON(record.parameter_schema),
            version=record.version,
        )


@strawberry.input(description="A clock as the schedule form sends it.")
class ScheduleClockInput:
    kind: str = strawberry.field(description="interval, cron or rrule.")
    interval_seconds: float | None = strawberry.field(
        default=None, description="interval: seconds between runs."
    )
    cron: str | None = strawberry.field(
        default=None, description="cron: 5 fields, or 6 with seconds first."
    )
    day_or: bool = strawberry.field(
        default=True, description="cron: day-of-month OR day-of-week (the cron default)."
    )
    rrule: str | None = strawberry.field(default=None, description="rrule: RFC 5545 text.")
    timezone: str | None = strawberry.field(default=None, description="IANA zone; UTC if none.")
    start_date: datetime | None = strawberry.field(
        default=None, description="First allowed time; an interval's anchor."
    )
    end_date: datetime | None = None
    parameter_defaults: JSON | None = strawberry.field(
        default=None, description="Parameter values for runs of this clock."
    )
    labels: list[str] | None = None

    def fields(self) -> ClockFields:
        defaults: Any = self.parameter_defaults
        if defaults is not None and not isinstance(defaults, dict):
            from proctor.server.errors import InvalidInput

            raise InvalidInput(
                "parameterDefaults must be an object mapping parameter names to values",
                details={"field": "parameter_defaults"},
            )
        return ClockFields(
            kind=self.kind,
            interval_seconds=self.interval_seconds,
            cron=self.cron,
            day_or=self.day_or,
            rrule=self.rrule,
            timezone=self.timezone,
            start_date=self.start_date,
            end_date=self.end_date,
            parameter_defaults=defaults,
            labels=self.labels,
        )


@strawberry.type(description="The next start times of a schedule or clock, or why it has none.")
class SchedulePreview:
    times: list[datetime]
    error: str | None = strawberry.field(description="Why the schedule cannot be used.")


@strawberry.type
class ScheduleQuery:
    @strawberry.field(description="A flow's effective schedule (flow or flow group id).")
    async def flow_schedule(self, info: strawberry.Info, flow_id: strawberry.ID) -> FlowSchedule:
        context = ctx(info)
        record = await schedule_edits.get_flow_schedule(context.db, context.tenant_id, flow_id)
        return FlowSchedule.of(record)

    @strawberry.field(
        description="The next `n` times of an unsaved clock (under the filters of the flow's "
        "schedule when `flowId` is given) or of a whole schedule document; `error` says "
        "why it cannot be used (bad cron, unknown time zone, never fires)."
    )
    async def schedule_preview(
        self,
        info: strawberry.Info,
        clock: ScheduleClockInput | None = None,
        schedule: JSON | None = None,
        flow_id: strawberry.ID | None = None,
        n: int = 10,
        after: datetime | None = None,
    ) -> SchedulePreview:
        from proctor.server.errors import InvalidInput

        if (clock is None) == (schedule is None):
            raise InvalidInput("pass either clock or schedule")
        if clock is not None:
            base = None
            if flow_id is not None:
                context = ctx(info)
                record = await schedule_edits.get_flow_schedule(
                    context.db, context.tenant_id, flow_id
                )
                base = record.schedule
            found = schedule_edits.preview_clock(clock.fields(), base, n, after=after)
        else:
            document: Any = schedule
            if not isinstance(document, dict):
                raise InvalidInput("schedule must be an object (Schedule.to_dict())")
            found = schedule_edits.preview(document, n, after=after)
        return SchedulePreview(times=found.times, error=found.error)


@strawberry.type
class ScheduleMutation:
    @strawberry.mutation(
        description="Add a clock to a flow's schedule; the edited schedule overrides the "
        "one in code (kept for new versions) until resetFlowSchedule."
    )
    async def add_schedule_clock(
        self,
        info: strawberry.Info,
        flow_id: strawberry.ID,
        clock: ScheduleClockInput,
        expected_version: ExpectedVersion = None,
    ) -> FlowSchedule:
        context = ctx(info)
        record = await schedule_edits.add_clock(
            context.db,
            context.tenant_id,
            flow_id,
            clock.fields(),
            expected_version=expected_version,
        )
        return FlowSchedule.of(record)

    @strawberry.mutation(description="Replace clock `index` (0-based) of a flow's schedule.")
    async def update_schedule_clock(
        self,
        info: strawberry.Info,
        flow_id: strawberry.ID,
        index: int,
        clock: ScheduleClockInput,
        expected_version: ExpectedVersion = None,
    ) -> FlowSchedule:
        context = ctx(info)
        record = await schedule_edits.update_clock(
            context.db,
            context.tenant_id,
            flow_id,
            index,
            clock.fields(),
            expected_version=expected_version,
        )
        return FlowSchedule.of(record)

    @strawberry.mutation(
        description="Remove clock `index`; without clocks the flow has no schedule (and "
        "it is off) until a clock is added or the schedule reset to the code's."
    )
    async def remove_schedule_clock(
        self,
        info: strawberry.Info,
        flow_id: strawberry.ID,
        index: int,
        expected_version: ExpectedVersion = None,
    ) -> FlowSchedule:
        context = ctx(info)
        record = await schedule_edits.remove_clock(
            context.db, context.tenant_id, flow_id, index, expected_version=expected_version
        )
        return FlowSchedule.of(record)

    @strawberry.mutation(
        description="Replace the whole schedule (Schedule.to_dict(), with filters and "
        "adjustments) as the override; null removes it."
    )
    async def set_flow_schedule(
        self,
        info: strawberry.Info,
        flow_id: strawberry.ID,
        schedule: JSON | None,
        expected_version: ExpectedVersion = None,
    ) -> FlowSchedule:
        context = ctx(info)
        record = await schedule_edits.set_schedule(
            context.db, context.tenant_id, flow_id, schedule, expected_version=expected_version
        )
        return FlowSchedule.of(record)

    @strawberry.mutation(
        description="Drop the override: the schedule in code (newest version) applies again."
    )
    async def reset_flow_schedule(
        self,
        info: strawberry.Info,
        flow_id: strawberry.ID,
        expected_version: ExpectedVersion = None,
    ) -> FlowSchedule:
        context = ctx(info)
        record = await schedule_edits.reset_schedule(
            context.db, context.tenant_id, flow_id, expected_version=expected_version
        )
        return FlowSchedule.of(record)


__all__ = [
    "FlowSchedule",
    "ScheduleClock",
    "ScheduleClockInput",
    "ScheduleMutation",
    "SchedulePreview",
    "ScheduleQuery",
]
