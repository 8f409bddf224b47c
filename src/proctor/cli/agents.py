"""`proctor agents ls` and `proctor agents rm`: the agents registered with the server, in
the words the UI uses (healthy, late, unhealthy, stopped: the server judges), and the
removal of a stale one."""

from __future__ import annotations

from typing import Annotated

import typer

from proctor.cli.remote import (
    ApiUrlOption,
    JsonOption,
    Markup,
    api_call,
    looks_like_id,
    make_client,
    print_json,
    print_table,
    when,
)

agents_app = typer.Typer(name="agents", help="List and remove agents.", no_args_is_help=True)

# The server's health, as every screen of Proctor shows it.
HEALTH_WORDS = {
    "HEALTHY": "[green]healthy[/]",
    "LATE": "[yellow]late[/]",
    "UNHEALTHY": "[red]unhealthy[/]",
    "STOPPED": "[dim]stopped[/]",
}


def health_word(health: str | None) -> str:
    return Markup(HEALTH_WORDS.get((health or "").upper(), "unknown"))


@agents_app.command("ls")
def list_agents(api_url: ApiUrlOption = None, json_output: JsonOption = False) -> None:
    """List agents: health, labels, last heartbeat, runs in flight; an agent that cannot
    start runs (its Docker daemon is down) is unhealthy*, with the reason below."""
    with api_call(), make_client(api_url) as client:
        agents = client.list_agents()
    if json_output:
        print_json(agents)
        return
    print_table(
        None,
        ["NAME", "LABELS", "HEALTH", "LAST HEARTBEAT", "RUNS", "ID"],
        [
            (
                agent.name,
                ", ".join(agent.labels) or "-",
                # Alive but unable to start runs (its Docker daemon is down): not healthy.
                Markup("[red]unhealthy*[/]") if agent.problem else health_word(agent.health),
                when(agent.last_heartbeat),
                agent.runs_in_flight,
                agent.id,
            )
            for agent in agents
        ],
    )
    for agent in agents:
        if agent.problem:  # the star's footnote: why it cannot start runs
            typer.echo(f"* {agent.name}: {agent.problem}")


@agents_app.command("rm")
def remove_agent(
    agent: Annotated[str, typer.Argument(help="The agent's name or id.", show_default=False)],
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Remove a stale agent (stopped, or unhealthy); a running agent is refused. Its runs
    stay."""
    from proctor.cli.output import fail
    from proctor.client.agent_lifecycle import delete_agent

    with api_call(), make_client(api_url) as client:
        known = client.list_agents()
        found = [a for a in known if agent in (a.id, a.name)]
        if not found:
            kind = "id" if looks_like_id(agent) else "name"
            fail(f"there is no agent with the {kind} {agent!r}: see `proctor agents ls`")
        name = client.execute(delete_agent(found[0].id))
    if json_output:
        print_json({"id": found[0].id, "name": name, "deleted": True})
    else:
        typer.echo(f"agent {name} removed")


def register(app: typer.Typer) -> None:
    """Add `agents` to the CLI."""
    app.add_typer(agents_app)


__all__ = ["register"]
