"""The 1.x command spellings found in scripts, as aliases of Proctor's commands.

`proctor agent local start --label L` is `proctor agent start --label L`, and
`proctor create project NAME` is `proctor projects create NAME`. (`proctor register
--project P -p DIR` and `proctor run --name N --project P` are options of those commands.)
"""

from __future__ import annotations

import typer

from proctor.cli import agent, projects

create_app = typer.Typer(
    name="create",
    help="1.x spelling: `create project NAME` is `projects create NAME`.",
    no_args_is_help=True,
)
local_agent_app = typer.Typer(
    name="local",
    help="1.x spelling: `agent local start` is `agent start` (runs flows as local processes).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the 1.x aliases to the CLI."""
    create_app.command("project", no_args_is_help=True)(projects.create)
    local_agent_app.command("start")(agent.start)
    agent.agent_app.add_typer(local_agent_app)
    app.add_typer(create_app)


__all__ = ["register"]
