"""`proctor runs ls|show|logs`: flow runs on the server, their states and logs."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from proctor.cli.remote import (
    ApiUrlOption,
    JsonOption,
    api_call,
    make_client,
    page_hint,
    print_fields,
    print_json,
    print_table,
    styled_state,
    when,
)

runs_app = typer.Typer(
    name="runs",
    help="List flow runs, inspect one, read its logs, cancel or restart it.",
    no_args_is_help=True,
)


@runs_app.command("ls")
def list_runs(
    flow_id: Annotated[
        str | None, typer.Option("--flow", help="Only runs of this flow id.")
    ] = None,
    project: Annotated[str | None, typer.Option("--project", help="Only this project.")] = None,
    state: Annotated[
        list[str] | None,
        typer.Option("--state", help="Only runs in this state (repeatable), e.g. Failed."),
    ] = None,
    first: Annotated[int, typer.Option("--first", "-n", min=1, help="How many.")] = 50,
    after: Annotated[str | None, typer.Option("--after", help="Page cursor.")] = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """List flow runs, the most recently scheduled first."""
    with api_call(), make_client(api_url) as client:
        page = client.list_flow_runs(
            flow_id=flow_id, project=project, states=state, first=first, after=after
        )
    if json_output:
        print_json(page)
        return
    print_table(
        None,
        ["NAME", "FLOW", "STATE", "ID", "SCHEDULED", "STARTED", "ENDED"],
        [
            (
                run.name,
                run.flow_name or run.flow_id,
                styled_state(run.state),
                run.id,
                when(run.scheduled_start_time),
                when(run.start_time),
                when(run.end_time),
            )
            for run in page.items
        ],
    )
    page_hint(page.has_next_page, page.end_cursor, len(page.items), page.total_count)


@runs_app.command("show")
def show(
    flow_run_id: Annotated[str, typer.Argument(metavar="RUN_ID", help="The flow run's id.")],
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show one flow run: its state, parameters, state history and task runs."""
    with api_call(), make_client(api_url) as client:
        run = client.get_flow_run(flow_run_id)
        task_runs = client.list_task_runs(flow_run_id, first=200)
    if json_output:
        print_json({"flow_run": run, "task_runs": task_runs})
        return
    print_fields(
        [
            ("name", run.name),
            ("id", run.id),
            ("flow", run.flow_name or run.flow_id),
            ("state", styled_state(run.state)),
            ("message", run.state_message),
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
    if task_runs.items:
        print_table(
            "task runs",
            ["TASK", "MAP INDEX", "STATE", "STARTED", "ENDED"],
            [
                (
                    t.task_slug,
                    t.map_index if t.map_index >= 0 else "",
                    styled_state(t.state),
                    when(t.start_time),
                    when(t.end_time),
                )
                for t in task_runs.items
            ],
        )
        page_hint(task_runs.has_next_page, None, len(task_runs.items), task_runs.total_count)


@runs_app.command("logs")
def logs(
    flow_run_id: Annotated[str, typer.Argument(metavar="RUN_ID", help="The flow run's id.")],
    task: Annotated[str | None, typer.Option("--task", help="Only this task's logs.")] = None,
    level: Annotated[
        str, typer.Option("--level", help="Lowest level shown: DEBUG, INFO, WARNING, ERROR.")
    ] = "DEBUG",
    search: Annotated[str | None, typer.Option("--search", "-s", help="Text to look for.")] = None,
    first: Annotated[int, typer.Option("--first", "-n", min=1, help="How many lines.")] = 1000,
    after: Annotated[str | None, typer.Option("--after", help="Page cursor.")] = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Print a flow run's logs, oldest first."""
    level_number = logging.getLevelName(level.upper())
    if not isinstance(level_number, int):
        from proctor.cli.output import fail

        fail(f"unknown log level {level!r}: use DEBUG, INFO, WARNING, ERROR or CRITICAL")
    with api_call(), make_client(api_url) as client:
        page = client.list_logs(
            flow_run_id,
            task_slug=task,
            level_min=level_number,
            search=search,
            first=first,
            after=after,
        )
    if json_output:
        print_json(page)
        return
    for entry in page.items:
        where = f" {entry.task_slug}" if entry.task_slug else ""
        if entry.map_index is not None and entry.map_index >= 0:
            where += f"[{entry.map_index}]"
        typer.echo(
            f"{when(entry.timestamp)} {logging.getLevelName(entry.level):<8}{where} | "
            f"{entry.message}"
        )
    page_hint(page.has_next_page, page.end_cursor, len(page.items), page.total_count)


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


@runs_app.command("restart")
def restart(
    flow_run_id: Annotated[str, typer.Argument(metavar="RUN_ID", help="The flow run's id.")],
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Run a finished run again: only its task runs that did not succeed (and what depends
    on them) run; successful ones are reused from their persisted results."""
    with api_call(), make_client(api_url) as client:
        run = client.restart_flow_run(flow_run_id)
    if json_output:
        print_json(run)
        return
    typer.echo(
        f"Flow run {run.name} ({run.id}) is {run.state} again; an agent will pick it up. "
        f"Follow it with: proctor runs show {run.id}"
    )


def register(app: typer.Typer) -> None:
    """Add `runs` to the CLI."""
    app.add_typer(runs_app)


__all__ = ["register"]
