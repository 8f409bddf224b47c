"""`proctor activity`: the server's activity feed (run states, registrations, archive
and delete, schedule switches, agent health, alerts sent), newest first; `--follow`
keeps printing new events as they happen (the `activity` subscription over a
websocket, not polling)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from proctor.cli.remote import (
    ApiUrlOption,
    JsonOption,
    api_call,
    make_client,
    print_json,
    print_table,
    when,
)

if TYPE_CHECKING:
    from proctor.client import Client

FIELDS = "id kind occurred message flowName flowRunId data"
LIST = f"""query ($kinds: [String!], $flow: String, $since: DateTime, $first: Int) {{
  activity(kinds: $kinds, flow: $flow, since: $since, first: $first) {{
    nodes {{ {FIELDS} }}
    pageInfo {{ endCursor hasNextPage }}
  }}
}}"""
FOLLOW = f"""subscription ($kinds: [String!], $flow: String) {{
  activity(kinds: $kinds, flow: $flow) {{ {FIELDS} }}
}}"""


def _rows(events: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    from datetime import datetime

    return [
        (
            when(datetime.fromisoformat(event["occurred"])),
            event["kind"],
            event["flowName"] or "-",
            event["message"],
        )
        for event in events
    ]


def _socket_url(api_url: str) -> str:
    base = api_url.rstrip("/")
    if base.endswith("/graphql"):
        base = base[: -len("/graphql")]
    scheme, rest = base.split("://", 1)
    return f"{'wss' if scheme == 'https' else 'ws'}://{rest}/graphql"


def _follow(client: Client, variables: dict[str, Any], json_output: bool) -> None:
    """Print each new event as a line (a JSON object per line with --json) until ^C."""
    from datetime import datetime

    from websockets.sync.client import connect

    config = client.config
    init: dict[str, Any] = {"type": "connection_init"}
    if config.api_key:
        init["payload"] = {"Authorization": f"Bearer {config.api_key}"}
    with connect(_socket_url(config.api_url), subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
        socket.send(json.dumps(init))
        ack = json.loads(socket.recv())
        if ack.get("type") != "connection_ack":
            raise typer.Exit(1)
        payload = {"query": FOLLOW, "variables": variables}
        socket.send(json.dumps({"id": "activity", "type": "subscribe", "payload": payload}))
        for raw in socket:
            message = json.loads(raw)
            kind = message.get("type")
            if kind == "ping":
                socket.send(json.dumps({"type": "pong"}))
            elif kind == "next":
                event = message["payload"]["data"]["activity"]
                if json_output:
                    typer.echo(json.dumps(event))
                else:
                    moment = when(datetime.fromisoformat(event["occurred"]))
                    flow = event["flowName"] or "-"
                    typer.echo(f"{moment}  {event['kind']}  {flow}  {event['message']}")
            elif kind == "error":
                from proctor.cli.output import fail

                errors = message.get("payload") or [{}]
                fail(str(errors[0].get("message", "the server refused the subscription")))
            elif kind == "complete":
                return


def activity(
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            "-k",
            metavar="KIND",
            help="Only this kind (flow_run.state) or family (flow_run, flow, agent, "
            "project, sla, notification); repeatable.",
        ),
    ] = None,
    flow: Annotated[str | None, typer.Option("--flow", help="Only events of this flow.")] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only since then: 30m, 2h, 1d, 1w ago, or an ISO time."),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "--first", "-n", min=1, help="How many events.")
    ] = 50,
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Then print new events as they happen.")
    ] = False,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show what happened on the server, newest first: run states, registrations,
    archive/delete, schedule switches, agent health, alerts sent."""
    from proctor.cli.output import UserError, fail
    from proctor.cli.runs_list import parse_since

    try:
        after = None if since is None else parse_since(since)
    except UserError as error:
        fail(str(error))
    variables: dict[str, Any] = {"kinds": kind or None, "flow": flow}
    with api_call(), make_client(api_url) as client:
        page = client.query(
            LIST, {**variables, "since": after.isoformat() if after else None, "first": limit}
        )["activity"]
        events = list(page["nodes"])
        if json_output and not follow:
            print_json(events)
        elif json_output:
            for event in reversed(events):
                typer.echo(json.dumps(event))
        else:
            print_table(None, ["WHEN", "KIND", "FLOW", "MESSAGE"], _rows(events))
            if not follow and page["pageInfo"]["hasNextPage"]:
                typer.echo(
                    f"showing the {len(events)} newest: see more with --limit N or --since",
                    err=True,
                )
        if follow:
            try:
                _follow(client, variables, json_output)
            except KeyboardInterrupt:
                return


def register(app: typer.Typer) -> None:
    """Add `activity` to the CLI."""
    app.command("activity")(activity)


__all__ = ["activity", "register"]
