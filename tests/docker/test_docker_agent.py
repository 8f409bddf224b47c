"""The Docker agent against a real daemon: runs start in containers of a locally built
image, report through the API like local runs, and leave no container behind."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from tests.agent.processes import all_task_runs, proctor, proctor_json, wait_until
from tests.docker.daemon import DockerDaemon
from tests.docker.processes import DockerAgentProcess

from proctor.client import Client

pytestmark = pytest.mark.slow

FLOWS = Path(__file__).resolve().parent / "flows"
FINISHED = {"Success", "Failed", "Cancelled"}


def project_name() -> str:
    return f"p-{uuid.uuid4().hex[:8]}"


def register(flow_file: str, project: str, home: Path, api_url: str) -> dict:
    [registered] = proctor_json(
        "register", str(FLOWS / flow_file), "--project", project, home=home, api_url=api_url
    )
    return registered["flow"]


def finished_run(client: Client, run_id: str, timeout: float = 180):
    return wait_until(
        lambda: (run := client.get_flow_run(run_id)).state in FINISHED and run,
        timeout,
        f"flow run {run_id} to finish",
        interval=0.3,
    )


def log_lines(client: Client, run_id: str) -> list[str]:
    return [entry.message for entry in client.list_logs(run_id, first=1000).items]


def run_containers(daemon: DockerDaemon, run_id: str) -> list[str]:
    return daemon.containers(f"io.proctor.flow-run-id={run_id}")


def test_a_docker_run_config_runs_in_a_container_to_success(
    home, server, client, docker_agents, docker_daemon
):
    project = project_name()
    flow = register("boxed.py", project, home, server.url)
    assert flow["run_config"] == {
        "type": "docker",
        "image": "proctor-test-run:local",
        "env": {"GREETING": "hello"},
        "memory": "512m",
        "cpu": 1,
    }
    docker_agents.append(DockerAgentProcess(home, server.url, "boxer", docker_daemon))
    done = proctor(
        "run", "boxed", "--project", project, "--param", "parts=3", "--env", "EXTRA=given",
        "--watch", "--json", home=home, api_url=server.url, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr + docker_agents[0].output()
    run_id = json.loads(done.stdout)["id"]
    run = client.get_flow_run(run_id)
    assert run.state == "Success", run.state_message
    assert [s.state for s in run.states][:3] == ["Scheduled", "Submitted", "Running"]
    states = {(t.task_slug, t.map_index): t.state for t in all_task_runs(client, run_id)}
    assert states[("where", -1)] == "Mapped"
    assert [states[("where", i)] for i in range(3)] == ["Success"] * 3
    assert states[("given", -1)] == "Success"
    lines = log_lines(client, run_id)
    # The tasks ran in a container, with the flow's env and the run's own over it.
    assert {f"part {i} in a container: True" for i in range(3)} <= set(lines)
    assert "environment: GREETING=hello EXTRA=given" in lines
    # The container had its labels and limits, and was removed once the run ended.
    output = docker_agents[0].output()
    assert f"Started run {run.name} ({run_id}" in output and "in container " in output
    assert run_containers(docker_daemon, run_id) == []


def test_the_container_gets_labels_limits_and_no_secret_on_its_command_line(
    home, server, client, docker_agents, docker_daemon
):
    project = project_name()
    register("napping.py", project, home, server.url)
    docker_agents.append(DockerAgentProcess(home, server.url, "inspector", docker_daemon))
    created = client.create_flow_run(
        project=project, flow_name="napping", parameters={"seconds": 60},
        env={"TOKEN": "s3cr3t-value"},
    )  # fmt: skip
    [container] = wait_until(
        lambda: run_containers(docker_daemon, created.id), 120, "the run's container"
    )
    done = docker_daemon.docker("inspect", container)
    [details] = json.loads(done.stdout)
    labels = details["Config"]["Labels"]
    assert labels["io.proctor.flow-run-id"] == created.id
    assert labels["io.proctor.agent-name"] == "inspector"
    assert labels["io.proctor.agent-id"]
    assert details["HostConfig"]["NetworkMode"] == "host"  # the server is on loopback
    command = " ".join([*details["Config"]["Cmd"], details["Path"], *details["Args"]])
    assert command.endswith(f"-m proctor execute flow-run {created.id}")
    assert "s3cr3t-value" not in command
    env = dict(item.split("=", 1) for item in details["Config"]["Env"])
    assert env["TOKEN"] == "s3cr3t-value"  # in the container's environment only
    assert env["PROCTOR_API_URL"] == server.url
    client.cancel_flow_run(created.id)
    finished_run(client, created.id)
    wait_until(
        lambda: run_containers(docker_daemon, created.id) == [], 120, "the container to go"
    )
