"""`proctor runs mark|restart --from|compare` against a real server process, the way a
shell runs them: tables that fit 80 columns, --json, and one clear line for mistakes."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from tests.cli.test_cli_server import cli

from proctor import Flow, Parameter, task
from proctor.client import Client, FlowRunStateChange, TaskRunStateChange
from proctor.core.states import Failed, Running, Success, TriggerFailed
from proctor.testing import ServerProcess


@task
def load(day: str) -> int:
    return len(day)


@task
def check(rows: int) -> bool:
    return rows > 0


@task
def publish(ok: bool) -> str:
    return "done"


@pytest.fixture(scope="module")
def two_runs(server: ServerProcess) -> dict[str, str]:
    """Two finished runs of `daily`: A all Success; B (another day) with `check` Failed
    and `publish` TriggerFailed."""
    with Flow("daily") as flow:
        day = Parameter("day", default="mon", type=str)
        publish(check(load(day)))
    project = f"ops-{uuid.uuid4().hex[:6]}"
    with Client(server.url) as client:
        flow_id = client.register_flow(project, dict(flow.serialize()), create_project=True)
        runs = {}
        for key, day, outcome in (("a", "mon", "good"), ("b", "tue", "bad")):
            run = client.create_flow_run(flow_id.flow.id, parameters={"day": day})
            client.set_flow_run_states([FlowRunStateChange(flow_run_id=run.id, state=Running())])
            states = {
                "load": Success(),
                "check": Success() if outcome == "good" else Failed("ValueError: no rows"),
                "publish": Success() if outcome == "good" else TriggerFailed("upstream"),
            }
            client.set_task_run_states(
                [
                    TaskRunStateChange(flow_run_id=run.id, task_slug=s, state=v)
                    for s, v in states.items()
                ]
            )
            final = Success() if outcome == "good" else Failed("check failed")
            client.set_flow_run_states([FlowRunStateChange(flow_run_id=run.id, state=final)])
            runs[key] = run.id
    return runs


def test_compare_prints_what_differs_within_80_columns(server, server_home: Path, two_runs):
    done = cli(
        "runs", "compare", two_runs["a"], two_runs["b"], home=server_home, api_url=server.url
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    assert lines[0].startswith("A: ") and two_runs["a"] in lines[0]
    assert any("day" in line and '"mon"' in line and '"tue"' in line for line in lines)
    task_lines = [
        line for line in lines if "check" in line or "publish" in line or " load " in line
    ]
    assert any("check" in line and "Failed" in line for line in task_lines)
    assert not any(" load " in line for line in task_lines)  # the same in both: not shown
    assert "2 of 3 tasks differ (1 the same, not shown: --all shows them)" in done.stdout

    every = cli("runs", "compare", two_runs["a"], two_runs["b"], "--all",
                home=server_home, api_url=server.url)  # fmt: skip
    assert "load" in every.stdout and "not shown" not in every.stdout


def test_compare_as_json(server, server_home: Path, two_runs):
    done = cli("runs", "compare", two_runs["a"], two_runs["b"], "--json",
               home=server_home, api_url=server.url)  # fmt: skip
    found = json.loads(done.stdout)
    assert found["differingTasks"] == 2
    tasks = {t["taskSlug"]: t for t in found["tasks"]}
    assert tasks["load"]["differences"] == []
    assert "state" in tasks["check"]["differences"]
    assert [p["name"] for p in found["parameters"] if p["differs"]] == ["day"]


def test_mark_says_what_it_did_and_refuses_mistakes_in_one_line(server, server_home, two_runs):
    run = two_runs["b"]
    marked = cli("runs", "mark", run, "skipped", "--task", "publish", "--reason", "not needed",
                 home=server_home, api_url=server.url)  # fmt: skip
    assert marked.returncode == 0, marked.stderr
    assert marked.stdout.strip() == (
        f"Task run publish of flow run {run} is Skipped: Marked Skipped by hand by the "
        "local user: not needed"
    )
    for args, message in [
        (("Running", "--reason", "x"), "cannot mark a run 'Running': use Success, Failed, "),
        (("Failed", "--task", "ghost", "--reason", "x"), "has no task run ghost"),
        (("Failed", "--task", "bad[", "--reason", "x"), "cannot read task 'bad['"),
        (("Failed", "--reason", "x"), "The run is already Failed."),
    ]:
        done = cli("runs", "mark", run, *args, home=server_home, api_url=server.url)
        assert done.returncode == 2, (args, done.stderr)
        assert message in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr
    missing = cli("runs", "mark", run, "Failed", home=server_home, api_url=server.url)
    assert missing.returncode == 2 and "--reason" in missing.stderr


def test_restart_from_an_unknown_task_names_the_tasks(server, server_home: Path, two_runs):
    done = cli("runs", "restart", two_runs["a"], "--from", "ghost",
               home=server_home, api_url=server.url)  # fmt: skip
    assert done.returncode == 2
    assert "No task ghost in this flow version; its tasks: check, day, load, publish" in done.stderr
    preview = cli("runs", "restart", two_runs["a"], "--from", "check", "--preview",
                  home=server_home, api_url=server.url)  # fmt: skip
    assert preview.returncode == 0, preview.stderr
    # check (chosen), publish (after it), and load: its value was never persisted.
    assert "3 task runs run again, 0 reused." in preview.stdout
    assert "not_persisted" in preview.stdout
    assert all(len(line) <= 80 for line in preview.stdout.splitlines())


@pytest.mark.parametrize("command", ["mark", "restart", "compare"])
def test_every_steering_command_has_help(server_home: Path, command: str):
    done = cli("runs", command, "--help", home=server_home, api_url=None)
    assert done.returncode == 0 and "--json" in done.stdout
