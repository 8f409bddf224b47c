"""`proctor schedules ls|add|rm|preview|on|off|reset FLOW` and `proctor backfill FLOW`.

Editing a flow's schedule here stores it as an override of the schedule in code (new
versions keep it; `reset` goes back to the code's). `proctor flows schedule on|off`
stays as it was; `schedules on|off` are the same switch beside the other schedule
commands. `proctor backfill` makes runs for the scheduled times of a past range, a few
at a time, and follows its progress (see docs/schedules.md).
"""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from proctor.cli.remote import (
    ApiUrlOption,
    JsonOption,
    api_call,
    find_flow,
    make_client,
    print_json,
    print_table,
    when,
)

schedules_app = typer.Typer(
    name="schedules",
    help="Edit a flow's schedule (overrides the one in code), preview it, turn it on or off.",
    no_args_is_help=True,
)

FlowArg = Annotated[
    str, typer.Argument(metavar="FLOW", help="The flow's name, PROJECT/NAME or id.")
]
ProjectOption = Annotated[str | None, typer.Option("--project", help="The flow's project.")]

_SCHEDULE = """fragment FlowScheduleParts on FlowSchedule {
  flowGroupId flowId flowName project source overridden active version
  clocks { index kind intervalSeconds cron rrule timezone startDate endDate
           parameterDefaults labels }
  nextTimes(n: $n) }"""
GET = (
    _SCHEDULE
    + """
query CliFlowSchedule($id: ID!, $n: Int!) { flowSchedule(flowId: $id) { ...FlowScheduleParts } }"""
)
ADD = (
    _SCHEDULE
    + """
mutation CliAddClock($id: ID!, $clock: ScheduleClockInput!, $n: Int!, $v: String) {
  addScheduleClock(flowId: $id, clock: $clock, expectedVersion: $v) { ...FlowScheduleParts } }"""
)
REMOVE = (
    _SCHEDULE
    + """
mutation CliRemoveClock($id: ID!, $index: Int!, $n: Int!, $v: String) {
  removeScheduleClock(flowId: $id, index: $index, expectedVersion: $v) {
    ...FlowScheduleParts } }"""
)
RESET = (
    _SCHEDULE
    + """
mutation CliResetSchedule($id: ID!, $n: Int!, $v: String) {
  resetFlowSchedule(flowId: $id, expectedVersion: $v) { ...FlowScheduleParts } }"""
)
PREVIEW = """query CliPreviewClock($clock: ScheduleClockInput!, $id: ID, $n: Int!) {
  schedulePreview(clock: $clock, flowId: $id, n: $n) { times error } }"""
TOGGLE = """mutation CliScheduleSwitch($id: ID!, $on: Boolean!) {
  setScheduleActive(flowId: $id, active: $on) { scheduleActive } }"""


def _mutate(client: Any, document: str, variables: dict[str, Any]) -> dict[str, Any]:
    """A mutation, sent once (never retried: adding a clock twice would add two)."""
    from proctor.client._wire import Operation

    data: dict[str, Any] = client.execute(Operation(document, variables, idempotent=False))
    return data


def _describe(clock: dict[str, Any]) -> str:
    if clock["kind"] == "interval":
        return f"every {clock['intervalSeconds']:g} s"
    if clock["kind"] == "cron":
        return str(clock["cron"])
    return str(clock.get("rrule") or clock["kind"]).replace("\n", " ")


def _show(schedule: dict[str, Any], json_output: bool) -> None:
    if json_output:
        print_json(schedule)
        return
    import json

    origin = "overrides the schedule in code" if schedule["overridden"] else "from code"
    state = "on" if schedule["active"] else "off"
    typer.echo(f"Schedule of {schedule['project']}/{schedule['flowName']}: {state}, {origin}.")
    typer.echo(f"Version {schedule['version']} (edit with --if-version {schedule['version']}).")
    if not schedule["clocks"]:
        typer.echo("No clocks: the flow has no schedule.")
        return
    print_table(
        None,
        ["#", "KIND", "WHEN", "TIME ZONE", "PARAMETERS"],
        [
            (
                clock["index"],
                clock["kind"],
                _describe(clock),
                clock["timezone"] or "UTC",
                json.dumps(clock["parameterDefaults"]) if clock["parameterDefaults"] else "-",
            )
            for clock in schedule["clocks"]
        ],
    )
    if schedule["nextTimes"]:
        typer.echo("Next: " + ", ".join(when(_time(t)) for t in schedule["nextTimes"]))


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass(frozen=True)
class ClockOptions:
    """The options that describe one clock (`add` and `preview` take the same)."""

    cron: str | None = None
    interval: float | None = None
    rrule: str | None = None
    timezone: str | None = None
    start: datetime | None = None
    end: datetime | None = None

    def given(self) -> bool:
        return (self.cron, self.interval, self.rrule) != (None, None, None)

    def to_input(
        self, params: list[str] | None = None, labels: list[str] | None = None
    ) -> dict[str, Any]:
        """The `ScheduleClockInput` of these options (exits on a user error)."""
        from proctor.cli.output import UserError, fail
        from proctor.cli.params import parse_value, split_params

        kinds = (("cron", self.cron), ("interval", self.interval), ("rrule", self.rrule))
        given = [kind for kind, value in kinds if value is not None]
        if len(given) != 1:
            fail("give exactly one of --cron, --interval or --rrule")
        try:
            defaults = {
                name: parse_value(value) for name, value in split_params(params or []).items()
            }
        except UserError as exc:
            fail(str(exc))
        return {
            "kind": given[0],
            "cron": self.cron,
            "intervalSeconds": self.interval,
            "rrule": self.rrule,
            "timezone": self.timezone,
            "startDate": _aware(self.start),
            "endDate": _aware(self.end),
            "parameterDefaults": defaults,
            "labels": list(labels or []),
        }


def _aware(value: datetime | None) -> str | None:
    """A datetime option as ISO text; a naive one is read as UTC."""
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


# Typer reads a command's options from its signature: `with_clock_options` adds these to
# a command once, and hands them to it as one `clock: ClockOptions`.
_CLOCK_OPTIONS: dict[str, Any] = {
    "cron": Annotated[
        str | None, typer.Option("--cron", help="Cron expression, e.g. '0 9 * * MON-FRI'.")
    ],
    "interval": Annotated[
        float | None, typer.Option("--interval", min=0.001, help="Seconds between runs.")
    ],
    "rrule": Annotated[str | None, typer.Option("--rrule", help="RFC 5545 rule text.")],
    "timezone": Annotated[
        str | None,
        typer.Option("--timezone", "--tz", help="IANA zone, e.g. Europe/Berlin (UTC)."),
    ],
    "start": Annotated[
        datetime | None,
        typer.Option("--start", help="First allowed time; an interval's anchor."),
    ],
    "end": Annotated[datetime | None, typer.Option("--end", help="Last allowed time.")],
}


def with_clock_options(command: Callable[..., None]) -> Callable[..., None]:
    """`command(flow, clock: ClockOptions, ...)` as a Typer command with --cron,
    --interval, --rrule, --timezone, --start and --end after FLOW."""
    signature = inspect.signature(command, eval_str=True)
    own = [p for p in signature.parameters.values() if p.name != "clock"]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=kind)
        for name, kind in _CLOCK_OPTIONS.items()
    ]
    keyword = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own[1:]]

    @functools.wraps(command)
    def run(*args: Any, **options: Any) -> None:
        clock = ClockOptions(**{name: options.pop(name) for name in _CLOCK_OPTIONS})
        command(*args, clock=clock, **options)

    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[own[0], *added, *keyword]
    )
    return run


ParamOption = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", help="A parameter default NAME=VALUE (repeatable)."),
]
LabelOption = Annotated[
    list[str] | None, typer.Option("--label", help="A label for its runs (repeatable).")
]
CountOption = Annotated[int, typer.Option("--next", min=1, max=100, help="Times shown.")]
VersionOption = Annotated[
    str | None,
    typer.Option(
        "--if-version",
        metavar="VERSION",
        help="Refuse if the schedule changed since `schedules ls` showed this version "
        "(someone else's edit: list it again).",
    ),
]


@schedules_app.command("ls")
def list_schedule(
    flow: FlowArg,
    project: ProjectOption = None,
    count: CountOption = 10,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show a flow's schedule: where it comes from, its clocks, its next times."""
    with api_call(), make_client(api_url) as client:
        found = find_flow(client, flow, project)
        data = client.query(GET, {"id": found.id, "n": count})
    _show(data["flowSchedule"], json_output)


@schedules_app.command("add")
@with_clock_options
def add_clock(
    flow: FlowArg,
    clock: ClockOptions,
    param: ParamOption = None,
    label: LabelOption = None,
    project: ProjectOption = None,
    count: CountOption = 10,
    if_version: VersionOption = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Add a clock (the edited schedule overrides the one in code until `reset`)."""
    clock_input = clock.to_input(param, label)
    with api_call(), make_client(api_url) as client:
        found = find_flow(client, flow, project)
        variables = {"id": found.id, "clock": clock_input, "n": count, "v": if_version}
        data = _mutate(client, ADD, variables)
    _show(data["addScheduleClock"], json_output)


@schedules_app.command("rm")
def remove_clock(
    flow: FlowArg,
    index: Annotated[int, typer.Argument(help="The clock's # in `proctor schedules ls`.")],
    project: ProjectOption = None,
    count: CountOption = 10,
    if_version: VersionOption = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Remove a clock (without clocks the flow has no schedule until `add` or `reset`)."""
    with api_call(), make_client(api_url) as client:
        found = find_flow(client, flow, project)
        variables = {"id": found.id, "index": index, "n": count, "v": if_version}
        data = _mutate(client, REMOVE, variables)
    _show(data["removeScheduleClock"], json_output)


@schedules_app.command("reset")
def reset_schedule(
    flow: FlowArg,
    project: ProjectOption = None,
    count: CountOption = 10,
    if_version: VersionOption = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Drop the edits: the schedule given in code applies again."""
    with api_call(), make_client(api_url) as client:
        found = find_flow(client, flow, project)
        data = _mutate(client, RESET, {"id": found.id, "n": count, "v": if_version})
    _show(data["resetFlowSchedule"], json_output)


@schedules_app.command("preview")
@with_clock_options
def preview(
    flow: FlowArg,
    clock: ClockOptions,
    project: ProjectOption = None,
    count: CountOption = 10,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Next times of a clock before adding it, or of the flow's schedule."""
    from proctor.cli.output import fail

    with api_call(), make_client(api_url) as client:
        found = find_flow(client, flow, project)
        if not clock.given():
            times = client.query(GET, {"id": found.id, "n": count})["flowSchedule"]["nextTimes"]
        else:
            variables = {"clock": clock.to_input(), "id": found.id, "n": count}
            answer = client.query(PREVIEW, variables)
            if answer["schedulePreview"]["error"]:
                fail(answer["schedulePreview"]["error"])
            times = answer["schedulePreview"]["times"]
    if json_output:
        print_json(times)
        return
    for text in times:
        typer.echo(f"{when(_time(text))}  ({text})")


def _switch(
    flow: str, project: str | None, on: bool, api_url: str | None, json_output: bool
) -> None:
    with api_call(), make_client(api_url) as client:
        found = find_flow(client, flow, project)
        data = _mutate(client, TOGGLE, {"id": found.id, "on": on})
    if json_output:
        print_json(data["setScheduleActive"])
        return
    state = "on" if data["setScheduleActive"]["scheduleActive"] else "off"
    typer.echo(f"Schedule of flow {flow!r} is {state}.")


@schedules_app.command("on")
def turn_on(
    flow: FlowArg,
    project: ProjectOption = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Turn the schedule on."""
    _switch(flow, project, True, api_url, json_output)


@schedules_app.command("off")
def turn_off(
    flow: FlowArg,
    project: ProjectOption = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Turn the schedule off (its runs not yet started are removed)."""
    _switch(flow, project, False, api_url, json_output)


BACKFILL_PREVIEW = """query CliBackfillPreview($id: ID!, $start: DateTime!, $end: DateTime!) {
  backfillPreview(flowId: $id, start: $start, end: $end) {
    times existing new maxRuns first { start exists } last { start exists } } }"""
_BACKFILL = "id state total skipped createdRuns finished maxConcurrent counts { state count }"
CREATE_BACKFILL = f"""mutation CliCreateBackfill($id: ID!, $start: DateTime!, $end: DateTime!,
  $max: Int!) {{ createBackfill(flowId: $id, start: $start, end: $end, maxConcurrent: $max) {{
  {_BACKFILL} }} }}"""
GET_BACKFILL = f"query CliBackfill($id: ID!) {{ backfill(id: $id) {{ {_BACKFILL} }} }}"
CANCEL_BACKFILL = (
    f"mutation CliCancelBackfill($id: ID!) {{ cancelBackfill(id: $id) {{ {_BACKFILL} }} }}"
)


def _progress_line(backfill: dict[str, Any]) -> str:
    counts = ", ".join(f"{c['count']} {c['state']}" for c in backfill["counts"]) or "no runs yet"
    return (
        f"backfill {backfill['id']}: {backfill['state']}, {backfill['finished']}/"
        f"{backfill['total']} finished ({counts})"
    )


def backfill(
    flow: FlowArg,
    start: Annotated[
        datetime | None,
        typer.Option("--start", help="First time of the range (UTC if naive). Required."),
    ] = None,
    end: Annotated[
        datetime | None, typer.Option("--end", help="End of the range, not included. Required.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show the times; create nothing.")
    ] = False,
    max_concurrent: Annotated[
        int,
        typer.Option("--max-concurrent", min=1, max=1000, help="Most runs unfinished at once."),
    ] = 10,
    detach: Annotated[
        bool, typer.Option("--detach", help="Return once created; do not follow progress.")
    ] = False,
    cancel: Annotated[
        str | None,
        typer.Option("--cancel", metavar="BACKFILL_ID", help="Cancel this backfill instead."),
    ] = None,
    project: ProjectOption = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Run FLOW for every scheduled time in [--start, --end) of its schedule, at most
    --max-concurrent runs at once; times that already have a run are skipped."""
    from proctor.cli.output import fail

    if cancel is None and (start is None or end is None):
        fail("give the range: --start and --end (or --cancel BACKFILL_ID)")
    with api_call(), make_client(api_url) as client:
        if cancel is not None:
            data = _mutate(client, CANCEL_BACKFILL, {"id": cancel})["cancelBackfill"]
            if json_output:
                print_json(data)
            else:
                typer.echo(_progress_line(data))
            return
        found = find_flow(client, flow, project)
        window = {"id": found.id, "start": _aware(start), "end": _aware(end)}
        if dry_run:
            _show_preview(client.query(BACKFILL_PREVIEW, window)["backfillPreview"], json_output)
            return
        made = _mutate(client, CREATE_BACKFILL, {**window, "max": max_concurrent})
        current = made["createBackfill"]
        if not json_output:
            typer.echo(
                f"Backfill {current['id']} created: {current['total']} runs "
                f"({current['skipped']} times skipped: they already have a run), "
                f"at most {current['maxConcurrent']} at once."
            )
        if not detach:
            current = _follow(client, current, json_output)
    if json_output:
        print_json(current)


def _follow(client: Any, current: dict[str, Any], quiet: bool) -> dict[str, Any]:
    """Poll until the backfill ends; one line each time its progress changes."""
    last = ""
    try:
        while True:
            line = _progress_line(current)
            if line != last and not quiet:
                typer.echo(line)
                last = line
            if current["state"] != "Running":
                return current
            time.sleep(1.0)
            current = client.query(GET_BACKFILL, {"id": current["id"]})["backfill"]
    except KeyboardInterrupt:
        typer.echo(
            f"\nStopped following; the backfill goes on. Cancel it with "
            f"`proctor backfill FLOW --cancel {current['id']}`.",
            err=True,
        )
        raise typer.Exit(130) from None


def _show_preview(preview: dict[str, Any], json_output: bool) -> None:
    if json_output:
        print_json(preview)
        return
    typer.echo(
        f"{preview['times']} scheduled times in the range; {preview['existing']} already have "
        f"a run (skipped); {preview['new']} runs would be created (cap {preview['maxRuns']:,})."
    )
    for label, times in (("first", preview["first"]), ("last", preview["last"])):
        if times:
            shown = ", ".join(
                when(_time(t["start"])) + (" (has a run)" if t["exists"] else "") for t in times
            )
            typer.echo(f"{label}: {shown}")


def register(app: typer.Typer) -> None:
    """Add `schedules` and `backfill` to the CLI."""
    app.add_typer(schedules_app)
    app.command("backfill")(backfill)


__all__ = ["register"]
