"""`proctor projects create|ls`: the projects flows are registered in."""

from __future__ import annotations

from typing import Annotated

import typer

from proctor.cli.remote import (
    ApiUrlOption,
    JsonOption,
    api_call,
    make_client,
    print_json,
    print_table,
    when,
)

projects_app = typer.Typer(
    name="projects",
    help="Create and list projects (the folders flows are registered in).",
    no_args_is_help=True,
)


@projects_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Name of the new project.", show_default=False)],
    description: Annotated[
        str | None, typer.Option("--description", "-d", help="What the project is for.")
    ] = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Create a project."""
    with api_call(), make_client(api_url) as client:
        project = client.create_project(name, description)
    if json_output:
        print_json(project)
    else:
        typer.echo(f"Created project {project.name!r} ({project.id})")


@projects_app.command("ls")
def list_projects(api_url: ApiUrlOption = None, json_output: JsonOption = False) -> None:
    """List the projects."""
    with api_call(), make_client(api_url) as client:
        projects = client.list_projects()
    if json_output:
        print_json(projects)
        return
    print_table(
        None,
        ["NAME", "ID", "CREATED", "DESCRIPTION"],
        [(p.name, p.id, when(p.created), p.description or "") for p in projects],
    )


def register(app: typer.Typer) -> None:
    """Add `projects` to the CLI."""
    from proctor.cli.housekeeping import register_project_commands

    register_project_commands(projects_app)  # delete: with flows' housekeeping
    app.add_typer(projects_app)


__all__ = ["register"]
