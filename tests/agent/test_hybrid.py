"""The whole loop on loopback: server, agent and run processes, driven through the CLI.

Register, run, watch, cancel, restart, schedules, Dask, and a 10,000-child map whose every
task run must reach the API with its final state.
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections import Counter
from datetime import UTC, datetime

import pytest
from tests.agent.processes import (
    EXAMPLES,
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


def project_name() -> str:
    return f"p-{uuid.uuid4().hex[:8]}"


def register(path, project, home, server, *labels: str) -> list[dict]:
    extra = [arg for label in labels for arg in ("--label", label)]
    return proctor_json(
        "register", str(path), "--project", project, *extra, home=home, api_url=server.url
    )


def finished_run(client: Client, run_id: str, timeout: float = 60):
    return wait_until(
        lambda: (run := client.get_flow_run(run_id)).state in FINISHED and run,
        timeout,
        f"flow run {run_id} to finish",
    )


def test_registered_example_runs_to_success_with_task_runs_and_logs(home, server, client, agents):
    project = project_name()
    [registered] = register(EXAMPLES / "etl.py", project, home, server, "etl-box")
    assert registered["status"] == "new"
    assert registered["flow"]["storage"] == {"type": "local", "path": str(EXAMPLES / "etl.py")}
    again = register(EXAMPLES / "etl.py", project, home, server, "etl-box")
    assert again[0]["status"] == "unchanged"

    agents.append(AgentProcess(home, server.url, "etl-agent", labels=["etl-box", "other"]))
    done = proctor(
        "run", "etl", "--project", project, "--param", "pages=3", "--watch", "--json",
        home=home, api_url=server.url,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    run_id = json.loads(done.stdout)["id"]
    run = client.get_flow_run(run_id)
    assert run.state == "Success"
    assert [s.state for s in run.states][:3] == ["Scheduled", "Submitted", "Running"]
    task_runs = all_task_runs(client, run_id)
    states = {(t.task_slug, t.map_index): t.state for t in task_runs}
    # 3 pages: extract and transform are mapped 3 ways; the first extract attempt of each
    # page fails and is retried in the process.
    assert states[("extract", -1)] == "Mapped"
    assert all(states[("extract", i)] == "Success" for i in range(3))
    assert all(states[("transform", i)] == "Success" for i in range(3))
    assert states[("load", -1)] == "Success"
    assert all(t.state not in {"Running", "Pending", "Submitted"} for t in task_runs)
    assert max(t.run_count for t in task_runs if t.task_slug == "extract") == 2
    lines = [entry.message for entry in client.list_logs(run_id, first=1000).items]
    assert any("loaded 12 rows" in line for line in lines)
    assert any("will retry" in line for line in lines)

    listed = proctor_json("agents", "ls", home=home, api_url=server.url)
    assert "etl-agent" in {agent["name"] for agent in listed}


def test_a_failed_run_restarts_reusing_persisted_results(home, server, client, agents, work):
    project = project_name()
    register(FLOWS / "restartable.py", project, home, server, "restart-box")
    agents.append(
        AgentProcess(
            home, server.url, "restart-agent", labels=["restart-box"],
            env={"AGENT_TEST_DIR": str(work)},
        )
    )  # fmt: skip
    created = proctor_json("run", "restartable", "--project", project, home=home,
                           api_url=server.url)  # fmt: skip
    run = finished_run(client, created["id"])
    assert run.state == "Failed"
    (work / "fixed").touch()
    restarted = proctor_json("runs", "restart", run.id, home=home, api_url=server.url)
    assert restarted["state"] in {"Scheduled", "Submitted", "Running", "Success"}
    run = finished_run(client, run.id)
    assert run.state == "Success", run.state_message
    # `expensive` succeeded the first time and its result was read back, not recomputed.
    assert (work / "expensive-runs").read_text().count("ran") == 1
    states = {t.task_slug: t.state for t in all_task_runs(client, run.id)}
    assert states == {"expensive": "Success", "fragile": "Success", "report": "Success"}


def test_cancelling_a_running_flow_stops_its_tasks(home, server, client, agents):
    project = project_name()
    register(FLOWS / "sleepy.py", project, home, server, "sleepy-box")
    agents.append(AgentProcess(home, server.url, "sleepy-agent", labels=["sleepy-box"]))
    created = proctor_json("run", "sleepy", "--project", project, home=home, api_url=server.url)
    wait_until(
        lambda: any(
            t.task_slug == "nap" and t.state == "Running"
            for t in all_task_runs(client, created["id"])
        ),
        60,
        "the nap task to run",
    )
    cancelled = proctor_json("runs", "cancel", created["id"], home=home, api_url=server.url)
    assert cancelled["state"] in {"Cancelling", "Cancelled"}
    # Seen within a second, the task ignores it, the process leaves after a 2 s grace. The
    # nap would take 120 s: a run that waited for it would pass this generous deadline,
    # and its nap would end Success, not Cancelled.
    run = finished_run(client, created["id"], timeout=90)
    assert run.state == "Cancelled"
    states = {t.task_slug: t.state for t in all_task_runs(client, created["id"])}
    assert states["start"] == "Success"
    assert states["nap"] == "Cancelled"
    assert states.get("after", "Cancelled") == "Cancelled"


CLAIM_WAIT = 25  # the server caps a claim's wait at 30 s (max_claim_wait_seconds)


def test_an_interval_schedule_of_two_seconds_runs_on_time(home, server, client, agents):
    project = project_name()
    [registered] = register(FLOWS / "every_two_seconds.py", project, home, server, "tick-box")
    # A long claim wait: a run that started well before one wait is over was handed to the
    # waiting claim when it became due (the server woke it), not found by the next poll.
    agents.append(
        AgentProcess(
            home, server.url, "tick-agent", labels=["tick-box"],
            settings={"PROCTOR_AGENT_CLAIM_WAIT_SECONDS": str(CLAIM_WAIT)},
        )
    )  # fmt: skip
    wait_until(
        lambda: "tick-agent" in agents[-1].output() and "waiting" in agents[-1].output(),
        30,
        "the agent to be ready",
    )
    flow_id = registered["flow"]["id"]
    proctor_json("flows", "schedule", "on", "every_two_seconds", "--project", project,
                 home=home, api_url=server.url)  # fmt: skip

    def succeeded():
        runs = client.list_flow_runs(flow_id=flow_id, states=["Success"], first=50).items
        return runs if len(runs) >= 3 else None

    runs = wait_until(succeeded, 90, "three scheduled runs to succeed")
    proctor_json("flows", "schedule", "off", "every_two_seconds", "--project", project,
                 home=home, api_url=server.url)  # fmt: skip
    delays = []
    for run in runs:
        assert run.scheduled_start_time is not None and run.start_time is not None
        # Due at its scheduled time, or when the scheduler created it if that was later.
        due = max(run.scheduled_start_time, run.created or run.scheduled_start_time)
        delays.append((run.start_time - due).total_seconds())
    # Never before it was due, and woken when due rather than at the end of the agent's
    # claim wait. (How soon exactly is measured by benchmarks/backend.py latency.)
    assert all(0 <= delay < CLAIM_WAIT for delay in delays), delays
    starts = sorted(run.scheduled_start_time for run in runs)
    gaps = {round((b - a).total_seconds()) for a, b in itertools.pairwise(starts)}
    assert gaps <= {2, 4, 6}


def test_map_1000_on_dask(home, server, client, agents):
    project = project_name()
    register(FLOWS / "dask_mapped.py", project, home, server, "dask-box")
    agents.append(AgentProcess(home, server.url, "dask-agent", labels=["dask-box"]))
    created = proctor_json("run", "dask-mapped", "--project", project, "--param", "n=1000",
                           home=home, api_url=server.url)  # fmt: skip
    run = finished_run(client, created["id"], timeout=120)
    assert run.state == "Success", run.state_message
    task_runs = all_task_runs(client, run.id)
    squares = [t for t in task_runs if t.task_slug == "square" and t.map_index >= 0]
    assert len(squares) == 1000
    assert {t.state for t in squares} == {"Success"}


def test_map_10000_reports_every_task_run(home, server, client, agents):
    project = project_name()
    register(FLOWS / "mapped.py", project, home, server, "big-box")
    agents.append(AgentProcess(home, server.url, "big-agent", labels=["big-box"]))
    created = proctor_json("run", "mapped", "--project", project, "--param", "n=10000",
                           home=home, api_url=server.url)  # fmt: skip
    run = finished_run(client, created["id"], timeout=120)
    assert run.state == "Success", run.state_message
    task_runs = all_task_runs(client, run.id)
    # numbers, n (the parameter), total, the mapped node itself, and its 10,000 children.
    assert len(task_runs) == 10_004
    unfinished = Counter(t.state for t in task_runs if t.state not in {"Success", "Mapped"})
    assert not unfinished, unfinished
    children = sorted(t.map_index for t in task_runs if t.task_slug == "double")
    assert children == [-1, *range(10_000)]


def test_run_flow_starts_a_child_run_and_returns_its_outcome(
    home, server, client, agents, monkeypatch
):
    from proctor import Flow
    from proctor.agent import run_flow

    project = project_name()
    register(FLOWS / "simple.py", project, home, server, "child-box")
    agents.append(AgentProcess(home, server.url, "child-agent", labels=["child-box"]))
    with Flow("parent") as parent:
        child = run_flow(name="hello", project=project, parameters={"who": "child"})
    monkeypatch.setenv("PROCTOR_API_URL", server.url)
    state = parent.run()
    assert state.is_successful(), state.result[child].message
    outcome = state.result[child].result
    assert outcome["state"] == "Success"
    assert client.get_flow_run(outcome["flow_run_id"]).state == "Success"
    assert datetime.now(UTC) >= client.get_flow_run(outcome["flow_run_id"]).end_time


@pytest.mark.parametrize(
    ("flow_name", "requeued_as"),
    [("task_retry_later", "Scheduled"), ("flow_retry_later", "Retrying")],
)
def test_a_retry_due_later_requeues_the_run(
    home, server, client, agents, work, flow_name, requeued_as
):
    project = project_name()
    register(FLOWS / "later.py", project, home, server, f"later-{flow_name}")
    agents.append(
        AgentProcess(
            home, server.url, f"later-{flow_name}", labels=[f"later-{flow_name}"],
            env={"AGENT_TEST_DIR": str(work), "PROCTOR_FLOW_RUN_MAX_RETRY_WAIT_SECONDS": "1"},
        )
    )  # fmt: skip
    created = proctor_json("run", flow_name, "--project", project, home=home,
                           api_url=server.url)  # fmt: skip
    run = finished_run(client, created["id"], timeout=60)
    assert run.state == "Success", run.state_message
    history = [state.state for state in run.states]
    # Two processes: the first ended re-queued for the retry time, the second finished.
    assert history.count("Running") == 2, history
    assert requeued_as in history[history.index("Running") :]
    assert (work / "steady-runs").read_text().count("ran") == 1  # reused, not rerun
    retried = {t.task_slug: t for t in all_task_runs(client, run.id)}
    assert {t.state for t in retried.values()} == {"Success"}


def test_mistakes_get_one_line_saying_what_to_do(home, server, client, agents, tmp_path):
    project = project_name()
    moved = tmp_path / "moved.py"
    moved.write_text((FLOWS / "simple.py").read_text())
    register(moved, project, home, server, "moved-box")

    done = proctor("run", "no-such-flow", "--project", project, home=home, api_url=server.url)
    assert done.returncode == 2 and "proctor register FILE" in done.stderr
    done = proctor("run", "hello", "--project", project, "--param", "whom=x",
                   home=home, api_url=server.url)  # fmt: skip
    assert done.returncode == 2 and "no parameter 'whom'" in done.stderr
    done = proctor("runs", "cancel", "00000000-0000-4000-8000-000000000000",
                   home=home, api_url=server.url)  # fmt: skip
    assert done.returncode == 2

    # The flow file moved after registration: the run fails saying what to do.
    moved.unlink()
    agents.append(AgentProcess(home, server.url, "moved-agent", labels=["moved-box"]))
    done = proctor("run", "hello", "--project", project, "--watch",
                   home=home, api_url=server.url)  # fmt: skip
    assert done.returncode == 1
    assert "ended Failed" in done.stderr
    [run] = client.list_flow_runs(project=project, first=1).items
    assert "does not exist on this machine" in (run.state_message or "")
    assert str(moved) in (run.state_message or "")


def test_a_stopped_agent_requeues_the_flows_still_running_after_its_grace(
    home, server, client, agents
):
    project = project_name()
    register(FLOWS / "sleepy.py", project, home, server, "grace-box")
    agent = AgentProcess(home, server.url, "grace-agent", labels=["grace-box"])
    agents.append(agent)
    created = proctor_json("run", "sleepy", "--project", project, home=home, api_url=server.url)
    wait_until(
        lambda: any(
            t.task_slug == "nap" and t.state == "Running"
            for t in all_task_runs(client, created["id"])
        ),
        60,
        "the nap task to run",
    )
    assert agent.stop() == 0  # SIGTERM: 5 s of grace (the test setting), then the runs stop
    run = client.get_flow_run(created["id"])
    assert run.state == "Scheduled", run.state
    assert "Re-queued" in (run.state_message or "")
    states = {t.task_slug: t.state for t in all_task_runs(client, created["id"])}
    assert states["start"] == "Success"
    assert states["nap"] == "Pending"  # interrupted: it runs again when the run is taken up
    assert "Stopping (SIGTERM)" in agent.output()
    client.cancel_flow_run(run.id)
