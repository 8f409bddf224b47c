"""`proctor execute flow-run ID`: run one registered flow run in this process.

Agents start this command, one process per run; it can also be run by hand to debug a
run on this machine. The work is `proctor.agent.execute`; this module only parses.
"""

from __future__ import annotations

from typing import Annotated

import typer

from proctor.cli.remote import ApiUrlOption

execute_app = typer.Typer(
    name="execute",
    help="Run work the server scheduled, in this process (agents start these).",
    no_args_is_help=True,
)


@execute_app.command("flow-run")
def flow_run(
    flow_run_id: Annotated[
        str, typer.Argument(metavar="RUN_ID", help="The flow run's id.", show_default=False)
    ],
    api_url: ApiUrlOption = None,
    agent_id: Annotated[
        str | None,
        typer.Option(
            "--agent-id",
            envvar="PROCTOR_AGENT_ID",
            help="The agent that claimed the run (agents set PROCTOR_AGENT_ID).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Load the run's flow from its storage, run it, and report states and logs.

    Exit codes: 0 success (or re-queued, or paused), 1 failed, 2 the run could not be
    read, 3 the server did not let it start, 4 cancelled.
    """
    from proctor.agent.execute import execute_flow_run

    raise typer.Exit(execute_flow_run(flow_run_id, api_url=api_url, agent_id=agent_id))


def register(app: typer.Typer) -> None:
    """Add `execute` to the CLI."""
    # Hidden from `proctor --help`: agents start it, people rarely need it.
    app.add_typer(execute_app, hidden=True)


__all__ = ["register"]
