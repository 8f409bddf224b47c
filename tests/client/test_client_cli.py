"""The server-facing CLI commands: output, --json, exit codes.

They run in this process (CliRunner) against the server app in process: the CLI's own
`Client(PROCTOR_API_URL)` finds it by its URL. The server-down test runs the CLI as a
process against a port nobody listens on.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid

import pytest
from typer.testing import CliRunner

from proctor.cli.main import app
from proctor.client import FlowRunStateChange, LogRecord
from proctor.core.states import Failed, Running

runner = CliRunner()


def cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def seeded(in_process, flow_spec_dict):
    with in_process.client() as client:
        project = client.create_project(f"cli-{uuid.uuid4().hex[:6]}")
        flow = client.register_flow(project.name, flow_spec_dict).flow
        run = client.create_flow_run(flow.id, parameters={"n": 2}, name="brave-run")
        client.set_flow_run_states([FlowRunStateChange(flow_run_id=run.id, state=Running())])
        client.set_flow_run_states([FlowRunStateChange(flow_run_id=run.id, state=Failed("boom"))])
        client.write_logs(
            [
                LogRecord(flow_run_id=run.id, message="starting", level=20),
                LogRecord(flow_run_id=run.id, message="it broke", level=40, task_slug="add"),
            ]
        )
    return {"project": project.name, "flow": flow.id, "run": run.id}


def test_projects(in_process_url, seeded):
    code, out, _ = cli("projects", "create", "made-by-cli", "-d", "from the CLI")
    assert code == 0 and "made-by-cli" in out
    code, _, err = cli("projects", "create", "made-by-cli")
    assert code == 2 and "already exists" in err
    code, out, _ = cli("projects", "ls", "--json")
    assert code == 0
    names = {project["name"] for project in json.loads(out)}
    assert {"made-by-cli", seeded["project"]} <= names
    code, out, _ = cli("projects", "ls")
    assert code == 0 and "made-by-cli" in out


def test_flows(in_process_url, seeded):
    code, out, _ = cli("flows", "ls", "--project", seeded["project"], "--json")
    assert code == 0
    page = json.loads(out)
    assert [flow["name"] for flow in page["items"]] == ["numbers"]
    code, out, _ = cli("flows", "ls")
    assert code == 0 and "numbers" in out
    code, out, _ = cli("flows", "show", seeded["flow"])
    assert code == 0 and "double" in out and "parameters" in out
    assert re.search(r"runs in\s+universal\n", out)  # no run config: any agent
    code, out, _ = cli("flows", "show", seeded["flow"], "--json")
    assert json.loads(out)["id"] == seeded["flow"]
    code, _, err = cli("flows", "show", str(uuid.uuid4()))
    assert code == 2 and "Error" in err
    code, _, err = cli("flows", "show", "not-a-flow")
    assert code == 2 and "no registered flow named 'not-a-flow'" in err


def test_runs(in_process_url, seeded):
    code, out, _ = cli("runs", "ls", "--state", "Failed", "--json")
    assert code == 0
    assert [run["id"] for run in json.loads(out)["items"]] == [seeded["run"]]
    code, out, _ = cli("runs", "ls", "--flow", seeded["flow"])
    assert code == 0 and "brave-run" in out and "Failed" in out
    code, out, _ = cli("runs", "show", seeded["run"])
    assert code == 0 and "boom" in out and "state history" in out
    code, out, _ = cli("runs", "show", seeded["run"], "--json")
    shown = json.loads(out)
    assert [s["state"] for s in shown["flow_run"]["states"]] == ["Scheduled", "Running", "Failed"]
    code, out, _ = cli("runs", "logs", seeded["run"])
    assert code == 0 and "starting" in out and "it broke" in out
    code, out, _ = cli("runs", "logs", seeded["run"], "--level", "ERROR", "--json")
    assert [json.loads(line)["message"] for line in out.splitlines()] == ["it broke"]
    code, out, _ = cli("runs", "logs", "brave-run", "--task", "add")  # by name
    assert code == 0 and "it broke" in out and "starting" not in out
    code, _, err = cli("runs", "logs", seeded["run"], "--level", "LOUD")
    assert code == 2 and "unknown log level" in err


def test_server_down_is_one_clear_line(unused_url):
    result = subprocess.run(
        [sys.executable, "-m", "proctor", "runs", "ls", "--api-url", unused_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PROCTOR_HOME": "/tmp"},
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"cannot reach the Proctor server at {unused_url}" in lines[0]
    assert "proctor server start" in lines[0]


def test_help_of_every_command():
    for command in (
        ["server", "start"],
        ["server", "database", "upgrade"],
        ["server", "database", "downgrade"],
        ["server", "database", "reset"],
        ["projects", "create"],
        ["projects", "ls"],
        ["flows", "ls"],
        ["flows", "show"],
        ["runs", "ls"],
        ["runs", "show"],
        ["runs", "logs"],
    ):
        code, out, _ = cli(*command, "--help")
        assert code == 0 and "Usage" in out, command


def test_database_commands(tmp_path):
    from proctor.server.database.migrate import head_revision

    head = head_revision()
    url = f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}"
    code, out, _ = cli("server", "database", "upgrade", "--database-url", url)
    assert code == 0 and f"revision {head}" in out
    code, out, _ = cli("server", "database", "downgrade", "base", "--database-url", url)
    assert code == 0 and "revision base" in out
    code, _, err = cli("server", "database", "reset", "--database-url", url)
    assert code == 2 and "--yes" in err
    code, out, _ = cli("server", "database", "reset", "--yes", "--database-url", url)
    assert code == 0 and f"revision {head}" in out
    code, _, err = cli("server", "database", "downgrade", "nope", "--database-url", url)
    assert code == 1 and "downgrade failed" in err


@pytest.fixture
def unused_url():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
