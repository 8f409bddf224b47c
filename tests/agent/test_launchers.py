"""Launchers: local run processes (forked or spawned) and the container job specs."""

from __future__ import annotations

import time
import uuid

import pytest

from proctor.agent.launchers import LocalLauncher, docker_command, kubernetes_job

RUN_ID = "01234567-89ab-7def-8123-456789abcdef"


def test_docker_command_passes_environment_names_not_values():
    command = docker_command(RUN_ID, {"PROCTOR_API_KEY": "secret"}, image="acme/flows:1")
    assert command[:3] == ["docker", "run", "--rm"]
    assert "secret" not in " ".join(command)
    assert command[command.index("--env") + 1] == "PROCTOR_API_KEY"
    assert command[-7:] == [
        "acme/flows:1",
        "python",
        "-m",
        "proctor",
        "execute",
        "flow-run",
        RUN_ID,
    ]


def test_kubernetes_job_runs_the_flow_run_once():
    job = kubernetes_job(RUN_ID, {"PROCTOR_API_URL": "http://proctor:4200"}, image="acme/flows:1")
    assert job["kind"] == "Job" and job["spec"]["backoffLimit"] == 0
    pod = job["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    [container] = pod["containers"]
    assert container["command"][-1] == RUN_ID
    assert container["env"] == [{"name": "PROCTOR_API_URL", "value": "http://proctor:4200"}]
    assert len(job["metadata"]["name"]) <= 63


@pytest.mark.slow
@pytest.mark.parametrize("preload", [True, False], ids=["forked", "spawned"])
def test_a_local_run_process_keeps_its_output_when_it_fails(server, tmp_path, preload):
    launcher = LocalLauncher(tmp_path, preload=preload)
    launcher.prepare()
    unknown = str(uuid.uuid4())
    run = launcher.launch(unknown, {"PROCTOR_API_URL": server.url, "PROCTOR_HOME": str(tmp_path)})
    deadline = time.monotonic() + 60
    while (code := run.poll()) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert code == 2  # the run could not be read
    run.cleanup(code)
    assert run.log is not None
    assert "There is no flow run" in run.log.read_text()
