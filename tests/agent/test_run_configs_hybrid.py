"""Run configs with a real local agent: LocalRun's working_dir and env reach the run
process; a DockerRun claimed by a local agent fails at once, saying which agent runs it."""

from __future__ import annotations

import uuid

import pytest
from tests.agent.processes import FLOWS, AgentProcess, wait_until

from proctor.core.loader import load_flows_from_path
from proctor.run_configs import DockerRun, LocalRun

pytestmark = pytest.mark.slow
FINISHED = {"Success", "Failed", "Cancelled"}


def registered(run_config, server) -> str:
    flow = load_flows_from_path(FLOWS / "where_am_i.py")["where_am_i"]
    flow.run_config = run_config
    return flow.register(f"p-{uuid.uuid4().hex[:8]}", api_url=server.url).flow.id


def finished(client, run_id: str):
    return wait_until(
        lambda: (run := client.get_flow_run(run_id)).state in FINISHED and run,
        120,
        f"flow run {run_id} to finish",
    )


def test_a_local_run_starts_in_its_working_dir_with_its_env(home, server, client, agents, tmp_path):
    folder = tmp_path / "workdir"
    folder.mkdir()
    flow_id = registered(LocalRun(working_dir=str(folder), env={"FROM_CONFIG": "flow"}), server)
    agents.append(AgentProcess(home, server.url, "local-configs", env={"FROM_CONFIG": "agent"}))
    plain = client.create_flow_run(flow_id)
    given = client.create_flow_run(flow_id, env={"FROM_CONFIG": "run"})
    for run_id, expected in ((plain.id, "flow"), (given.id, "run")):
        run = finished(client, run_id)
        assert run.state == "Success", run.state_message
        lines = [entry.message for entry in client.list_logs(run_id, first=100).items]
        # The run config's env wins over the agent's --env; the run's own over both.
        assert f"cwd={folder} FROM_CONFIG={expected}" in lines


def test_a_local_agent_fails_a_docker_run_saying_which_agent_runs_it(home, server, client, agents):
    flow_id = registered(DockerRun(image="etl:1"), server)
    agents.append(AgentProcess(home, server.url, "local-refuser"))
    run = finished(client, client.create_flow_run(flow_id).id)
    assert run.state == "Failed"
    assert [s.state for s in run.states] == ["Scheduled", "Submitted", "Failed"]
    message = run.state_message or ""
    assert "cannot start this run" in message
    assert "a Docker agent (`proctor agent start --type docker`)" in message
