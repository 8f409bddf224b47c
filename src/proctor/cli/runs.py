"""`proctor runs ls|show|logs`: flow runs on the server, their states and logs."""

from __future__ import annotations

from typing import Annotated

import typer

from proctor.cli import runs_mark
from proctor.cli.remote import (
    ApiUrlOption,
    JsonOption,
    api_call,
    make_client,
    print_fields,
    print_json,
    print_table,
    styled_state,
    when,
)
from proctor.cli.runs_list import list_runs
from proctor.cli.runs_logs import logs
from proctor.cli.runs_replay import register as register_replay

runs_app = typer.Typer(
    name="runs",
    help="List flow runs, inspect one, read its logs, cancel or restart it.",
    no_args_is_help=True,
)


# `runs ls` lives in its own module (every flow's runs, the Runs page's filters).
runs_app.command("ls")(list_runs)
register_replay(runs_app)  # `runs replay`: its own module


@runs_app.command("show")
def show(
    flow_run_id: Annotated[str, typer.Argument(metavar="RUN_ID", help="The flow run's id.")],
    task: Annotated[
        str | None,
        typer.Option(
            "--task",
            "-t",
            metavar="SLUG[INDEX]",
            help="Only this task's runs: enrich, or one mapped child: 'enrich[137]'.",
        ),
    ] = None,
    state: Annotated[
        list[str] | None,
        typer.Option(
            "--state",
            metavar="STATE",
            help="Only task runs in this state (repeatable), e.g. Failed.",
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="How many task runs, failed ones first.")
    ] = 200,
    show_all: Annotated[bool, typer.Option("--all", help="Every task run.")] = False,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show one flow run: its state, parameters, state history and task runs (failed
    ones first; it says how many are not shown and how to see them)."""
    from dataclasses import asdict

    from proctor.cli.agent_cover import agent_cover
    from proctor.cli.failure_cause import failure_causes
    from proctor.cli.output import UserError, fail
    from proctor.cli.summary import task_label
    from proctor.cli.task_runs_view import omitted_hint, parse_task_ref, select_task_runs

    if task is not None:
        try:
            parse_task_ref(task)
        except UserError as error:
            fail(str(error))
    with api_call(), make_client(api_url) as client:
        run = client.get_flow_run(flow_run_id)
        selection = select_task_runs(
            client, flow_run_id, task=task, states=state, limit=None if show_all else limit
        )
        failure = failure_causes(client, flow_run_id) if run.state == "Failed" else None
        waiting = run.state in ("Scheduled", "Pending")
        cover = agent_cover(client, flow_run_id, run.labels) if waiting else None
    waits = cover.warning(run.labels) if cover is not None else None
    if json_output:
        print_json(
            {
                "flow_run": run,
                "failure": None if failure is None else asdict(failure),
                "task_runs": {
                    "items": selection.items,
                    "shown": len(selection.items),
                    "total_count": selection.total,
                },
            }
        )
        return
    print_fields(
        [
            ("name", run.name),
            ("id", run.id),
            ("flow", run.flow_name or run.flow_id),
            ("state", styled_state(run.state)),
            ("message", run.state_message),
            *([("failed at", failure.text)] if failure is not None and failure.text else []),
            *([("agents", waits)] if waits else []),
            ("version", run.version),
            ("parameters", run.parameters or "-"),
            ("labels", ", ".join(run.labels) or "-"),
            ("scheduled", when(run.scheduled_start_time)),
            ("started", when(run.start_time)),
            ("ended", when(run.end_time)),
        ]
    )
    if run.states:
        print_table(
            "state history",
            ["TIME", "STATE", "MESSAGE"],
            [(when(s.timestamp), styled_state(s.state), s.message or "") for s in run.states],
        )
    if selection.items:
        print_table(
            "task runs",
            ["TASK", "STATE", "STARTED", "ENDED", "MESSAGE"],
            [
                (
                    task_label(t.task_slug, t.map_index),
                    styled_state(t.state),
                    when(t.start_time),
                    when(t.end_time),
                    t.state_message or "",
                )
                for t in selection.items
            ],
        )
    elif task is not None or state:
        typer.echo("No task runs match.", err=True)
    hint = omitted_hint(selection, task)
    if hint:
        typer.echo(hint, err=True)


runs_app.command("logs")(logs)  # proctor.cli.runs_logs: --follow, names, JSON Lines


@runs_app.command("cancel")
def cancel(
    flow_run_id: Annotated[str, typer.Argument(metavar="RUN_ID", help="The flow run's id.")],
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Cancel a run: at once if it has not started, else its process stops within seconds."""
    with api_call(), make_client(api_url) as client:
        run = client.cancel_flow_run(flow_run_id)
    if json_output:
        print_json(run)
        return
    if run.state == "Cancelled":
        typer.echo(f"Flow run {run.name} ({run.id}) is Cancelled.")
    else:
        typer.echo(
            f"Flow run {run.name} ({run.id}) is {run.state}: its process stops its tasks and "
            f"marks it Cancelled. Check with: proctor runs show {run.id}"
        )


# `mark`, `restart` (with --from) and `compare` live in their own module (steering runs).
runs_mark.register(runs_app)


def register(app: typer.Typer) -> None:
    """Add `runs` to the CLI."""
    app.add_typer(runs_app)


__all__ = ["register"]
