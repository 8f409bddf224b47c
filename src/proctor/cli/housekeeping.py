"""`proctor flows delete|archive|unarchive` and `proctor projects delete`: removing what
is no longer needed, always saying first how many runs go with it.

A deletion shows the counts (versions, runs, runs in progress) and asks; `--yes` skips
the question (scripts), `--dry-run` only shows the counts. The server refuses while runs
are in progress unless `--force`. Archiving keeps the runs (see docs/server.md)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from proctor.cli.remote import ApiUrlOption, JsonOption, api_call, make_client, print_json

if TYPE_CHECKING:
    from proctor.client import Client, Flow

PREVIEW = """query ($group: ID, $flow: ID, $project: String) {
  deletionPreview(flowGroupId: $group, flowId: $flow, project: $project) {
    kind name version flows versions runs runsInProgress
  }
}"""
DELETE_FLOW = """mutation ($group: ID, $flow: ID, $force: Boolean!) {
  deleteFlow(flowGroupId: $group, flowId: $flow, force: $force) {
    kind name version flows versions runs runsInProgress
  }
}"""
DELETE_PROJECT = "mutation ($id: ID!, $force: Boolean!) { deleteProject(id: $id, force: $force) }"
ARCHIVE = "mutation ($id: ID!) { archiveFlowGroup(id: $id) { id name scheduleActive } }"
UNARCHIVE = "mutation ($id: ID!) { unarchiveFlowGroup(id: $id) { id name scheduleActive } }"

ProjectOption = Annotated[
    str | None,
    typer.Option("--project", help="The flow's project (needed if the name is in several)."),
]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
ForceOption = Annotated[
    bool,
    typer.Option("--force", help="Delete even while runs are in progress (they are lost)."),
]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Only show what would be deleted.")]


def _mutate(client: Client, document: str, variables: dict[str, Any]) -> dict[str, Any]:
    from proctor.client import Operation

    answer: dict[str, Any] = client.execute(Operation(document, variables))
    return answer


def _versions(client: Client, name: str, project: str | None) -> list[Flow]:
    """Every version of the flow `name` (archived ones too), of one project."""
    from proctor.cli.output import fail

    if project is None and "/" in name:
        project, name = name.split("/", 1)
    found: list[Flow] = []
    after = None
    while True:  # every version: pages of 50 (the API's cost limit allows no more at once)
        page = client.list_flows(project=project, name=name, include_archived=True, after=after)
        found.extend(flow for flow in page.items if flow.name == name)
        if not page.has_next_page:
            break
        after = page.end_cursor
    if not found:
        where = f" in project {project!r}" if project else ""
        fail(f"no flow named {name!r}{where}: see `proctor flows ls --all`")
    projects = sorted({str(flow.project_name) for flow in found})
    if len(projects) > 1:
        listed = ", ".join(projects)
        fail(f"flows named {name!r} exist in several projects ({listed}): say which with --project")
    return found


def _describe(preview: dict[str, Any]) -> str:
    what = {
        "flow": f"flow {preview['name']!r} ({preview['versions']} version(s))",
        "version": f"version {preview['version']} of flow {preview['name']!r}",
        "project": f"project {preview['name']!r} ({preview['flows']} flow(s), "
        f"{preview['versions']} version(s))",
    }[preview["kind"]]
    running = preview["runsInProgress"]
    text = f"{what} and its {preview['runs']} run(s)"
    return text + (f", {running} of them in progress" if running else "")


def _confirm(preview: dict[str, Any], *, yes: bool, force: bool, dry_run: bool) -> bool:
    """Whether to go on: shows the counts, refuses early what the server would refuse."""
    from proctor.cli.output import fail

    typer.echo(f"Deleting {_describe(preview)}.", err=True)
    if dry_run:
        return False
    if preview["runsInProgress"] and not force:
        fail(
            f"{preview['runsInProgress']} run(s) are in progress: wait for them, cancel "
            "them, or pass --force"
        )
    if yes:
        return True
    if not sys.stdin.isatty():
        fail("not deleting without confirmation: pass --yes")
    return typer.confirm("Delete?", default=False, err=True)


def delete_flow(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The flow's name (or PROJECT/NAME).")],
    version: Annotated[
        int | None,
        typer.Option(
            "--version",
            min=1,
            help="Delete only this version (the last one takes the flow with it).",
        ),
    ] = None,
    project: ProjectOption = None,
    yes: YesOption = False,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Delete a flow with all its versions (or one version) and their runs, after showing
    how many runs go with it."""
    from proctor.cli.output import fail

    with api_call(), make_client(api_url) as client:
        versions = _versions(client, name, project)
        variables: dict[str, Any] = {"group": None, "flow": None}
        if version is None:
            variables["group"] = versions[0].flow_group_id
        else:
            chosen = [flow for flow in versions if flow.version == version]
            if not chosen:
                known = ", ".join(str(f.version) for f in sorted(versions, key=lambda f: f.version))
                fail(f"flow {name!r} has no version {version} (versions: {known})")
            variables["flow"] = chosen[0].id
        preview = client.query(PREVIEW, variables)["deletionPreview"]
        go = _confirm(preview, yes=yes, force=force, dry_run=dry_run)
        if not go:
            if json_output:
                print_json({"deleted": False, **preview})
            return
        deleted = _mutate(client, DELETE_FLOW, {**variables, "force": force})["deleteFlow"]
    if json_output:
        print_json({"deleted": True, **deleted})
    else:
        typer.echo(f"Deleted {_describe(deleted)}.")


def _set_archived(
    name: str, project: str | None, api_url: str | None, archived: bool, json_output: bool
) -> None:
    with api_call(), make_client(api_url) as client:
        versions = _versions(client, name, project)
        document, field = (
            (ARCHIVE, "archiveFlowGroup") if archived else (UNARCHIVE, "unarchiveFlowGroup")
        )
        group = _mutate(client, document, {"id": versions[0].flow_group_id})[field]
    if json_output:
        print_json(group)
    elif archived:
        typer.echo(
            f"Archived flow {group['name']!r}: hidden from `proctor flows ls` (shown with --all), "
            "no new runs, schedule off; its runs are kept."
        )
    else:
        typer.echo(
            f"Unarchived flow {group['name']!r}: its newest version takes runs again. The "
            f"schedule stays off: turn it on with `proctor flows schedule {group['name']} on`."
        )


def archive(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The flow's name (or PROJECT/NAME).")],
    project: ProjectOption = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Archive a flow instead of deleting it: hidden from lists, no new runs, schedule
    off; its runs are kept and stay readable."""
    _set_archived(name, project, api_url, True, json_output)


def unarchive(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The flow's name (or PROJECT/NAME).")],
    project: ProjectOption = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Make an archived flow's newest version active again (the schedule stays off)."""
    _set_archived(name, project, api_url, False, json_output)


def delete_project(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The project's name or id.")],
    yes: YesOption = False,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Delete a project with its flows and their runs, after showing how many."""
    with api_call(), make_client(api_url) as client:
        preview = client.query(PREVIEW, {"project": name})["deletionPreview"]
        go = _confirm(preview, yes=yes, force=force, dry_run=dry_run)
        if not go:
            if json_output:
                print_json({"deleted": False, **preview})
            return
        project_id = next(p.id for p in client.list_projects() if p.name == preview["name"])
        _mutate(client, DELETE_PROJECT, {"id": project_id, "force": force})
    if json_output:
        print_json({"deleted": True, **preview})
    else:
        typer.echo(f"Deleted {_describe(preview)}.")


def register_flow_commands(app: typer.Typer) -> None:
    """Add `delete`, `archive` and `unarchive` to `proctor flows`."""
    app.command("delete")(delete_flow)
    app.command("archive")(archive)
    app.command("unarchive")(unarchive)


def register_project_commands(app: typer.Typer) -> None:
    """Add `delete` to `proctor projects`."""
    app.command("delete")(delete_project)


__all__ = ["register_flow_commands", "register_project_commands"]
