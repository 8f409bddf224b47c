"""Docker storage against a real daemon: `proctor register` builds the flow into an image
FROM the tests' run image, a Docker agent runs it from that image to Success, and the
build's failures (daemon down, base image missing, a failing step, a refused push) are
clear errors that register nothing."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from tests.agent.processes import base_env
from tests.docker.daemon import RUN_IMAGE, DockerDaemon
from tests.docker.processes import DockerAgentProcess
from tests.docker.test_docker_agent import finished_run, log_lines

from proctor.client import Client

pytestmark = pytest.mark.slow

FLOW = Path(__file__).resolve().parent / "flows" / "built.py"


def register(
    home: Path,
    api_url: str,
    daemon: DockerDaemon,
    project: str,
    *,
    env: dict[str, str] | None = None,
    docker_log: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """`proctor register built.py --json` with the tests' daemon; with `docker_log`, a
    `docker` first on PATH writes each command it is given there, then runs the real one."""
    environment = {**base_env(home, api_url), "DOCKER_HOST": daemon.host, **(env or {})}
    if docker_log is not None:
        folder = docker_log.parent / f"bin-{uuid.uuid4().hex[:6]}"
        folder.mkdir()
        real = shutil.which("docker")
        wrapper = folder / "docker"
        wrapper.write_text(f'#!/bin/sh\necho "$*" >> {docker_log}\nexec {real} "$@"\n')
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
        environment["PATH"] = f"{folder}:{environment['PATH']}"
    return subprocess.run(
        [sys.executable, "-m", "proctor", "register", str(FLOW), "--project", project, "--json"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def flow_names(client: Client, project: str) -> list[str]:
    return [flow.name for flow in client.list_flows(project=project).items]


def test_register_builds_the_image_and_a_docker_agent_runs_the_flow_from_it(
    home, server, client, docker_agents, docker_daemon, tmp_path
):
    project = f"p-{uuid.uuid4().hex[:8]}"
    commands = tmp_path / "docker-commands.log"
    done = register(home, server.url, docker_daemon, project, docker_log=commands)
    assert done.returncode == 0, done.stdout + done.stderr
    [registered] = json.loads(done.stdout)
    flow = registered["flow"]
    image = flow["storage"]["image"]
    name, _, tag = image.rpartition(":")
    assert name == "proctor-test-built" and len(tag) == 12
    assert flow["storage"]["path"] == "/opt/proctor/flows/built.py"
    assert flow["storage"]["settings"]["base_image"] == RUN_IMAGE
    # No run config of its own: it runs in the built image, with a Docker agent.
    assert flow["run_config"] == {"type": "docker", "image": image}
    # The build's progress was on stderr (stdout stays JSON); no push without a registry.
    assert "io.proctor.test=built" in done.stderr
    ran = commands.read_text().splitlines()
    assert any(line.startswith("build --tag " + image) for line in ran), ran
    assert not any(line.startswith("push") for line in ran), ran
    inspected = docker_daemon.docker("image", "inspect", image)
    assert inspected.returncode == 0, inspected.stderr
    [details] = json.loads(inspected.stdout)
    assert details["Config"]["Labels"]["io.proctor.test"] == "built"
    assert details["Config"]["Labels"]["io.proctor.flow-name"] == "built"
    assert "BAKED=set in the image" in details["Config"]["Env"]

    # The agent's default image is the plain run image: the flow's own image wins.
    docker_agents.append(DockerAgentProcess(home, server.url, "builder", docker_daemon))
    created = client.create_flow_run(project=project, flow_name="built")
    run = finished_run(client, created.id, timeout=300)
    assert run.state == "Success", (run.state_message, docker_agents[0].output())
    lines = log_lines(client, created.id)
    assert "flow file at /opt/proctor/flows/built.py, in a container: True" in lines
    assert "baked: set in the image; data: hello from a file baked in" in lines

    # Registering the unchanged flow again builds the same tag: nothing new.
    again = register(home, server.url, docker_daemon, project)
    assert again.returncode == 0, again.stderr
    [second] = json.loads(again.stdout)
    assert second["status"] == "unchanged" and second["flow"]["storage"]["image"] == image


def test_a_daemon_that_is_down_is_said_and_nothing_is_registered(
    home, server, client, docker_daemon, tmp_path
):
    project = f"p-{uuid.uuid4().hex[:8]}"
    done = register(
        home, server.url, docker_daemon, project,
        env={"DOCKER_HOST": f"unix://{tmp_path / 'no-daemon.sock'}"},
    )  # fmt: skip
    assert done.returncode != 0
    assert "The Docker daemon does not answer" in done.stderr
    assert "start it (or set DOCKER_HOST" in done.stderr and "Traceback" not in done.stderr
    assert flow_names(client, project) == []


def test_a_missing_base_image_names_it_and_what_to_do(home, server, client, docker_daemon):
    project = f"p-{uuid.uuid4().hex[:8]}"
    missing = f"proctor-no-such-base-{uuid.uuid4().hex[:6]}:1"
    done = register(
        home, server.url, docker_daemon, project, env={"PROCTOR_TEST_BASE_IMAGE": missing}
    )
    assert done.returncode != 0
    assert f"Base image {missing!r} is not on this machine and could not be pulled" in done.stderr
    assert f"docker pull {missing}" in done.stderr and "Traceback" not in done.stderr
    assert flow_names(client, project) == []


def test_a_failing_build_step_quotes_the_daemon(home, server, client, docker_daemon):
    project = f"p-{uuid.uuid4().hex[:8]}"
    done = register(
        home, server.url, docker_daemon, project,
        env={"PROCTOR_TEST_EXTRA_COMMAND": "COPY no-such-file /nowhere"},
    )  # fmt: skip
    assert done.returncode != 0
    assert "Building image 'proctor-test-built:" in done.stderr
    assert "no-such-file" in done.stderr.split("The daemon said:", 1)[1]
    assert "Fix the step it names" in done.stderr and "Traceback" not in done.stderr
    assert flow_names(client, project) == []


def test_a_registry_url_pushes_and_a_refused_push_registers_nothing(
    home, server, client, docker_daemon, tmp_path
):
    # Nothing listens on this loopback port: the push is attempted and refused.
    project = f"p-{uuid.uuid4().hex[:8]}"
    commands = tmp_path / "docker-commands.log"
    done = register(
        home, server.url, docker_daemon, project,
        env={"PROCTOR_TEST_REGISTRY": "127.0.0.1:9/team"}, docker_log=commands,
    )  # fmt: skip
    assert done.returncode != 0
    pushed = [line for line in commands.read_text().splitlines() if line.startswith("push ")]
    assert len(pushed) == 1 and pushed[0].startswith("push 127.0.0.1:9/team/proctor-test-built:")
    assert "Pushing image '127.0.0.1:9/team/proctor-test-built:" in done.stderr
    assert "docker login" in done.stderr and "Traceback" not in done.stderr
    assert flow_names(client, project) == []
    assert os.path.exists(commands)


def test_a_pushed_image_is_in_the_registry_and_an_agent_pulls_it_from_there(
    home, server, client, docker_agents, docker_daemon, registry
):
    project = f"p-{uuid.uuid4().hex[:8]}"
    # A label of its own makes an image no other test builds, so removing it here takes
    # its flow's layers off the daemon: only the registry has them afterwards.
    marker = uuid.uuid4().hex[:8]
    done = register(
        home, server.url, docker_daemon, project,
        env={
            "PROCTOR_TEST_REGISTRY": f"{registry.address}/team",
            "PROCTOR_TEST_EXTRA_COMMAND": f"LABEL io.proctor.test=pushed-{marker}",
        },
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    [registered] = json.loads(done.stdout)
    image = registered["flow"]["storage"]["image"]
    name, _, tag = image.rpartition(":")
    assert name == f"{registry.address}/team/proctor-test-built"
    assert registered["flow"]["run_config"] == {"type": "docker", "image": image}
    assert tag in registry.tags("team/proctor-test-built")  # asked of the registry itself

    # A daemon that never saw the image: remove it (its base layers stay, as on an agent
    # machine that has the base image), then the agent's `docker create --pull missing`
    # must fetch it from the registry.
    removed = docker_daemon.docker("image", "rm", image)
    assert removed.returncode == 0, removed.stderr
    assert docker_daemon.docker("image", "inspect", image).returncode != 0
    docker_agents.append(
        DockerAgentProcess(home, server.url, "puller", docker_daemon, pull="missing")
    )
    created = client.create_flow_run(project=project, flow_name="built")
    run = finished_run(client, created.id, timeout=300)
    assert run.state == "Success", (run.state_message, docker_agents[0].output())
    assert "flow file at /opt/proctor/flows/built.py, in a container: True" in log_lines(
        client, created.id
    )
    inspected = docker_daemon.docker("image", "inspect", image)
    assert inspected.returncode == 0, inspected.stderr
    [details] = json.loads(inspected.stdout)
    assert details["Config"]["Labels"]["io.proctor.test"] == f"pushed-{marker}"
    assert f"{registry.address}/team/proctor-test-built@sha256:" in " ".join(details["RepoDigests"])
