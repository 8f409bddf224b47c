"""`proctor flows ls|show`: the flows registered with the server."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from proctor.cli.remote import (
    ApiUrlOption,
    JsonOption,
    api_call,
    find_flow,
    make_client,
    page_hint,
    print_fields,
    print_json,
    print_table,
    when,
)

flows_app = typer.Typer(
    name="flows",
    help="List and inspect registered flows; turn their schedules on or off; archive or "
    "delete them.",
    no_args_is_help=True,
)


@flows_app.command("ls")
def list_flows(
    project: Annotated[str | None, typer.Option("--project", help="Only this project.")] = None,
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Only names containing this text.")
    ] = None,
    all_versions: Annotated[
        bool, typer.Option("--all", help="Include archived (older) versions.")
    ] = False,
    first: Annotated[int, typer.Option("--first", "-n", min=1, help="How many.")] = 50,
    after: Annotated[str | None, typer.Option("--after", help="Page cursor.")] = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """List flows (the newest version of each, unless --all)."""
    with api_call(), make_client(api_url) as client:
        page = client.list_flows(
            project=project, search=search, include_archived=all_versions, first=first, after=after
        )
    if json_output:
        print_json(page)
        return
    print_table(
        None,
        ["NAME", "VERSION", "PROJECT", "ID", "SCHEDULE", "REGISTERED"],
        [
            (
                flow.name + (" (archived)" if flow.archived else ""),
                flow.version,
                flow.project_name or flow.project_id or "",
                flow.id,
                ("on" if flow.schedule_active else "off") if flow.schedule else "-",
                when(flow.created),
            )
            for flow in page.items
        ],
    )
    page_hint(page.has_next_page, page.end_cursor, len(page.items), page.total_count)


@flows_app.command("show")
def show(
    flow_ref: Annotated[
        str,
        typer.Argument(
            metavar="FLOW",
            help="A flow's name or PROJECT/NAME (its newest version), or a flow id.",
        ),
    ],
    project: Annotated[
        str | None, typer.Option("--project", help="The flow's project (if the name is reused).")
    ] = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show one flow version: its tasks, parameters and schedule."""
    with api_call(), make_client(api_url) as client:
        flow = find_flow(client, flow_ref, project)
    if json_output:
        print_json(flow)
        return
    parameters = ", ".join(sorted(flow.parameter_schema.get("properties", {}))) or "-"
    print_fields(
        [
            ("name", flow.name),
            ("id", flow.id),
            ("version", flow.version),
            ("project", flow.project_name or flow.project_id),
            ("archived", "yes" if flow.archived else "no"),
            ("labels", ", ".join(flow.labels) or "-"),
            ("runs in", run_config_summary(flow.run_config)),
            ("parameters", parameters),
            (
                "schedule",
                ("active" if flow.schedule_active else "paused") if flow.schedule else "-",
            ),
            ("registered", when(flow.created)),
            ("description", flow.description),
        ]
    )
    if flow.tasks:
        print_table(
            "tasks",
            ["SLUG", "NAME", "MAPPED", "RETRIES", "TRIGGER"],
            [
                (task.slug, task.name, "yes" if task.mapped else "", task.retries, task.trigger)
                for task in flow.tasks
                if not task.is_parameter
            ],
        )


def run_config_summary(config: dict[str, Any]) -> str:
    """`docker: image=etl:1, cpu=1 (env: A, B)`: the run config in one line, env by name
    only (its values may be sensitive)."""
    kind = str(config.get("type") or "universal")
    settings = [
        f"{key}={value}"
        for key, value in config.items()
        if key not in {"type", "env", "labels"} and value is not None
    ]
    names = ", ".join(config.get("env") or {})
    return (
        kind
        + (": " + ", ".join(settings) if settings else "")
        + (f" (env: {names})" if names else "")
    )


class Switch(StrEnum):
    on = "on"
    off = "off"


@flows_app.command("schedule")
def schedule(
    switch: Annotated[Switch, typer.Argument(help="on or off.", show_default=False)],
    name: Annotated[
        str, typer.Argument(metavar="FLOW", help="The flow's name, PROJECT/NAME or id.")
    ],
    project: Annotated[str | None, typer.Option("--project", help="The flow's project.")] = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Turn a flow's schedule on or off (off also removes its runs not yet started)."""
    from proctor.cli.output import fail

    with api_call(), make_client(api_url) as client:
        flow = find_flow(client, name, project)
        if not flow.schedule:
            fail(f"flow {name!r} has no schedule: give it one (Flow(schedule=...)) and register")
        updated = client.set_schedule_active(flow.id, switch is Switch.on)
    if json_output:
        print_json(updated)
        return
    state = "on" if updated.schedule_active else "off"
    typer.echo(f"Schedule of flow {name!r} is {state}.")


def register(app: typer.Typer) -> None:
    """Add `flows` to the CLI."""
    from proctor.cli.housekeeping import register_flow_commands

    register_flow_commands(flows_app)  # delete, archive, unarchive: their own module
    app.add_typer(flows_app)


__all__ = ["register"]
