"""`proctor agent start`: run registered flows on this machine as the server schedules them.

Options default to the `PROCTOR_AGENT_*` settings, so a service manager can configure an
agent through its environment alone.
"""

from __future__ import annotations

from typing import Annotated

import typer

from proctor.cli.output import fail
from proctor.cli.remote import ApiUrlOption

agent_app = typer.Typer(
    name="agent", help="Start an agent that runs scheduled flows here.", no_args_is_help=True
)


def parse_env(items: list[str]) -> dict[str, str]:
    """`["K=V", ...]` -> `{"K": "V"}`, naming the item at fault."""
    env: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            fail(f"--env {item!r} is not NAME=VALUE: write e.g. --env DB_HOST=db.internal")
        env[name.strip()] = value
    return env


@agent_app.command("start")
def start(
    name: Annotated[
        str | None,
        typer.Option("--name", "-n", help="Agent name (default: PROCTOR_AGENT_NAME, else host)."),
    ] = None,
    label: Annotated[
        list[str] | None,
        typer.Option(
            "--label",
            "-l",
            help="A label this agent serves (repeatable); it runs flows whose labels it has "
            "all of. Default: PROCTOR_AGENT_LABELS.",
        ),
    ] = None,
    max_runs: Annotated[
        int | None,
        typer.Option("--max-runs", min=1, help="Flow runs at once (default: 4)."),
    ] = None,
    env: Annotated[
        list[str] | None,
        typer.Option(
            "--env", "-e", metavar="NAME=VALUE", help="Environment for run processes (repeatable)."
        ),
    ] = None,
    show_run_output: Annotated[
        bool,
        typer.Option(
            "--show-run-output",
            help="Print run processes' output here instead of one file per run.",
        ),
    ] = False,
    api_url: ApiUrlOption = None,
) -> None:
    """Register with the server, then claim due runs and run each in its own process.

    Stops on Ctrl-C or SIGTERM: no new runs, running flows get PROCTOR_AGENT_SHUTDOWN_GRACE
    _SECONDS (default 60) to finish, then they are stopped and re-queued. Twice: at once.
    """
    import socket

    from proctor.agent.agent import Agent
    from proctor.agent.launchers import LocalLauncher
    from proctor.client import Client, ProctorClientError
    from proctor.core.logs import configure_default_logging
    from proctor.settings import get_settings

    settings = get_settings().agent
    configure_default_logging()
    with Client(api_url) as client:
        agent = Agent(
            client,
            LocalLauncher(show_output=show_run_output),
            name=name or settings.name or socket.gethostname(),
            labels=label if label else settings.labels,
            max_runs=max_runs or settings.max_runs,
            env=parse_env(env or []),
            claim_wait_seconds=settings.claim_wait_seconds,
            heartbeat_seconds=settings.heartbeat_seconds,
            grace_seconds=settings.shutdown_grace_seconds,
        )
        agent.install_signal_handlers()
        try:
            agent.run()
        except ProctorClientError as error:
            fail(f"the agent stopped: {error}", 1)


def register(app: typer.Typer) -> None:
    """Add `agent` to the CLI."""
    app.add_typer(agent_app)


__all__ = ["parse_env", "register"]
