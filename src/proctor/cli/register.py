"""`proctor register FILE`: register every flow a file defines with the server.

Each flow goes up as its FlowSpec plus a storage reference, never its code: the flow's own
storage if it has one, else `Local(<absolute path of the file>)`, which agents on this
machine (or any machine with the file at the same path) can load. Registering an
identical flow again is "unchanged"; a changed one becomes a new version and the previous
version is archived.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from proctor.cli.output import fail
from proctor.cli.remote import ApiUrlOption, JsonOption, api_call, print_json, print_table


def register_file(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FILE",
            help="Python files defining flows (or folders: every .py file in them).",
            show_default=False,
        ),
    ] = None,
    path: Annotated[
        list[Path] | None,
        typer.Option(
            "--path",
            "-p",
            help="A file or folder of flows, as 1.x's `register -p` (repeatable).",
            show_default=False,
        ),
    ] = None,
    project: Annotated[
        str, typer.Option("--project", help="Project to register into (created if new).")
    ] = "default",
    name: Annotated[
        list[str] | None,
        typer.Option(
            "--name",
            "-n",
            help="Register only the flows of this name (repeatable).",
            show_default=False,
        ),
    ] = None,
    label: Annotated[
        list[str] | None,
        typer.Option(
            "--label", "-l", help="Label agents must have to run these flows (repeatable)."
        ),
    ] = None,
    schedule: Annotated[
        bool,
        typer.Option(
            "--schedule/--no-schedule",
            help="Leave the schedule of registered flows on (default) or turn it off.",
        ),
    ] = True,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Register every flow defined in the files given; print what is new, unchanged or
    archived. A flow with Docker storage is built into its image first (the build's
    output on stderr). `proctor register --project P -p DIR` (the 1.x spelling) works too."""
    from proctor.core.errors import ProctorError

    sources = [*(files or []), *(path or [])]
    if not sources:
        fail("Give the flow files to register: proctor register FILE... (or -p FOLDER).")
    try:
        found = _flows_of(sources)
    except ProctorError as error:
        fail(str(error))
    if name:
        wanted = set(name)
        missing = sorted(wanted - {flow.name for flow, _ in found})
        if missing:
            fail(f"No flow named {', '.join(map(repr, missing))} in the files given.")
        found = [(flow, file) for flow, file in found if flow.name in wanted]
    results = []
    with api_call():
        for flow, file in found:
            try:
                result = flow.register(
                    project,
                    labels=label,
                    storage=flow.storage or _local(file),
                    api_url=api_url,
                    set_schedule_active=schedule,
                )
            except ProctorError as error:
                fail(f"flow {flow.name!r}: {error}")
            results.append(result)
    if json_output:
        print_json(results)
        return
    print_table(
        None,
        ["FLOW", "VERSION", "STATUS", "PROJECT", "LABELS", "ID"],
        [
            (
                result.flow.name,
                result.flow.version,
                result.status
                + (f" (archived {len(result.archived)} older)" if result.archived else ""),
                result.flow.project_name or project,
                ", ".join(result.flow.labels) or "-",
                result.flow.id,
            )
            for result in results
        ],
    )


def _local(file: Path) -> Any:
    from proctor.core.storage import Local

    return Local(str(file.resolve()))


def _flows_of(sources: list[Path]) -> list[tuple[Any, Path]]:
    """(flow, file) for every flow of the files and folders given, in order.

    A folder means the .py files directly in it, by name; one of them that defines no flow
    (a helper module) is passed over, as 1.x did. A file named on its own must define one.
    """
    from proctor.core.errors import FlowLoadError
    from proctor.core.loader import load_flows_from_path

    found: list[tuple[Any, Path]] = []
    for source in sources:
        if source.is_dir():
            for file in sorted(source.glob("*.py")):
                try:
                    flows = load_flows_from_path(file)
                except FlowLoadError as error:
                    if "defines no flow" in str(error):
                        continue
                    raise
                found.extend((flow, file) for flow in flows.values())
            continue
        found.extend((flow, source) for flow in load_flows_from_path(source).values())
    if not found:
        shown = ", ".join(str(source) for source in sources)
        raise FlowLoadError(f"No flow found in {shown}: define one with `with Flow(...)`.")
    return found


def register(app: typer.Typer) -> None:
    """Add `register` to the CLI."""
    app.command("register", no_args_is_help=True)(register_file)


__all__ = ["register", "register_file"]
