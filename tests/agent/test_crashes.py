"""kill -9 of the server, of an agent with its runs, and of a run process, mid-run.

Every run must end in a true state: finished, or re-queued by the server and finished,
with no acknowledged state lost.
"""

from __future__ import annotations

import os
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.agent.processes import (
    FLOWS,
    AgentProcess,
    all_task_runs,
    free_port,
    proctor_json,
    start_server,
    wait_until,
)

from proctor.testing import ServerProcess

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(home: Path) -> Iterator[ServerProcess]:
    """On a fixed port, so that a restarted server is where its clients look."""
    process = start_server(home, port=free_port())
    yield process
    process.stop()


def start_steps(home, server, work, agents, label: str, n: int, pause: float) -> str:
    project = f"crash-{uuid.uuid4().hex[:8]}"
    proctor_json("register", str(FLOWS / "steps.py"), "--project", project, "--label", label,
                 home=home, api_url=server.url)  # fmt: skip
    agents.append(
        AgentProcess(home, server.url, f"{label}-1", labels=[label],
                     env={"AGENT_TEST_DIR": str(work)})
    )  # fmt: skip
    created = proctor_json("run", "steps", "--project", project, "--param", f"n={n}",
                           "--param", f"pause={pause}", home=home, api_url=server.url)  # fmt: skip
    return str(created["id"])


def steps_done(client, run_id: str) -> int:
    return sum(
        1
        for t in all_task_runs(client, run_id)
        if t.task_slug == "step" and t.map_index >= 0 and t.state == "Success"
    )


def assert_all_steps_succeeded(client, run_id: str, n: int) -> None:
    run = client.get_flow_run(run_id)
    assert run.state == "Success", run.state_message
    steps = [t for t in all_task_runs(client, run_id) if t.task_slug == "step" and t.map_index >= 0]
    assert sorted(t.map_index for t in steps) == list(range(n))
    assert {t.state for t in steps} == {"Success"}


def finished(client, run_id: str):
    run = client.get_flow_run(run_id)
    return run if run.state in {"Success", "Failed", "Cancelled"} else None


def test_the_run_rides_out_a_server_killed_mid_run(home, server, client, agents, work):
    run_id = start_steps(home, server, work, agents, "server-kill", n=16, pause=0.4)
    wait_until(lambda: steps_done(client, run_id) >= 3, 60, "three steps to succeed")
    server.kill()
    server.start(timeout=60)  # same port, same database
    run = wait_until(lambda: finished(client, run_id), 90, "the run to finish")
    assert run.state == "Success", run.state_message
    assert_all_steps_succeeded(client, run_id, 16)
    history = [s.state for s in client.get_flow_run(run_id).states]
    assert history.count("Running") == 1, history  # it never had to start again


def test_an_agent_killed_with_its_runs_is_recovered_by_another(home, server, client, agents, work):
    run_id = start_steps(home, server, work, agents, "agent-kill", n=12, pause=0.5)
    wait_until(lambda: steps_done(client, run_id) >= 2, 60, "two steps to succeed")
    doomed = agents[-1]
    runs = doomed.run_processes()
    assert runs, doomed.output()
    doomed.kill()  # the machine goes: the agent and its run processes
    for pid in runs:
        os.kill(pid, signal.SIGKILL)
    done_before = steps_done(client, run_id)
    agents.append(
        AgentProcess(home, server.url, "agent-kill-2", labels=["agent-kill"],
                     env={"AGENT_TEST_DIR": str(work)})
    )  # fmt: skip
    run = wait_until(lambda: finished(client, run_id), 90, "the re-queued run to finish")
    assert run.state == "Success", run.state_message
    assert_all_steps_succeeded(client, run_id, 12)
    history = [s.state for s in client.get_flow_run(run_id).states]
    assert history.count("Running") >= 2, history
    assert done_before >= 2


def test_a_killed_run_process_is_noticed_and_its_run_finishes(home, server, client, agents, work):
    run_id = start_steps(home, server, work, agents, "process-kill", n=10, pause=0.5)
    wait_until(lambda: steps_done(client, run_id) >= 2, 60, "two steps to succeed")
    [pid] = agents[-1].run_processes()
    os.kill(pid, signal.SIGKILL)
    run = wait_until(lambda: finished(client, run_id), 90, "the run to finish")
    assert run.state == "Success", run.state_message
    assert_all_steps_succeeded(client, run_id, 10)
    # The agent noted the crash in the run's logs.
    lines = [line.message for line in client.list_logs(run_id, first=1000).items]
    assert any("SIGKILL" in line for line in lines)
