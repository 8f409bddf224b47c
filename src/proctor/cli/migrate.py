"""`proctor migrate PATH...`: rewrite the imports of 1.x flow files for Proctor, in place.

The work is in `proctor.compat.migrate`; this module reads the options, shows progress,
prints what changed (or would change with `--check`), and picks the exit code CI needs:
0 nothing to do or all done, 1 `--check` found files to rewrite or anything found a 1.x API
that Proctor does not offer, 2 the command was used wrongly (a missing path, a file that
does not parse: then nothing at all is written).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from proctor.cli.output import EXIT_FLOW_FAILED, EXIT_OK, fail, stderr_console

if TYPE_CHECKING:
    from proctor.compat.migrate import FileMigration, MigrationPlan, UnsupportedUse

EXIT_FOUND = EXIT_FLOW_FAILED  # 1: there is something to do (rewrite, or change by hand)

HELP = """Rewrite the imports of 1.x flow files for Proctor, in place.

Each PATH is a Python file or a directory (searched recursively; virtualenvs, hidden and cache directories are skipped; files that are not Python are ignored). `from prefect.x import y` becomes `from proctor.x import y`, `import prefect` becomes `import proctor` together with the uses of the name it binds (`prefect.context` -> `proctor.context`). Comments and formatting are kept, and running it twice changes nothing the second time.

Every use of a 1.x API that Proctor does not offer is listed by file and line with what to use instead.

Exit codes: [green]0[/] nothing to do (or everything rewritten), [red]1[/] --check found files to rewrite, or a 1.x API Proctor does not offer is used, [yellow]2[/] a path does not exist or a file does not parse (nothing is written).
"""  # noqa: E501 (typer keeps line breaks in rich mode: one line per paragraph)


def _plan_with_progress(paths: list[Path]) -> MigrationPlan:
    """Read and plan every file, with a progress bar when a person watches many files."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from proctor.compat.migrate import MigrationPlan, find_files, migrate_source, read_source

    files, ignored = find_files(paths)
    console = stderr_console()
    planned: list[FileMigration] = []
    with Progress(
        TextColumn("Reading"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal or len(files) < 20,
    ) as progress:
        reading = progress.add_task("files", total=len(files))
        for path in files:
            planned.append(migrate_source(read_source(path), path))
            progress.advance(reading)
    return MigrationPlan(planned, ignored)


def _use_line(use: UnsupportedUse) -> str:
    return (
        f"{use.path}:{use.line}:{use.column}: {use.name} is not offered by Proctor: {use.instead}"
    )


def _lines_text(lines: list[int]) -> str:
    shown = ", ".join(str(line) for line in lines[:12])
    more = f" and {len(lines) - 12} more" if len(lines) > 12 else ""
    return f"line{'s' if len(lines) > 1 else ''} {shown}{more}"


def _file_record(item: FileMigration, written: bool, with_diff: bool) -> dict[str, Any]:
    record: dict[str, Any] = {
        "path": str(item.path),
        "changed": item.changed,
        "written": written,
        "lines": item.changed_lines(),
        "unsupported": [
            {"line": use.line, "column": use.column, "name": use.name, "instead": use.instead}
            for use in item.unsupported
        ],
    }
    if with_diff:
        record["diff"] = item.diff()
    return record


def migrate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...",
            help="Python files or directories of 1.x flows.",
            show_default=False,
        ),
    ],
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Change nothing: list what would be rewritten and what is not offered."
        ),
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print a unified diff of each rewrite on stdout.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document on stdout instead of text.")
    ] = False,
) -> None:
    from proctor.compat.migrate import MigrateError

    try:
        plan = _plan_with_progress(paths)
    except MigrateError as error:
        fail(str(error))
    written = set() if check else set(plan.write())
    unsupported = plan.unsupported
    to_rewrite = plan.to_rewrite
    found = bool(unsupported) or (check and bool(to_rewrite))
    code = EXIT_FOUND if found else EXIT_OK

    if as_json:
        document = {
            "check": check,
            "files": [_file_record(item, item.path in written, diff) for item in plan.files],
            "ignored": [str(path) for path in plan.ignored],
            "summary": {
                "files": len(plan.files),
                "rewrite": len(to_rewrite),
                "unsupported": len(unsupported),
            },
            "exit_code": code,
        }
        typer.echo(json.dumps(document, indent=2))
        raise typer.Exit(code)

    from rich.markup import escape

    console = stderr_console()
    verb = "would rewrite" if check else "rewrote"
    for item in to_rewrite:
        console.print(f"{verb} {escape(str(item.path))} ({_lines_text(item.changed_lines())})")
        if diff:
            typer.echo(item.diff(), nl=False)
    for use in unsupported:
        console.print(f"[yellow]{escape(_use_line(use))}[/]")
    unchanged = len(plan.files) - len(to_rewrite)
    summary = (
        f"{len(to_rewrite)} file{'s' if len(to_rewrite) != 1 else ''} "
        f"{'to rewrite' if check else 'rewritten'}, {unchanged} unchanged"
    )
    if plan.ignored:
        summary += f", {len(plan.ignored)} not Python (ignored)"
    if unsupported:
        summary += f"; {len(unsupported)} use{'s' if len(unsupported) != 1 else ''} of 1.x APIs "
        summary += "Proctor does not offer (change them by hand)"
    console.print(summary)
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    """Add `migrate` to the CLI."""
    app.command("migrate", help=HELP, no_args_is_help=True)(migrate)


__all__ = ["migrate", "register"]
