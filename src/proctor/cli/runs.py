"""`proctor runs ls|show|logs`: flow runs on the server, their states and logs."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Annotated

import typer

from proctor.cli.remote import (
    RUN_PAGE_SIZE,
    ApiUrlOption,
    JsonOption,
    api_call,
    every_page,
    make_client,
    page_hint,
    print_fields,
    print_json,
    print_table,
    styled_state,
    when,
)

if TYPE_CHECKING:
    from proctor.client import FlowRun, LogEntry, Page

runs_app = typer.Typer(
    name="runs",
    help="List flow runs, inspect one, read its logs, cancel or restart it.",
    no_args_is_help=True,
)


@runs_app.command("ls")
def list_runs(
    flow: Annotated[
        str | None,
        typer.Option(
            "--flow",
            help="Only runs of this flow: a name or PROJECT/NAME (every version), or a "
            "flow id (that version).",
        ),
    ] = None,
    project: Annotated[str | None, typer.Option("--project", help="Only this project.")] = None,
    state: Annotated[
        list[str] | None,
        typer.Option(
            "--state", metavar="STATE", help="Only runs in this state (repeatable), e.g. Failed."
        ),
    ] = None,
    first: Annotated[int, typer.Option("--first", "-n", min=1, help="How many.")] = 50,
    after: Annotated[str | None, typer.Option("--after", help="Page cursor.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Every matching run.")] = False,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """List flow runs, the most recently scheduled first."""
    from proctor.cli.remote import find_flow, looks_like_id

    with api_call(), make_client(api_url) as client:
        flow_id = flow_group_id = None
        if flow is not None and looks_like_id(flow):
            flow_id = flow
        elif flow is not None:
            flow_group_id = find_flow(client, flow, project).flow_group_id

        def fetch(size: int, cursor: str | None) -> Page[FlowRun]:
            return client.list_flow_runs(
                flow_id=flow_id,
                flow_group_id=flow_group_id,
                project=project,
                states=state,
                first=size,
                after=cursor,
            )

        page = every_page(fetch, after, RUN_PAGE_SIZE) if show_all else fetch(first, after)
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
    page_hint(page.has_next_page, page.end_cursor, len(page.items), page.total_count, "--all")


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


@runs_app.command("logs")
def logs(
    flow_run_id: Annotated[str, typer.Argument(metavar="RUN_ID", help="The flow run's id.")],
    task: Annotated[
        str | None,
        typer.Option(
            "--task",
            "-t",
            metavar="SLUG[INDEX]",
            help="Only this task's logs: enrich, or one mapped child: 'enrich[137]'.",
        ),
    ] = None,
    level: Annotated[
        str, typer.Option("--level", help="Lowest level shown: DEBUG, INFO, WARNING, ERROR.")
    ] = "DEBUG",
    search: Annotated[str | None, typer.Option("--search", "-s", help="Text to look for.")] = None,
    first: Annotated[int, typer.Option("--first", "-n", min=1, help="How many lines.")] = 1000,
    after: Annotated[str | None, typer.Option("--after", help="Page cursor.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Every matching line.")] = False,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Print a flow run's logs, oldest first."""
    from proctor.cli.output import UserError, fail
    from proctor.cli.task_runs_view import parse_task_ref

    level_number = logging.getLevelName(level.upper())
    if not isinstance(level_number, int):
        fail(f"unknown log level {level!r}: use DEBUG, INFO, WARNING, ERROR or CRITICAL")
    try:
        slug, index = parse_task_ref(task) if task else (None, None)
    except UserError as error:
        fail(str(error))
    with api_call(), make_client(api_url) as client:

        def fetch(size: int, cursor: str | None) -> Page[LogEntry]:
            return client.list_logs(
                flow_run_id,
                task_slug=slug,
                map_index=index,
                level_min=level_number,
                search=search,
                first=size,
                after=cursor,
            )

        page = every_page(fetch, after) if show_all else fetch(first, after)
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
    page_hint(page.has_next_page, page.end_cursor, len(page.items), page.total_count, "--all")


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
