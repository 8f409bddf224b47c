"""Secret values are masked on every output path of a run process, files included: a real
agent runs a flow that reads a `Secret` and writes it to stderr (in pieces), stdout, a
third-party logger, a log file of its own and a traceback; the run's log file under the
agent's home, the flow's own file and the server all show `****`."""

from __future__ import annotations

import uuid

import pytest
from tests.agent.processes import FLOWS, AgentProcess, proctor_json, wait_until

from proctor.client import Client

pytestmark = pytest.mark.slow

VALUE = f"leaky-{uuid.uuid4().hex}"


def test_every_output_path_of_a_run_is_masked(home, server, client: Client, agents, work):
    client.set_secret("LEAKY_TOKEN", VALUE)
    project = f"p-{uuid.uuid4().hex[:8]}"
    proctor_json(
        "register", str(FLOWS / "leaky.py"), "--project", project, "--label", "leaky",
        home=home, api_url=server.url,
    )  # fmt: skip
    agents.append(
        AgentProcess(home, server.url, "leaky-agent", labels=["leaky"],
                     env={"AGENT_TEST_DIR": str(work)})
    )  # fmt: skip
    created = proctor_json("run", "leaky", "--project", project, home=home, api_url=server.url)
    run = wait_until(
        lambda: (r := client.get_flow_run(created["id"])).state in {"Success", "Failed"} and r,
        90,
        "the leaky run to finish",
    )
    assert run.state == "Failed"  # `crash` raised, quoting the value
    run_log = home / "agent" / "runs" / f"{run.id}.log"
    wait_until(run_log.exists, 30, "the run's log file (kept: the run failed)")
    text = run_log.read_text()

    assert VALUE not in text
    assert "stderr got **** in two writes" in text, text
    assert "stderr without a newline ****" in text, text
    assert "stdout got ****" in text, text
    assert "urllib3 got ****" in text, text
    assert "crashed holding ****" in text, text  # the engine's own log of the failure

    own = (work / "own.log").read_text()
    assert VALUE not in own
    assert "own file got ****" in own, own
    assert "ValueError: a problem with ****" in own, own  # the traceback's last line

    server_lines = "\n".join(e.message for e in client.list_logs(run.id, first=1000).items)
    assert VALUE not in server_lines and "crashed holding ****" in server_lines
    assert VALUE not in agents[0].output()
