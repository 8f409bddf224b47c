"""The `proctor` command: a thin typer app that only gathers the commands.

Each command is a module with a `register(app)` function, listed in `COMMANDS`; adding a
command (server, agent, register, runs, flows) is a new module and one line here. Nothing
heavy is imported at this level: `proctor --help` and `proctor --version` must answer
instantly, so commands import the engine, rich renderers and executors when they run.
"""

from __future__ import annotations

from typing import Annotated

import typer

from proctor.cli import (
    activity,
    agent,
    agents,
    auth,
    automations,
    concurrency_limits,
    execute,
    flows,
    legacy,
    migrate,
    projects,
    register,
    run,
    run_local,
    runs,
    schedules,
    secrets,
    server,
)
from proctor.cli.help_format import hide_flag_placeholders

COMMANDS = (
    run_local,
    server,
    projects,
    register,
    flows,
    schedules,
    run,
    runs,
    activity,
    agent,
    agents,
    execute,
    auth,
    secrets,
    concurrency_limits,
    automations,
    migrate,
    legacy,
)

app = typer.Typer(
    name="proctor",
    help=(
        "Proctor: workflow orchestration in plain Python.\n\n"
        "Run [bold]proctor COMMAND --help[/] for the options of a command."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        from proctor._version import __version__

        typer.echo(f"proctor {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Proctor: workflow orchestration in plain Python."""


hide_flag_placeholders()
for _command in COMMANDS:
    _command.register(app)


if __name__ == "__main__":
    app(prog_name="proctor")
