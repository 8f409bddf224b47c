"""The activity feed against a real server process: what is recorded, the filters, paging,
the live subscription over a real websocket, and pruning by age."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tests.client.test_client_subscriptions import GraphQLSocket
from tests.server.housekeeping.conftest import flow_spec

from proctor.client import AsyncClient, Client, FlowRunStateChange, InvalidInput
from proctor.core.states import Failed, Running
from proctor.testing import ServerProcess

FEED = """query ($kinds: [String!], $flow: String, $since: DateTime, $first: Int, $after: String) {
  activity(kinds: $kinds, flow: $flow, since: $since, first: $first, after: $after) {
    nodes { id kind message flowName flowRunId data occurred }
    pageInfo { endCursor hasNextPage }
  }
}"""


def feed(client: Client, **variables: Any) -> list[dict[str, Any]]:
    return list(client.query(FEED, variables)["activity"]["nodes"])


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def test_registration_runs_and_schedule_are_in_the_feed_newest_first(client: Client) -> None:
    project = client.create_project(unique("feed"))
    name = unique("feed-flow")
    flow = client.register_flow(project.name, flow_spec(name)).flow
    run = client.create_flow_run(flow.id)
    client.set_flow_run_states([FlowRunStateChange(flow_run_id=run.id, state=Running())])
    client.set_flow_run_states([FlowRunStateChange(flow_run_id=run.id, state=Failed("boom"))])

    mine = feed(client, flow=name)
    kinds = [event["kind"] for event in mine]
    # Newest first: the failure, the start, the creation, the registration.
    assert kinds == ["flow_run.state", "flow_run.state", "flow_run.created", "flow.registered"]
    assert [e["data"].get("state") for e in mine[:2]] == ["Failed", "Running"]
    assert mine[0]["message"] == f"Run of {name} is Failed"
    assert mine[0]["flowRunId"] == run.id
    assert mine[-1]["message"] == f"{name} registered (version 1)"
    assert all(event["flowName"] == name for event in mine)

    projects = feed(client, kinds=["project"])
    assert any(e["message"] == f"Project {project.name} created" for e in projects)
    assert {e["kind"] for e in projects} <= {"project.created", "project.deleted"}


def test_filters_by_kind_family_and_since_and_pages(client: Client) -> None:
    project = client.create_project(unique("feed"))
    name = unique("paged")
    flow = client.register_flow(project.name, flow_spec(name)).flow
    for _ in range(5):
        client.create_flow_run(flow.id)
    created = feed(client, flow=name, kinds=["flow_run.created"])
    assert len(created) == 5
    assert feed(client, flow=name, kinds=["flow"]) == feed(
        client, flow=name, kinds=["flow.registered"]
    )

    first = client.query(FEED, {"flow": name, "first": 4})["activity"]
    assert len(first["nodes"]) == 4 and first["pageInfo"]["hasNextPage"]
    rest = client.query(FEED, {"flow": name, "first": 4, "after": first["pageInfo"]["endCursor"]})
    ids = [e["id"] for e in first["nodes"]] + [e["id"] for e in rest["activity"]["nodes"]]
    assert len(ids) == len(set(ids)) == 6

    later = datetime.now(UTC) + timedelta(minutes=5)
    assert feed(client, flow=name, since=later.isoformat()) == []


def test_unknown_kind_is_a_clear_error(client: Client) -> None:
    with pytest.raises(InvalidInput) as raised:
        feed(client, kinds=["flow_run.exploded"])
    assert "Unknown activity kind 'flow_run.exploded'" in str(raised.value)
    assert "agent.unhealthy" in str(raised.value)  # the known kinds are listed


async def test_subscription_streams_new_events_with_filters(server: ServerProcess) -> None:
    name = unique("live")
    other = unique("other")
    async with AsyncClient(server.url) as client:
        project = await client.create_project(unique("live"))
        flow = (await client.register_flow(project.name, flow_spec(name))).flow
        noise = (await client.register_flow(project.name, flow_spec(other))).flow
        ws = await GraphQLSocket.open(server.url)
        try:
            await ws.subscribe(
                'subscription ($flow: String) { activity(flow: $flow, kinds: ["flow_run"]) '
                "{ kind flowName flowRunId message } }",
                {"flow": name},
            )
            await asyncio.sleep(0.5)  # let the server register the subscription
            await client.create_flow_run(noise.id)  # another flow: filtered out
            run = await client.create_flow_run(flow.id)
            await client.set_flow_run_states(
                [FlowRunStateChange(flow_run_id=run.id, state=Running())]
            )
            seen: list[dict[str, Any]] = []
            while len(seen) < 2:
                message = await ws.next(timeout=30)
                assert message["type"] == "next", message
                seen.append(message["payload"]["data"]["activity"])
        finally:
            await ws.close()
    assert [(e["kind"], e["flowName"], e["flowRunId"]) for e in seen] == [
        ("flow_run.created", name, run.id),
        ("flow_run.state", name, run.id),
    ]
    assert seen[1]["message"] == f"Run of {name} is Running"
