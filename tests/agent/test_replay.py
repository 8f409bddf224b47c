"""`proctor runs replay`: a run that failed under an agent, replayed on this machine by
the CLI with the run's parameters and persisted results (real server, agent, run
processes and CLI processes)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from tests.agent.processes import FLOWS, AgentProcess, base_env, proctor_json, wait_until

from proctor.client import Client
from proctor.testing import ServerProcess

FINISHED = {"Success", "Failed", "Cancelled"}


def replay(
    *args: str, home: Path, server: ServerProcess, work: Path
) -> subprocess.CompletedProcess[str]:
    """The CLI as a developer runs it, with the flows' results folder (`AGENT_TEST_DIR`)."""
    return subprocess.run(
        [sys.executable, "-m", "proctor", "runs", "replay", *args],
        env={**base_env(home, server.url), "AGENT_TEST_DIR": str(work)},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def failed_run(
    flow: str, home: Path, server: ServerProcess, client: Client, agents: list, work: Path
) -> Any:
    """Register `flow` (its file in tests/agent/flows), run it with n=0 on an agent, and
    wait for it to fail."""
    project = f"p-{uuid.uuid4().hex[:8]}"
    label = f"{flow}-box"
    proctor_json(
        "register", str(FLOWS / f"{flow}.py"), "--project", project, "--label", label,
        home=home, api_url=server.url,
    )  # fmt: skip
    agents.append(
        AgentProcess(
            home, server.url, f"{flow}-agent", labels=[label], env={"AGENT_TEST_DIR": str(work)}
        )
    )
    created = proctor_json(
        "run", flow, "--project", project, "--param", "n=0", home=home, api_url=server.url
    )
    run = wait_until(
        lambda: (found := client.get_flow_run(created["id"])).state in FINISHED and found,
        90,
        f"run of {flow} to finish",
    )
    assert run.state == "Failed", run.state_message
    return run


def test_replay_reproduces_the_failure_with_the_runs_inputs(home, server, client, agents, work):
    run = failed_run("replayable", home, server, client, agents, work)
    assert (work / "load-runs").read_text().count("ran") == 1
    states_before = {(t.task_slug, t.state) for t in client.list_task_runs(run.id).items}
    version_before = client.get_flow_run(run.id).version

    done = replay(run.id, "--json", home=home, server=server, work=work)
    assert done.returncode == 1, done.stderr  # the replay failed, as the run did
    report = json.loads(done.stdout)
    assert report["parameters"] == {"n": 0}
    assert report["state"] == "Failed"
    tasks = {t["slug"]: t for t in report["tasks"]}
    assert tasks["load"]["state"] == "Success" and tasks["load"]["reused"] is True
    assert tasks["share"]["state"] == "Failed"
    assert tasks["share"]["message"] == "ZeroDivisionError: division by zero"
    assert "ZeroDivisionError" in tasks["share"]["traceback"]
    assert "return [value / total for value in values]" in tasks["share"]["traceback"]
    assert tasks["publish"]["state"] == "TriggerFailed"
    # `load` was not run again: its persisted result was read back.
    assert (work / "load-runs").read_text().count("ran") == 1

    # Nothing was written to the server.
    assert client.get_flow_run(run.id).version == version_before
    assert {(t.task_slug, t.state) for t in client.list_task_runs(run.id).items} == states_before

    # The table view says the same, with the traceback.
    shown = replay(run.id, home=home, server=server, work=work)
    assert shown.returncode == 1
    assert "Traceback of share:" in shown.stdout
    assert "ZeroDivisionError: division by zero" in shown.stdout
    assert "(reused)" in shown.stdout


def test_replay_one_task_loads_upstream_results_and_runs_it_here(
    home, server, client, agents, work
):
    run = failed_run("replayable", home, server, client, agents, work)
    done = replay(run.id, "--task", "share", "--json", home=home, server=server, work=work)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    # Its inputs: the run's parameter and `load`'s persisted result.
    assert report["inputs"] == {"values": "[0, 0, 0]", "n": "0"}
    assert report["missing_inputs"] == []
    [only] = report["tasks"]
    assert (only["slug"], only["state"]) == ("share", "Failed")
    assert "ZeroDivisionError" in only["traceback"]
    assert (work / "load-runs").read_text().count("ran") == 1  # upstream not run

    # A task whose inputs are fine runs and returns here.
    (work / "results").mkdir(exist_ok=True)
    loaded = replay(run.id, "--task", "load", "--json", home=home, server=server, work=work)
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)["value"] == "[0, 0, 0]"

    unknown = replay(run.id, "--task", "nope", home=home, server=server, work=work)
    assert unknown.returncode == 2
    assert "has no task 'nope'" in unknown.stderr and "share" in unknown.stderr


def test_replay_of_a_task_whose_upstream_was_not_persisted_says_so(
    home, server, client, agents, work
):
    run = failed_run("unpersisted", home, server, client, agents, work)
    done = replay(run.id, "--task", "share", home=home, server=server, work=work)
    assert done.returncode == 1
    assert "inputs that could not be loaded" in done.stdout
    assert "load's result was not persisted" in " ".join(done.stdout.split())
    as_json = replay(run.id, "--task", "share", "--json", home=home, server=server, work=work)
    report = json.loads(as_json.stdout)
    assert report["state"] == "NotRun"
    [missing] = report["missing_inputs"]
    assert (missing["argument"], missing["upstream"]) == ("values", "load")
    assert "not persisted" in missing["reason"]

    # The whole flow still replays: `load` runs again here (nothing to reuse).
    whole = replay(run.id, "--json", home=home, server=server, work=work)
    tasks = {t["slug"]: t for t in json.loads(whole.stdout)["tasks"]}
    assert tasks["load"]["state"] == "Success" and tasks["load"]["reused"] is False
    assert tasks["share"]["message"] == "ZeroDivisionError: division by zero"
