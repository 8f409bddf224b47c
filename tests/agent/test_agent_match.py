"""A run no healthy agent can take does not wait in silence: the API says which of its
labels are missing and what agent to start. Real server and agents on loopback."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from tests.agent.processes import FLOWS, AgentProcess, proctor_json, wait_until

from proctor.client import Client

pytestmark = pytest.mark.slow

MATCH = """query($id: ID!) { flowRun(id: $id) { state labels
  agentMatch { covered healthyAgents matchingAgents missingLabels closestAgent suggestion }
} }"""


def healthy(client: Client, *names: str) -> bool:
    found = {a["name"]: a["health"] for a in client.query("{ agents { name health } }")["agents"]}
    return all(found.get(name) == "HEALTHY" for name in names)


def match(client: Client, run_id: str) -> dict:
    return client.query(MATCH, {"id": run_id})["flowRun"]


def test_a_run_no_agent_covers_says_what_is_missing(home, server, client, agents):
    project = f"p-{uuid.uuid4().hex[:8]}"
    proctor_json("register", str(FLOWS / "gpu_work.py"), "--project", project,
                 "--label", "gpu", "--label", "ux", home=home, api_url=server.url)  # fmt: skip
    agents.append(AgentProcess(home, server.url, "ux-only", labels=["ux"]))
    wait_until(lambda: healthy(client, "ux-only"), 30, "the ux agent to be healthy")

    created = proctor_json("run", "gpu_work", "--project", project,
                           home=home, api_url=server.url)  # fmt: skip
    waiting = match(client, created["id"])
    assert waiting["state"] == "Scheduled" and sorted(waiting["labels"]) == ["gpu", "ux"]
    assert waiting["agentMatch"] == {
        "covered": False,
        "healthyAgents": waiting["agentMatch"]["healthyAgents"],
        "matchingAgents": [],
        "missingLabels": ["gpu"],
        "closestAgent": "ux-only",
        "suggestion": "proctor agent start --label gpu --label ux",
    }
    assert waiting["agentMatch"]["healthyAgents"] >= 1

    # A later run of the same flow is covered as soon as a fitting agent is healthy;
    # the waiting one is taken and runs.
    later = client.create_flow_run(
        project=project, flow_name="gpu_work",
        scheduled_start_time=datetime.now(UTC) + timedelta(days=1),
    )  # fmt: skip
    agents.append(AgentProcess(home, server.url, "gpu-box", labels=["gpu", "ux", "big"]))
    wait_until(lambda: healthy(client, "gpu-box"), 30, "the gpu agent to be healthy")
    covered = match(client, later.id)["agentMatch"]
    assert covered["covered"] is True
    assert covered["matchingAgents"] == ["gpu-box"]
    assert covered["missingLabels"] == [] and covered["suggestion"] is None
    done = wait_until(
        lambda: (run := match(client, created["id"]))["state"] == "Success" and run,
        60,
        "the waiting run to be taken and finish",
    )
    assert done["agentMatch"] is None  # no longer waiting: nothing to say

    # An agent that stopped cleanly takes nothing: the later run is uncovered again at
    # once, without waiting for its heartbeat to go stale.
    agents[-1].stop()
    uncovered = match(client, later.id)["agentMatch"]
    assert uncovered["covered"] is False and uncovered["missingLabels"] == ["gpu"]
    client.delete_flow_run(later.id)
