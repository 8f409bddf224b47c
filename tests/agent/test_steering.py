"""Steering runs by hand with a real server, agent and run processes, through the CLI:
a restart from a chosen task runs it and what follows it, and nothing upstream (counted
by the tasks themselves); a task run marked Failed runs again on restart; a running run
marked Failed by hand stops its process, which cannot overwrite the mark."""

from __future__ import annotations

import uuid

import pytest
from tests.agent.processes import (
    FLOWS,
    AgentProcess,
    all_task_runs,
    proctor,
    proctor_json,
    wait_until,
)

from proctor.client import Client

pytestmark = pytest.mark.slow

FINISHED = {"Success", "Failed", "Cancelled"}
ATTEMPTS = "query($id: ID!) { taskRun(id: $id) { attempts { state } } }"


def finished(client: Client, run_id: str, timeout: float = 90):
    return wait_until(
        lambda: (run := client.get_flow_run(run_id)).state in FINISHED and run,
        timeout,
        f"flow run {run_id} to finish",
    )


def runs_of(work, name: str) -> int:
    path = work / f"{name}-runs"
    return path.read_text().count("ran") if path.exists() else 0


def test_restart_from_a_task_reruns_it_and_downstream_only(home, server, client, agents, work):
    project = f"p-{uuid.uuid4().hex[:8]}"
    cli = {"home": home, "api_url": server.url}
    proctor_json("register", str(FLOWS / "steerable.py"), "--project", project,
                 "--label", "steer-box", **cli)  # fmt: skip
    agents.append(AgentProcess(home, server.url, "steer-agent", labels=["steer-box"],
                               env={"AGENT_TEST_DIR": str(work)}))  # fmt: skip
    created = proctor_json("run", "steerable", "--project", project, **cli)
    assert finished(client, created["id"]).state == "Success"
    names = ("first", "middle", "side", "last")
    assert [runs_of(work, n) for n in names] == [1, 1, 1, 1]

    preview = proctor_json("runs", "restart", created["id"], "--from", "middle", "--preview", **cli)
    assert {(g["taskSlug"], g["reason"]) for g in preview["rerun"]} == {
        ("middle", "chosen"),
        ("last", "downstream"),
    }
    assert (preview["rerunCount"], preview["reusedCount"]) == (2, 2)

    restarted = proctor_json("runs", "restart", created["id"], "--from", "middle", **cli)
    assert restarted["stateMessage"] == "Restarted from middle."
    assert finished(client, created["id"]).state == "Success"
    # The tasks' own counts: middle and last ran twice, first and side once (read back).
    assert [runs_of(work, n) for n in names] == [1, 2, 1, 2]
    by_slug = {t.task_slug: t for t in all_task_runs(client, created["id"])}
    attempts = {
        slug: len(client.query(ATTEMPTS, {"id": str(by_slug[slug].id)})["taskRun"]["attempts"])
        for slug in names
    }
    assert attempts == {"first": 1, "middle": 2, "side": 1, "last": 2}

    # A task run marked Failed by hand in the finished run runs again on a plain restart.
    marked = proctor_json("runs", "mark", created["id"], "failed", "--task", "side",
                          "--reason", "the side output was wrong", **cli)  # fmt: skip
    assert marked["state"] == "Failed"
    assert marked["stateMessage"].endswith(": the side output was wrong")
    proctor_json("runs", "restart", created["id"], **cli)
    assert finished(client, created["id"]).state == "Success"
    assert [runs_of(work, n) for n in names] == [1, 2, 2, 2]


def test_a_running_run_marked_failed_by_hand_stops_and_stays_failed(home, server, client, agents):
    project = f"p-{uuid.uuid4().hex[:8]}"
    cli = {"home": home, "api_url": server.url}
    proctor_json("register", str(FLOWS / "sleepy.py"), "--project", project,
                 "--label", "mark-box", **cli)  # fmt: skip
    agent = AgentProcess(home, server.url, "mark-agent", labels=["mark-box"])
    agents.append(agent)
    created = proctor_json("run", "sleepy", "--project", project, **cli)
    wait_until(
        lambda: any(t.task_slug == "nap" and t.state == "Running"
                    for t in all_task_runs(client, created["id"])),
        60,
        "the nap task to run",
    )  # fmt: skip
    wait_until(agent.run_processes, 30, "the run process to be seen")

    refused = proctor("runs", "mark", created["id"], "Failed", "--task", "nap",
                      "--reason", "too early", **cli)  # fmt: skip
    assert refused.returncode == 2
    assert "its process sets its task runs' states" in refused.stderr

    marked = proctor_json("runs", "mark", created["id"], "Failed",
                          "--reason", "the upstream data was bad", **cli)  # fmt: skip
    assert marked["state"] == "Failed"
    # The nap task sleeps 120 s and never checks: the process leaves after its grace
    # (2 s here) because it saw its run finished by someone else.
    wait_until(lambda: not agent.run_processes(), 60, "the run process to stop")
    run = client.get_flow_run(created["id"])
    assert run.state == "Failed"
    assert run.state_message == (
        "Marked Failed by hand by the local user: the upstream data was bad"
    )
    states = {t.task_slug: t.state for t in all_task_runs(client, created["id"])}
    assert states["start"] == "Success"
    assert states["nap"] == "Cancelled"
    assert states.get("after", "Cancelled") == "Cancelled"  # never started
    logs = client.list_logs(created["id"], search="marked by hand", first=10)
    assert [entry.level for entry in logs.items] == [30]  # one WARNING from the process


def test_a_running_run_marked_cancelled_by_hand_is_stopped_by_its_process(
    home, server, client, agents
):
    project = f"p-{uuid.uuid4().hex[:8]}"
    cli = {"home": home, "api_url": server.url}
    proctor_json("register", str(FLOWS / "sleepy.py"), "--project", project,
                 "--label", "mark-cancel-box", **cli)  # fmt: skip
    agents.append(AgentProcess(home, server.url, "mark-cancel-agent", labels=["mark-cancel-box"]))
    created = proctor_json("run", "sleepy", "--project", project, **cli)
    wait_until(
        lambda: any(t.task_slug == "nap" and t.state == "Running"
                    for t in all_task_runs(client, created["id"])),
        60,
        "the nap task to run",
    )  # fmt: skip
    marked = proctor_json("runs", "mark", created["id"], "Cancelled",
                          "--reason", "wrong day", **cli)  # fmt: skip
    # Asked to stop, like a cancel: the process ends it Cancelled.
    assert marked["state"] == "Cancelling"
    run = finished(client, created["id"], timeout=60)
    assert run.state == "Cancelled"
    history = [(s.state, s.message) for s in client.get_flow_run(created["id"]).states]
    assert ("Cancelling", "Marked Cancelled by hand by the local user: wrong day") in history
    states = {t.task_slug: t.state for t in all_task_runs(client, created["id"])}
    assert states["nap"] == "Cancelled"
    assert states.get("after", "Cancelled") == "Cancelled"
