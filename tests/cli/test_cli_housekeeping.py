"""`proctor flows delete|archive|unarchive`, `proctor projects delete` and `proctor
activity [--follow]` against a real server process, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import pytest
from tests.cli.test_cli_server import cli
from tests.server.housekeeping.conftest import flow_spec

from proctor.client import Client, FlowRunStateChange
from proctor.core.states import Running, Success
from proctor.testing import ServerProcess


@pytest.fixture
def client(server: ServerProcess) -> Iterator[Client]:
    with Client(server.url) as api:
        yield api


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def seeded(client: Client, runs: int = 2) -> tuple[str, str, list[str]]:
    """A project with a flow of two versions, `runs` finished runs on version 1."""
    project = client.create_project(unique("cli-hk")).name
    name = unique("cli-flow")
    v1 = client.register_flow(project, flow_spec(name, 1), archive_previous=False).flow
    client.register_flow(project, flow_spec(name, 2), archive_previous=False)
    ids = []
    for _ in range(runs):
        run = client.create_flow_run(v1.id)
        client.set_flow_run_states([FlowRunStateChange(flow_run_id=run.id, state=Running())])
        client.set_flow_run_states([FlowRunStateChange(flow_run_id=run.id, state=Success())])
        ids.append(run.id)
    return project, name, ids


def test_flows_delete_shows_counts_asks_and_deletes(server, server_home, client):
    project, name, _ = seeded(client, runs=2)
    dry = cli("flows", "delete", name, "--dry-run", home=server_home, api_url=server.url)
    assert dry.returncode == 0, dry.stderr
    assert f"Deleting flow {name!r} (2 version(s)) and its 2 run(s)." in dry.stderr
    assert len(client.list_flows(name=name, include_archived=True).items) == 2

    # No terminal to ask on and no --yes: nothing is deleted.
    refused = cli("flows", "delete", name, home=server_home, api_url=server.url)
    assert refused.returncode == 2
    assert "pass --yes" in refused.stderr

    one = cli("flows", "delete", name, "--version", "1", "--yes", "--json",
              home=server_home, api_url=server.url)  # fmt: skip
    assert one.returncode == 0, one.stderr
    deleted = json.loads(one.stdout)
    assert (deleted["deleted"], deleted["kind"], deleted["version"], deleted["runs"]) == (
        True, "version", 1, 2,
    )  # fmt: skip
    assert [f.version for f in client.list_flows(name=name, include_archived=True).items] == [2]

    missing = cli("flows", "delete", name, "--version", "7", "--yes",
                  home=server_home, api_url=server.url)  # fmt: skip
    assert missing.returncode == 2 and "has no version 7 (versions: 2)" in missing.stderr

    rest = cli("flows", "delete", f"{project}/{name}", "--yes", home=server_home,
               api_url=server.url)  # fmt: skip
    assert rest.returncode == 0, rest.stderr
    assert f"Deleted flow {name!r} (1 version(s)) and its 0 run(s)." in rest.stdout
    assert client.list_flows(name=name, include_archived=True).items == []


def test_flows_delete_refuses_runs_in_progress_without_force(server, server_home, client):
    _, name, _ = seeded(client, runs=0)
    flow = client.list_flows(name=name).items[0]
    run = client.create_flow_run(flow.id)
    client.set_flow_run_states([FlowRunStateChange(flow_run_id=run.id, state=Running())])
    refused = cli("flows", "delete", name, "--yes", home=server_home, api_url=server.url)
    assert refused.returncode == 2
    assert "1 of them in progress" in refused.stderr and "--force" in refused.stderr
    assert client.get_flow_run(run.id).state == "Running"
    forced = cli("flows", "delete", name, "--yes", "--force", home=server_home,
                 api_url=server.url)  # fmt: skip
    assert forced.returncode == 0, forced.stderr


def test_archive_unarchive_and_project_delete(server, server_home, client):
    project, name, ids = seeded(client, runs=1)
    archived = cli("flows", "archive", name, home=server_home, api_url=server.url)
    assert archived.returncode == 0, archived.stderr
    assert "its runs are kept" in archived.stdout
    listed = cli("flows", "ls", "--project", project, "--json", home=server_home,
                 api_url=server.url)  # fmt: skip
    assert json.loads(listed.stdout)["items"] == []
    assert client.get_flow_run(ids[0]).state == "Success"

    back = cli("flows", "unarchive", name, "--json", home=server_home, api_url=server.url)
    assert back.returncode == 0, back.stderr
    assert json.loads(back.stdout)["name"] == name
    assert [f.version for f in client.list_flows(name=name).items] == [2]

    gone = cli("projects", "delete", project, "--yes", home=server_home, api_url=server.url)
    assert gone.returncode == 0, gone.stderr
    assert f"Deleted project {project!r} (1 flow(s), 2 version(s)) and its 1 run(s)." in (
        gone.stdout
    )
    assert project not in {p.name for p in client.list_projects()}


def test_activity_lists_filters_and_follows(server, server_home, client):
    _, name, _ = seeded(client, runs=1)
    shown = cli("activity", "--flow", name, home=server_home, api_url=server.url)
    assert shown.returncode == 0, shown.stderr
    assert all(len(line) <= 80 for line in shown.stdout.splitlines()), shown.stdout
    words = shown.stdout.split()  # the message column folds at word boundaries
    assert words[6:8] == ["flow_run.state", name] and "Success" in words
    as_json = cli("activity", "--flow", name, "--kind", "flow", "--json",
                  home=server_home, api_url=server.url)  # fmt: skip
    kinds = [event["kind"] for event in json.loads(as_json.stdout)]
    assert kinds == ["flow.registered", "flow.registered"]
    bad = cli("activity", "--kind", "nonsense", home=server_home, api_url=server.url)
    assert bad.returncode == 2 and "Unknown activity kind 'nonsense'" in bad.stderr

    env = {key: value for key, value in os.environ.items() if not key.startswith("PROCTOR_")}
    env.update({"PROCTOR_HOME": str(server_home), "PROCTOR_API_URL": server.url})
    follower = subprocess.Popen(
        [sys.executable, "-m", "proctor", "activity", "--follow", "--json", "--flow", name,
         "--kind", "flow_run", "--limit", "1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert follower.stdout is not None
        first = json.loads(follower.stdout.readline())  # the newest event, listed at once
        assert first["kind"] == "flow_run.state"
        flow = client.list_flows(name=name).items[0]
        # The subscription may not be registered yet: create runs until one shows up.
        created: list[str] = []
        deadline = time.monotonic() + 120
        seen = None
        while seen is None and time.monotonic() < deadline:
            created.append(client.create_flow_run(flow.id).id)
            line = _line_within(follower, 5.0)
            if line:
                seen = json.loads(line)
        assert seen is not None, follower.stderr.read() if follower.stderr else ""
        assert seen["kind"] == "flow_run.created" and seen["flowRunId"] in created
        assert seen["flowName"] == name
    finally:
        follower.terminate()
        follower.communicate(timeout=30)  # waits, and closes the pipes


def _line_within(process: subprocess.Popen[str], seconds: float) -> str | None:
    import selectors

    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if selector.select(timeout=seconds):
            return process.stdout.readline()
    return None
