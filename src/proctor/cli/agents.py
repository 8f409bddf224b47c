"""`proctor agents ls`: the agents registered with the server, and whether they are alive."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from proctor.cli.remote import (
    ApiUrlOption,
    JsonOption,
    Markup,
    api_call,
    make_client,
    print_json,
    print_table,
    when,
)

agents_app = typer.Typer(name="agents", help="List agents.", no_args_is_help=True)

# An agent whose last heartbeat is older than this is shown as silent.
SILENT_AFTER_SECONDS = 60.0


@agents_app.command("ls")
def list_agents(api_url: ApiUrlOption = None, json_output: JsonOption = False) -> None:
    """List agents: labels, last heartbeat, runs in flight."""
    with api_call(), make_client(api_url) as client:
        agents = client.list_agents()
    if json_output:
        print_json(agents)
        return
    now = datetime.now(UTC)

    def health(beat: datetime | None) -> str:
        if beat is None:
            return Markup("[red]never seen[/]")
        age = (now - (beat if beat.tzinfo else beat.replace(tzinfo=UTC))).total_seconds()
        return Markup("[green]alive[/]" if age < SILENT_AFTER_SECONDS else "[yellow]silent[/]")

    print_table(
        None,
        ["NAME", "LABELS", "HEALTH", "LAST HEARTBEAT", "RUNS", "ID"],
        [
            (
                agent.name,
                ", ".join(agent.labels) or "-",
                health(agent.last_heartbeat),
                when(agent.last_heartbeat),
                agent.runs_in_flight,
                agent.id,
            )
            for agent in agents
        ],
    )


def register(app: typer.Typer) -> None:
    """Add `agents` to the CLI."""
    app.add_typer(agents_app)


__all__ = ["register"]
