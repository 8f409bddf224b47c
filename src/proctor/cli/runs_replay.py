"""`proctor runs replay RUN_ID [--task SLUG]`: run a registered run again on this
machine, in this process, with its parameters and its persisted upstream results, to
debug it (a `breakpoint()` in a task stops here). See `proctor.agent.replay`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from proctor.cli.remote import (
    ApiUrlOption,
    JsonOption,
    api_call,
    make_client,
    print_fields,
    print_json,
    print_table,
    styled_state,
)
from proctor.cli.tables import Markup

if TYPE_CHECKING:
    from proctor.agent.replay import ReplayReport


def replay(
    flow_run_id: Annotated[str, typer.Argument(metavar="RUN_ID", help="The flow run's id.")],
    task: Annotated[
        str | None,
        typer.Option(
            "--task",
            "-t",
            metavar="SLUG",
            help="Replay only this task: its inputs are loaded from the run's persisted "
            "results and its function is called here.",
        ),
    ] = None,
    map_index: Annotated[
        int | None,
        typer.Option(
            "--map-index", min=0, metavar="N", help="With --task: which child of a mapped task."
        ),
    ] = None,
    rerun_all: Annotated[
        bool,
        typer.Option("--all", help="Run every task again instead of reusing persisted successes."),
    ] = False,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Replay a run locally: its flow version (loaded from its storage), its parameters
    and its persisted upstream results, run in this process. Nothing is written to the
    server and no result is written. Exit code 1 when the replay fails."""
    from proctor.agent.replay import ReplayError, load_source, replay_flow, replay_task
    from proctor.cli.output import fail
    from proctor.core.errors import ProctorError

    if task is None and map_index is not None:
        fail("--map-index needs --task")
    with api_call(), make_client(api_url) as client:
        try:
            source = load_source(client, flow_run_id)
        except ProctorError as error:
            fail(f"Cannot replay run {flow_run_id}: {error}")
    try:
        if task is None:
            report = replay_flow(source, rerun_all=rerun_all)
        else:
            report = replay_task(source, task, map_index=map_index)
    except ReplayError as error:
        fail(str(error))
    if json_output:
        print_json(report.as_dict())
    else:
        _show(report, task)
    if report.failed:
        raise typer.Exit(1)


def _show(report: ReplayReport, task: str | None) -> None:
    print_fields(
        [
            ("run", f"{report.flow_run_name} ({report.flow_run_id})"),
            ("flow", f"{report.flow_name} (version {report.version})"),
            ("parameters", report.parameters or "-"),
            *([("inputs", report.inputs or "-")] if task else []),
            ("replay", styled_state(report.state)),
            ("message", report.message or "-"),
            *([("returned", report.value)] if report.value is not None else []),
        ]
    )
    if report.missing:
        print_table(
            "inputs that could not be loaded",
            ["ARGUMENT", "FROM", "MESSAGE"],
            [(m.argument, m.upstream, m.reason) for m in report.missing],
        )
    if task is None and report.tasks:
        print_table(
            "task runs",
            ["TASK", "STATE", "MESSAGE"],
            [
                (
                    t.slug if t.map_index is None else f"{t.slug}[{t.map_index}]",
                    Markup(styled_state(t.state) + (" (reused)" if t.reused else "")),
                    t.message or "",
                )
                for t in report.tasks
            ],
        )
    for outcome in report.tasks:
        if outcome.traceback:
            where = (
                outcome.slug
                if outcome.map_index is None
                else f"{outcome.slug}[{outcome.map_index}]"
            )
            sys.stdout.write(f"\nTraceback of {where}:\n{outcome.traceback}")


def register(app: typer.Typer) -> None:
    """Add `replay` to `proctor runs`."""
    app.command("replay")(replay)


__all__ = ["register", "replay"]
