"""`proctor run FLOW`: start a run of a registered flow on the server (an agent runs it).

Parameters are read as in `run-local`: JSON when they are JSON, text otherwise, and
always text for a parameter whose schema says `string`. With `--watch` the command follows
the run with the live progress display until it ends: exit 0 if it succeeded, 1 if not.
Stopping the watch (Ctrl-C) does not stop the run.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from proctor.cli.output import (
    EXIT_FLOW_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    UserError,
    fail,
    stderr_console,
)
from proctor.cli.remote import (
    ApiUrlOption,
    JsonOption,
    api_call,
    find_flow,
    make_client,
    print_json,
)

if TYPE_CHECKING:
    from proctor.client import Client, FlowRun


def run(
    flow_name: Annotated[
        str | None,
        typer.Argument(
            metavar="FLOW",
            help="A registered flow: its name, PROJECT/NAME, or a flow id.",
            show_default=False,
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--name", help="The flow's name, instead of FLOW (1.x spelling).", show_default=False
        ),
    ] = None,
    flow_id: Annotated[
        str | None,
        typer.Option(
            "--id", help="The flow's id, instead of FLOW (1.x spelling).", show_default=False
        ),
    ] = None,
    project: Annotated[
        str | None,
        typer.Option("--project", help="The flow's project (needed if the name is reused)."),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            metavar="NAME=VALUE",
            help="A parameter value (repeatable); read as JSON when it is JSON.",
            show_default=False,
        ),
    ] = None,
    params_file: Annotated[
        Path | None,
        typer.Option(
            "--params-file",
            metavar="PATH",
            help="JSON file holding an object of parameter values; --param options win.",
            show_default=False,
        ),
    ] = None,
    run_name: Annotated[
        str | None, typer.Option("--run-name", help="Name of the run (default: a generated one).")
    ] = None,
    label: Annotated[
        list[str] | None,
        typer.Option(
            "--label",
            "-l",
            metavar="LABEL",
            help="Run labels (repeatable), instead of the flow's: which agents may run it.",
            show_default=False,
        ),
    ] = None,
    env: Annotated[
        list[str] | None,
        typer.Option(
            "--env",
            metavar="NAME=VALUE",
            help="An environment variable for this run (repeatable), over the flow's run "
            "config env.",
            show_default=False,
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            metavar="WHEN",
            help="When to start: an ISO time (2026-05-01T09:30, local time unless it has "
            "an offset) or a delay such as 10m, 2h, 1d. Default: now.",
            show_default=False,
        ),
    ] = None,
    watch: Annotated[
        bool, typer.Option("--watch", "-w", help="Follow the run until it ends.")
    ] = False,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Create a run of a registered flow; an agent with the flow's labels runs it."""
    flow_name = _one_flow(flow_name, name, flow_id)
    from proctor.cli.agent import parse_env
    from proctor.cli.params import read_params_file
    from proctor.cli.when import parse_start

    run_env = parse_env(env) if env else None
    try:
        from_file = read_params_file(params_file) if params_file is not None else {}
        start_time = parse_start(start) if start is not None else None
    except UserError as error:
        fail(str(error))
    with api_call(), make_client(api_url) as client:
        flow = find_flow(client, flow_name, project)
        try:
            parameters = _parameters(from_file, param or [], flow.parameter_schema)
        except UserError as error:
            fail(str(error))
        created = client.create_flow_run(
            flow.id,
            parameters=parameters,
            name=run_name,
            labels=label,
            scheduled_start_time=start_time,
            env=run_env,
        )
        _warn_if_no_agent_can_take(client, created)
        if not watch:
            if json_output:
                print_json(created)
            else:
                typer.echo(
                    f"Created flow run {created.name} ({created.id}) of {flow.name!r} "
                    f"version {flow.version}; follow it with: proctor runs show {created.id}"
                )
            return
        code = _watch(client, created, json_output)
    raise typer.Exit(code)


def _warn_if_no_agent_can_take(client: Client, created: FlowRun) -> None:
    """A run no healthy agent covers would wait in silence: say why and what to start."""
    from rich.markup import escape

    from proctor.cli.agent_cover import agent_cover

    cover = agent_cover(client, created.id, created.labels)
    warning = cover.warning(created.labels) if cover is not None else None
    if warning:
        stderr_console().print(f"[yellow]{escape(warning)}[/]", highlight=False)


def _one_flow(flow: str | None, name: str | None, flow_id: str | None) -> str:
    given = [value for value in (flow, name, flow_id) if value]
    if len(given) != 1:
        fail(
            "Name one flow to run: proctor run FLOW (or 1.x's --name NAME or --id ID), "
            f"got {len(given)}."
        )
    return given[0]


def _parameters(
    from_file: dict[str, Any], items: list[str], schema: dict[str, Any]
) -> dict[str, Any]:
    from proctor.cli.params import parse_value, split_params

    properties = schema.get("properties") or {}
    for name in from_file:
        if name not in properties:
            known = ", ".join(sorted(properties)) or "none"
            raise UserError(f"the flow has no parameter {name!r}; its parameters: {known}")
    values: dict[str, Any] = dict(from_file)
    for name, text in split_params(items).items():
        if name not in properties:
            known = ", ".join(sorted(properties)) or "none"
            raise UserError(f"the flow has no parameter {name!r}; its parameters: {known}")
        declared = properties[name].get("type") if isinstance(properties[name], dict) else None
        values[name] = text if declared == "string" else parse_value(text)
    return values


def _watch(client: Client, created: FlowRun, json_output: bool) -> int:
    from proctor.cli.failure_cause import failure_causes
    from proctor.cli.progress import LineProgress, LiveProgress
    from proctor.cli.summary import print_remote_failures
    from proctor.cli.tracker import ProgressTracker
    from proctor.cli.watch import POLL_SECONDS, RemoteRun, outcome_line

    console = stderr_console()
    tracker = ProgressTracker()
    remote = RemoteRun(client, created.id, tracker)
    remote.begin()
    display: LiveProgress | LineProgress | contextlib.nullcontext[None]
    if json_output:
        display = contextlib.nullcontext()
    elif console.is_terminal and not console.is_dumb_terminal:
        display = LiveProgress(tracker, console, f"{created.flow_name or ''} {created.name}")
    else:
        display = LineProgress(console, tracker)
        tracker.on_task_change = display
    started = time.monotonic()
    if not json_output:
        console.print(f"Watching flow run {created.name} ({created.id}); Ctrl-C stops watching")
    try:
        with display:
            while True:
                remote.poll()
                if remote.finished:
                    break
                time.sleep(POLL_SECONDS)
    except KeyboardInterrupt:
        console.print(
            f"Stopped watching; the run goes on. Follow it with: proctor runs show {created.id}"
        )
        return EXIT_INTERRUPTED
    failure = failure_causes(client, created.id) if remote.state == "Failed" else None
    if json_output:
        shown = {key: value for key, value in remote.run.items() if key != "taskRunSummary"}
        print_json({**shown, "failure": None if failure is None else asdict(failure)})
    else:
        cause = failure.text if failure is not None else None
        console.print(outcome_line(remote.run, time.monotonic() - started, cause))
        if remote.state != "Success":
            print_remote_failures(console, client, created.id)
    return EXIT_OK if remote.state == "Success" else EXIT_FLOW_FAILED


def register(app: typer.Typer) -> None:
    """Add `run` to the CLI."""
    app.command("run", no_args_is_help=True)(run)


__all__ = ["register", "run"]
