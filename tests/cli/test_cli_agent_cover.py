"""`proctor run` says when no healthy agent can take the run it created, which labels are
missing and what to start; against a real server and a real agent."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from tests.agent.processes import AgentProcess, proctor, wait_until

from proctor import Flow, task
from proctor.cli.agent_cover import agent_cover, cover_from_agents
from proctor.client import Client
from proctor.testing import ServerProcess


@task
def hello() -> str:
    return "hi"


@pytest.fixture(scope="module")
def flow_ref(server: ServerProcess) -> str:
    with Flow("labelled") as flow:
        hello()
    project = f"cover-{uuid.uuid4().hex[:6]}"
    with Client(server.url) as client:
        client.register_flow(project, dict(flow.serialize()), create_project=True)
    return f"{project}/labelled"


def run_later(flow_ref: str, labels: list[str], server: ServerProcess, home: Path):
    """`proctor run` of a run due tomorrow (so that no agent takes it meanwhile)."""
    args = ["run", flow_ref, "--start", "1d", "--json"]
    for label in labels:
        args += ["--label", label]
    done = proctor(*args, home=home, api_url=server.url)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


def same_answer_without_the_server_field(server: ServerProcess, run: dict) -> None:
    """The CLI's own reckoning (for a server without agentMatch) agrees with the server."""
    with Client(server.url) as client:
        said = agent_cover(client, run["id"], run["labels"])
        assert said == cover_from_agents(run["labels"], client.list_agents())


def test_run_says_which_labels_no_healthy_agent_has(
    server: ServerProcess, server_home: Path, flow_ref: str
):
    run, err = run_later(flow_ref, ["gpu", "ux"], server, server_home)
    assert "This run waits: no agent is healthy" in err, err
    assert "start one with `proctor agent start --label gpu --label ux`" in err
    same_answer_without_the_server_field(server, run)

    agent = AgentProcess(server_home, server.url, "ux-box", labels=["ux"])
    try:
        with Client(server.url) as client:
            wait_until(
                lambda: any(
                    a.name == "ux-box" and a.health == "HEALTHY" for a in client.list_agents()
                ),
                60,
                "the ux agent to be healthy",
            )
        run, err = run_later(flow_ref, ["gpu", "ux"], server, server_home)
        assert (
            "no healthy agent has all its labels (gpu, ux); the closest, ux-box, lacks gpu" in err
        )
        assert "`proctor agent start --label gpu --label ux`" in err
        same_answer_without_the_server_field(server, run)
        shown = proctor("runs", "show", run["id"], home=server_home, api_url=server.url)
        assert shown.returncode == 0, shown.stderr
        [line] = [line for line in shown.stdout.splitlines() if line.startswith("agents ")]
        assert "the closest, ux-box, lacks gpu" in line

        run, err = run_later(flow_ref, ["ux"], server, server_home)
        assert "This run waits" not in err, err
        shown = proctor("runs", "show", run["id"], home=server_home, api_url=server.url)
        assert "This run waits" not in shown.stdout
        same_answer_without_the_server_field(server, run)
    finally:
        agent.stop()
