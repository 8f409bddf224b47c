"""`proctor register FILE`: register every flow a file defines with the server.

Each flow goes up as its FlowSpec plus a storage reference, never its code: the flow's own
storage if it has one, else `Local(<absolute path of the file>)`, which agents on this
machine (or any machine with the file at the same path) can load. Registering an
identical flow again is "unchanged"; a changed one becomes a new version and the previous
version is archived.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from proctor.cli.output import fail
from proctor.cli.remote import ApiUrlOption, JsonOption, api_call, print_json, print_table


def register_file(
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="Python file defining flows.", show_default=False),
    ],
    project: Annotated[
        str, typer.Option("--project", "-p", help="Project to register into (created if new).")
    ] = "default",
    label: Annotated[
        list[str] | None,
        typer.Option(
            "--label", "-l", help="Label agents must have to run these flows (repeatable)."
        ),
    ] = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Register every flow defined in FILE; print what is new, unchanged or archived."""
    from proctor.core.errors import ProctorError
    from proctor.core.loader import load_flows_from_path
    from proctor.core.storage import Local

    try:
        flows = load_flows_from_path(file)
    except ProctorError as error:
        fail(str(error))
    path = str(file.resolve())
    results = []
    with api_call():
        for flow in flows.values():
            try:
                result = flow.register(
                    project, labels=label, storage=flow.storage or Local(path), api_url=api_url
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


def register(app: typer.Typer) -> None:
    """Add `register` to the CLI."""
    app.command("register", no_args_is_help=True)(register_file)


__all__ = ["register", "register_file"]
