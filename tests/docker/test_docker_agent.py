"""The Docker agent against a real daemon: runs start in containers of a locally built
image, report through the API like local runs, and leave no container behind."""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from tests.agent.processes import all_task_runs, proctor, proctor_json, wait_until
from tests.docker.daemon import DockerDaemon, build_run_image
from tests.docker.processes import DockerAgentProcess

from proctor.client import Client

pytestmark = pytest.mark.slow

FLOWS = Path(__file__).resolve().parent / "flows"
FINISHED = {"Success", "Failed", "Cancelled"}


def project_name() -> str:
    return f"p-{uuid.uuid4().hex[:8]}"


def register(
    flow_file: str, project: str, home: Path, api_url: str, labels: tuple[str, ...] = ()
) -> dict:
    return register_path(FLOWS / flow_file, project, home, api_url, labels)


def register_path(
    path: Path, project: str, home: Path, api_url: str, labels: tuple[str, ...] = ()
) -> dict:
    flags = [part for label in labels for part in ("--label", label)]
    [registered] = proctor_json(
        "register", str(path), "--project", project, *flags, home=home, api_url=api_url
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
    # The run's final state is reported from inside the container, before it exits: the
    # agent removes it once it has.
    wait_until(
        lambda: run_containers(docker_daemon, run_id) == [], 60, "the run's container removed"
    )


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
    wait_until(lambda: run_containers(docker_daemon, created.id) == [], 120, "the container to go")


def test_a_failing_task_fails_the_run_with_its_error(
    home, server, client, docker_agents, docker_daemon
):
    project = project_name()
    register("failing.py", project, home, server.url)
    docker_agents.append(DockerAgentProcess(home, server.url, "failer", docker_daemon))
    created = client.create_flow_run(project=project, flow_name="failing_boxed")
    run = finished_run(client, created.id)
    assert run.state == "Failed"
    [task_run] = all_task_runs(client, created.id)
    assert task_run.state == "Failed"
    assert "broken inside the container" in (task_run.state_message or "")
    # The run reported its own end (exit code 1): no crash note from the agent.
    assert not any("without reporting" in line for line in log_lines(client, created.id))
    wait_until(lambda: run_containers(docker_daemon, created.id) == [], 60, "removal")


def test_a_missing_image_fails_the_run_with_the_daemons_reason(
    home, server, client, docker_agents, docker_daemon
):
    project = project_name()
    register("no_image.py", project, home, server.url)
    docker_agents.append(DockerAgentProcess(home, server.url, "imageless", docker_daemon))
    created = client.create_flow_run(project=project, flow_name="no_image")
    run = finished_run(client, created.id)
    assert run.state == "Failed"
    message = run.state_message or ""
    assert "No such image: proctor-no-such-image:0" in message  # the daemon's words
    assert "docker pull proctor-no-such-image:0" in message  # and what to do
    assert [s.state for s in run.states] == ["Scheduled", "Submitted", "Failed"]
    assert run_containers(docker_daemon, created.id) == []


def test_a_docker_agent_refuses_a_local_run_config_saying_which_agent_runs_it(
    home, server, client, docker_agents, docker_daemon
):
    project = project_name()
    register("local_only.py", project, home, server.url)
    docker_agents.append(DockerAgentProcess(home, server.url, "picky", docker_daemon))
    created = client.create_flow_run(project=project, flow_name="local_only")
    run = finished_run(client, created.id)
    assert run.state == "Failed"
    assert "'local', which a Docker agent cannot start" in (run.state_message or "")
    assert "proctor agent start`" in (run.state_message or "")
    assert run_containers(docker_daemon, created.id) == []


def test_cancelling_a_running_container_run_stops_and_removes_the_container(
    home, server, client, docker_agents, docker_daemon
):
    project = project_name()
    register("napping.py", project, home, server.url)
    docker_agents.append(DockerAgentProcess(home, server.url, "canceller", docker_daemon))
    created = client.create_flow_run(
        project=project, flow_name="napping", parameters={"seconds": 300}
    )
    wait_until(
        lambda: "napping for 300" in " ".join(log_lines(client, created.id)),
        120,
        "the task to start napping in its container",
    )
    assert len(run_containers(docker_daemon, created.id)) == 1
    client.cancel_flow_run(created.id)
    run = finished_run(client, created.id)
    assert run.state == "Cancelled"
    [nap] = [t for t in all_task_runs(client, created.id) if t.task_slug == "nap"]
    assert nap.state == "Cancelled"
    # The nap never returns by itself: the container was stopped, then removed.
    wait_until(lambda: run_containers(docker_daemon, created.id) == [], 60, "the container to go")


def test_after_a_kill_9_the_restarted_agent_removes_the_container_its_crash_left(
    home, server, client, docker_agents, docker_daemon
):
    project = project_name()
    register("napping.py", project, home, server.url)
    first = DockerAgentProcess(home, server.url, "crasher", docker_daemon)
    docker_agents.append(first)
    created = client.create_flow_run(
        project=project, flow_name="napping", parameters={"seconds": 3}
    )
    wait_until(lambda: client.get_flow_run(created.id).state == "Running", 120, "the run to start")
    first.kill()
    # The run goes on in its container without the agent, and ends by itself.
    run = finished_run(client, created.id)
    assert run.state == "Success"
    [left] = run_containers(docker_daemon, created.id)  # exited, not removed: no agent
    second = DockerAgentProcess(home, server.url, "crasher", docker_daemon)
    docker_agents.append(second)
    wait_until(
        lambda: run_containers(docker_daemon, created.id) == [],
        120,
        "the restarted agent to remove the container its crash left",
    )
    assert f"Removing container {left[:12]} left by this agent" in second.output()


def test_after_a_kill_9_the_restarted_agent_adopts_a_running_container(
    home, server, client, docker_agents, docker_daemon
):
    project = project_name()
    register("napping.py", project, home, server.url)
    first = DockerAgentProcess(home, server.url, "adopter", docker_daemon)
    docker_agents.append(first)
    created = client.create_flow_run(
        project=project, flow_name="napping", parameters={"seconds": 20}
    )
    wait_until(lambda: client.get_flow_run(created.id).state == "Running", 120, "the run to start")
    first.kill()
    second = DockerAgentProcess(home, server.url, "adopter", docker_daemon)
    docker_agents.append(second)
    wait_until(lambda: "Watching run" in second.output(), 120, "the adoption")
    assert client.get_flow_run(created.id).state == "Running"  # the run went on
    run = finished_run(client, created.id)
    assert run.state == "Success"
    assert [s.state for s in run.states].count("Running") == 1  # never started again
    wait_until(
        lambda: run_containers(docker_daemon, created.id) == [],
        60,
        "the adopting agent to remove the container once it ended",
    )


@pytest.mark.timeout(900)  # 50 containers on a loaded machine of two cores
def test_two_docker_agents_start_each_of_50_runs_exactly_once(
    home, server, client, docker_agents, docker_daemon
):
    project = project_name()
    register("quick.py", project, home, server.url)
    docker_agents.append(DockerAgentProcess(home, server.url, "pair-a", docker_daemon))
    # The second one with the 1.x spelling of the command.
    docker_agents.append(
        DockerAgentProcess(
            home, server.url, "pair-b", docker_daemon, spelling=("agent", "docker", "start")
        )
    )
    ids = [client.create_flow_run(project=project, flow_name="quick").id for _ in range(50)]
    runs = [finished_run(client, run_id, timeout=900) for run_id in ids]
    assert {run.state for run in runs} == {"Success"}
    for run in runs:
        states = [s.state for s in run.states]
        assert states.count("Submitted") == 1 and states.count("Running") == 1, states
    started = [
        line.split("(")[1].split()[0]
        for agent in docker_agents
        for line in agent.output().splitlines()
        if "Started run " in line
    ]
    assert sorted(started) == sorted(ids)  # each once, by one agent or the other
    assert {run.agent_id for run in runs} == {a.id for a in client.list_agents()
                                             if a.name in {"pair-a", "pair-b"}}  # fmt: skip
    wait_until(
        lambda: (
            docker_daemon.containers("io.proctor.agent-name=pair-a") == []
            and docker_daemon.containers("io.proctor.agent-name=pair-b") == []
        ),
        120,
        "every container to be removed",
    )


def test_a_daemon_that_is_down_is_reported_and_no_run_is_lost(
    home, server, client, docker_agents, docker_daemon, tmp_path
):
    project = project_name()
    held = f"held-{uuid.uuid4().hex[:6]}"
    register("quick.py", project, home, server.url, labels=(held,))
    late = DockerDaemon(tmp_path / "late")  # not started yet: its socket does not exist
    (tmp_path / "late").mkdir()
    agent = DockerAgentProcess(home, server.url, "daemonless", late, labels=[held])
    docker_agents.append(agent)

    def listed() -> dict:
        agents = proctor_json("agents", "ls", home=home, api_url=server.url)
        return next((a for a in agents if a["name"] == "daemonless"), {})

    problem = wait_until(lambda: listed().get("problem"), 120, "the agent to report")
    assert "Docker daemon unreachable" in problem
    table = proctor("agents", "ls", home=home, api_url=server.url)
    assert "unhealthy*" in table.stdout
    assert "* daemonless: Docker daemon unreachable" in table.stdout
    created = client.create_flow_run(project=project, flow_name="quick")
    time.sleep(3)  # a few of the agent's rounds: it must claim nothing meanwhile
    assert client.get_flow_run(created.id).state == "Scheduled"

    # The run's label gets a limit of 0 until the daemon has the run image: the agent may
    # notice the daemon before the image is built, and a run without its image fails.
    limit = ("limits", "set", held, "0", "--kind", "flow")
    assert proctor(*limit, home=home, api_url=server.url).returncode == 0
    late.start()  # the daemon comes (back): the agent notices, claims and runs
    try:
        build_run_image(late, tmp_path / "late")
        lifted = proctor("limits", "rm", held, "--kind", "flow", home=home, api_url=server.url)
        assert lifted.returncode == 0, lifted.stderr
        run = finished_run(client, created.id)
        assert run.state == "Success"
        wait_until(lambda: listed().get("problem") is None, 120, "the problem to clear")
        assert "The launcher can start runs again" in agent.output()
    finally:
        agent.stop()
        late.stop()


BAKED_FLOW = """
from pathlib import Path

from proctor import flow, get_run_logger, task
from proctor.run_configs import DockerRun
from proctor.storage import Module


@task
def where() -> str:
    get_run_logger().info("loaded from %s", Path(__file__).parent)
    return "ok"


@flow(storage=Module("baked_flows"))
def baked():
    where()


baked.run_config = DockerRun(image="proctor-test-baked:1")
"""


def test_module_storage_runs_the_code_baked_into_the_image(
    home, server, client, docker_agents, docker_daemon, tmp_path
):
    context = tmp_path / "image"
    context.mkdir()
    (context / "baked_flows.py").write_text(BAKED_FLOW)
    (context / "Dockerfile").write_text(
        "FROM proctor-test-run:local\nCOPY baked_flows.py /opt/flows/\nENV PYTHONPATH=/opt/flows\n"
    )
    built = docker_daemon.docker("build", "--tag", "proctor-test-baked:1", str(context))
    assert built.returncode == 0, built.stderr
    project = project_name()
    flow = register_path(context / "baked_flows.py", project, home, server.url)
    assert flow["storage"] == {"type": "module", "name": "baked_flows"}
    docker_agents.append(DockerAgentProcess(home, server.url, "baker", docker_daemon))
    run = finished_run(client, client.create_flow_run(project=project, flow_name="baked").id)
    assert run.state == "Success", run.state_message
    # The code came from the image, not from the agent's disk (that folder is not mounted).
    assert "loaded from /opt/flows" in log_lines(client, run.id)


GIT_FLOW = """
from proctor import flow, get_run_logger, task
from proctor.run_configs import DockerRun
from proctor.storage import Git


@task
def hello() -> str:
    get_run_logger().info("hello from git")
    return "ok"


@flow(storage=Git("file://{repo}", ref="HEAD", path="flows.py"))
def from_git():
    hello()


from_git.run_config = DockerRun(image="proctor-test-run:local", volumes=["{repo}:{repo}:ro"])
"""


def test_git_storage_is_cloned_inside_the_container(
    home, server, client, docker_agents, docker_daemon, tmp_path
):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "flows.py").write_text(GIT_FLOW.format(repo=repo))
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q"], ["add", "flows.py"], ["commit", "-q", "-m", "flows"]):
        done = subprocess.run([*git, *args], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    project = project_name()
    flow = register_path(repo / "flows.py", project, home, server.url)
    assert flow["storage"]["type"] == "git"
    docker_agents.append(DockerAgentProcess(home, server.url, "gitter", docker_daemon))
    run = finished_run(client, client.create_flow_run(project=project, flow_name="from_git").id)
    assert run.state == "Success", run.state_message
    assert "hello from git" in log_lines(client, run.id)


def test_a_stopped_agent_requeues_its_running_containers_and_removes_them(
    home, server, client, docker_agents, docker_daemon
):
    project = project_name()
    register("napping.py", project, home, server.url)
    agent = DockerAgentProcess(home, server.url, "stopper", docker_daemon)
    docker_agents.append(agent)
    created = client.create_flow_run(
        project=project, flow_name="napping", parameters={"seconds": 300}
    )
    wait_until(lambda: client.get_flow_run(created.id).state == "Running", 120, "the run to start")
    # SIGTERM: the run gets the grace period (5 s here), then its container SIGTERM.
    assert agent.stop(timeout=120) == 0
    run = client.get_flow_run(created.id)
    assert run.state == "Scheduled", run.state_message  # back in the queue for another agent
    assert run_containers(docker_daemon, created.id) == []
    assert docker_daemon.containers("io.proctor.agent-name=stopper") == []


def test_a_container_killed_mid_run_is_noted_removed_and_left_to_the_zombie_killer(
    home, server, client, docker_agents, docker_daemon
):
    project = project_name()
    register("napping.py", project, home, server.url)
    docker_agents.append(DockerAgentProcess(home, server.url, "victim", docker_daemon))
    created = client.create_flow_run(
        project=project, flow_name="napping", parameters={"seconds": 300}
    )
    wait_until(
        lambda: "napping for 300" in " ".join(log_lines(client, created.id)),
        120,
        "the task to start napping",
    )
    [container] = run_containers(docker_daemon, created.id)
    assert docker_daemon.docker("kill", container).returncode == 0  # out of memory, say
    note = wait_until(
        lambda: next((x for x in log_lines(client, created.id) if "without reporting" in x), None),
        60,
        "the agent's note in the run's logs",
    )
    assert f"container {container[:12]} ended with exit code 137" in note
    wait_until(lambda: run_containers(docker_daemon, created.id) == [], 60, "the removal")
    # Its heartbeats stopped: the zombie killer fails the task run that has no retries.
    nap = wait_until(
        lambda: next(
            (t for t in all_task_runs(client, created.id)
             if t.task_slug == "nap" and t.state == "Failed"),
            None,
        ),
        120,
        "the zombie killer to fail the nap",
    )  # fmt: skip
    assert "no retries left" in (nap.state_message or "")


def test_a_container_that_cannot_start_fails_the_run_with_the_daemons_reason(
    home, server, client, docker_agents, docker_daemon
):
    project = project_name()
    register("quick.py", project, home, server.url)
    docker_agents.append(
        DockerAgentProcess(
            home, server.url, "no-python", docker_daemon, extra_args=["--python", "nopython3"]
        )
    )
    created = client.create_flow_run(project=project, flow_name="quick")
    run = finished_run(client, created.id)
    assert run.state == "Failed"
    message = run.state_message or ""
    assert "Docker could not start the run's container" in message
    assert "nopython3" in message and "executable file not found" in message
    wait_until(lambda: run_containers(docker_daemon, created.id) == [], 60, "the removal")
