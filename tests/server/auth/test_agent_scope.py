"""The `agent` role reaches only the runs its key claimed, on a real auth-mode server on
both databases: a real agent (a service account's key saved by `proctor login`) runs a
flow to the end, reading and reporting as before; another agent's key is refused
(FORBIDDEN, naming the run) when it reads that run, its context, task runs or flow by id,
or writes log lines or states into it; the claimer's own key cannot reopen its finished
run, and may add log lines to it only for a while after it finished."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.agent.processes import FAST_RUNS, FAST_SERVER, FLOWS, AgentProcess, wait_until
from tests.server.auth.live_server import (
    CHEAP_ARGON2_ENV,
    OWNER,
    OWNER_PASSWORD,
    auth_server,
    sync_client_from,
)

from proctor.client import Client
from proctor.server.auth.agent_scope import FINISHED_LOG_GRACE
from proctor.server.database import Database
from proctor.server.database.models import FlowRun
from proctor.testing import ServerProcess

pytestmark = pytest.mark.slow

LABEL = "scope-box"
RUN = "query($id: ID!) { flowRun(id: $id) { id state } }"
CONTEXT = "query($id: ID!) { flowRunContext(id: $id) { flowRun { id } } }"
CONFIGS = "query($ids: [ID!]!) { flowRunConfigs(ids: $ids) { flowRunId } }"
TASK_RUNS = "query($id: ID!) { taskRuns(flowRunId: $id) { nodes { id taskSlug } } }"
TASK_RUN = "query($id: ID!) { taskRun(id: $id) { id } }"
FLOW = "query($id: ID!) { flow(id: $id) { id storage } }"
WRITE_LOGS = "mutation($logs: [JSON!]!) { writeLogs(logs: $logs) { count } }"
WRITE_ARTIFACTS = "mutation($a: [JSON!]!) { writeArtifacts(artifacts: $a) { count } }"
FLOW_STATES = "mutation($c: [JSON!]!) { setFlowRunStates(changes: $c) { accepted code } }"
TASK_STATES = "mutation($c: [JSON!]!) { setTaskRunStates(changes: $c) { accepted code } }"
REGISTER_AGENT = (
    'mutation($name: String!) { registerAgent(name: $name, labels: ["elsewhere"]) { id } }'
)
CLAIM = (
    "mutation($agent: ID!) { claimFlowRuns(agentId: $agent, labels: "
    '["elsewhere"], limit: 1) { id } }'
)


class Api:
    """GraphQL over HTTP with one API key."""

    def __init__(self, url: str, key: str) -> None:
        self.url, self.key = url, key

    def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = httpx.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"authorization": f"Bearer {self.key}"},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self.post(query, variables)
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    def forbidden(self, query: str, variables: dict[str, Any] | None = None) -> str:
        """The message of the one FORBIDDEN error the request must get."""
        body = self.post(query, variables)
        errors = body.get("errors") or []
        assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"], body
        return str(errors[0]["message"])


def _cli(*args: str, home: Path, stdin: str = "", env: dict[str, str] | None = None) -> Any:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PROCTOR_")}
    clean.update({"PROCTOR_HOME": str(home), **CHEAP_ARGON2_ENV, **FAST_RUNS, **(env or {})})
    done = subprocess.run(
        [sys.executable, "-m", "proctor", *args],
        input=stdin, capture_output=True, text=True, env=clean, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    with auth_server(database_url, tmp_path / "server-home", FAST_SERVER) as started:
        yield started


def _keys(url: str) -> dict[str, str]:
    """The owner's key and two agent service accounts, made in a browser session."""
    with sync_client_from(url) as browser:
        login = browser.post("/auth/login", json={"email": OWNER, "password": OWNER_PASSWORD})
        assert login.status_code == 200, login.text
        response = browser.post(
            "/graphql",
            json={
                "query": 'mutation { owner: createApiKey(name: "owner") { key } '
                'a: createServiceAccount(name: "agents-a") { key } '
                'b: createServiceAccount(name: "agents-b") { key } }'
            },
            headers={"x-csrf-token": login.json()["csrfToken"]},
        )
    body = response.json()
    assert not body.get("errors"), body
    return {name: made["key"] for name, made in body["data"].items()}


def _log(run_id: str, message: str) -> dict[str, Any]:
    return {"flowRunId": run_id, "message": message, "level": 20}


async def _finished_long_ago(database_url: str, run_id: str) -> None:
    """Move the run's end back past the grace: the time an agent would have waited."""
    database = Database(database_url, listen=False)
    await database.connect()
    try:
        async with database.transaction() as session:
            row = await session.get(FlowRun, uuid.UUID(run_id))
            assert row is not None and row.state_type == "Success"
            row.state_timestamp -= FINISHED_LOG_GRACE + timedelta(minutes=1)
    finally:
        await database.dispose()


def test_an_agent_key_reaches_only_the_runs_it_claimed(
    server: ServerProcess, database_url: str, tmp_path: Path
):
    url = server.url
    keys = _keys(url)
    owner, agent_a, agent_b = Api(url, keys["owner"]), Api(url, keys["a"]), Api(url, keys["b"])
    registered = _cli(
        "register", str(FLOWS / "simple.py"), "--project", "scope", "--label", LABEL, "--json",
        home=tmp_path / "owner-home",
        env={"PROCTOR_API_URL": url, "PROCTOR_API_KEY": keys["owner"]},
    )  # fmt: skip
    flow_id = json.loads(registered.stdout)[0]["flow"]["id"]

    # A real agent with key A runs a flow to the end: reading its run and reporting
    # states and logs with its key works as it did.
    home_a = tmp_path / "agent-a"
    _cli("login", "--key", "-", "--api-url", url, home=home_a, stdin=keys["a"] + "\n")
    with Client(url, api_key=keys["owner"]) as admin:
        ran = admin.create_flow_run(flow_id=flow_id, parameters={"who": "scope"})
        waiting = admin.create_flow_run(flow_id=flow_id, labels=["elsewhere"])
        agent = AgentProcess(home_a, url, "agent-a", labels=[LABEL])
        try:
            final = wait_until(
                lambda: (r := admin.get_flow_run(ran.id)).state in {"Success", "Failed"} and r,
                120,
                "the run to finish",
            )
        finally:
            agent.stop()
        assert final.state == "Success", agent.output()
        assert "hello, scope" in [line.message for line in admin.list_logs(ran.id).items]
        logs_before = admin.list_logs(ran.id, first=1000).items
        task_run_id = admin.list_task_runs(ran.id).items[0].id
    assert "refused" not in agent.output() and "FORBIDDEN" not in agent.output()

    # Another agent's key: the run, its context, task runs and flow are not its own.
    for query, variables in (
        (RUN, {"id": ran.id}),
        (CONTEXT, {"id": ran.id}),
        (CONFIGS, {"ids": [ran.id]}),
        (TASK_RUNS, {"id": ran.id}),
        (TASK_RUN, {"id": task_run_id}),
    ):
        message = agent_b.forbidden(query, variables)
        assert f"flow run {ran.id} was not claimed with this key" in message, message
    assert "claimed no run of flow" in agent_b.forbidden(FLOW, {"id": flow_id})
    # ...nor its to write into, finished or not.
    assert "not claimed" in agent_b.forbidden(WRITE_LOGS, {"logs": [_log(ran.id, "forged")]})
    failed = {"flowRunId": ran.id, "state": {"type": "Failed", "message": "forged"}}
    assert "not claimed" in agent_b.forbidden(FLOW_STATES, {"c": [failed]})
    assert "not claimed" in agent_b.forbidden(WRITE_LOGS, {"logs": [_log(waiting.id, "x")]})
    forged = {"flowRunId": ran.id, "id": str(uuid.uuid4()), "type": "markdown",
              "data": {"markdown": "forged"}}  # fmt: skip
    assert "not claimed" in agent_b.forbidden(WRITE_ARTIFACTS, {"a": [forged]})
    own = {**forged, "data": {"markdown": "mine"}}
    assert agent_a.data(WRITE_ARTIFACTS, {"a": [own]})["writeArtifacts"]["count"] == 1

    # The claimer reads its run and the flow it ran; not the run it never claimed.
    assert agent_a.data(RUN, {"id": ran.id})["flowRun"]["state"] == "Success"
    [config] = agent_a.data(CONFIGS, {"ids": [ran.id]})["flowRunConfigs"]
    assert config["flowRunId"] == ran.id
    assert agent_a.data(FLOW, {"id": flow_id})["flow"]["id"] == flow_id
    assert agent_a.data(TASK_RUN, {"id": task_run_id})["taskRun"]["id"] == task_run_id
    assert "not claimed" in agent_a.forbidden(RUN, {"id": waiting.id})
    # Its finished run stays finished: no reopening, no new task runs.
    reopen = {
        "flowRunId": ran.id, "taskSlug": "greet", "mapIndex": -1, "force": True,
        "state": {"type": "Pending", "message": "again"},
    }  # fmt: skip
    assert "has finished (Success)" in agent_a.forbidden(TASK_STATES, {"c": [reopen]})
    # Its last log lines are taken for a while after the end, then no more.
    late = agent_a.data(WRITE_LOGS, {"logs": [_log(ran.id, "a last line")]})
    assert late["writeLogs"]["count"] == 1
    asyncio.run(_finished_long_ago(database_url, ran.id))
    refused = agent_a.forbidden(WRITE_LOGS, {"logs": [_log(ran.id, "much later")]})
    assert "has finished (Success)" in refused and "add log lines" in refused

    with Client(url, api_key=keys["owner"]) as admin:
        messages = [line.message for line in admin.list_logs(ran.id, first=1000).items]
    assert len(messages) == len(logs_before) + 1 and "a last line" in messages
    assert not {"forged", "much later"} & set(messages)
    # People's keys are not limited by any of this.
    assert owner.data(RUN, {"id": waiting.id})["flowRun"]["state"] == "Scheduled"

    # Claiming a run makes it the claimer's: key B claims the waiting run and may now
    # read it and report into it; key A still may not.
    agent_id = agent_b.data(REGISTER_AGENT, {"name": "agent-b"})["registerAgent"]["id"]
    assert agent_b.data(CLAIM, {"agent": agent_id})["claimFlowRuns"] == [{"id": waiting.id}]
    assert agent_b.data(RUN, {"id": waiting.id})["flowRun"]["state"] == "Submitted"
    assert agent_b.data(WRITE_LOGS, {"logs": [_log(waiting.id, "mine")]})["writeLogs"]["count"] == 1
    assert "not claimed" in agent_a.forbidden(RUN, {"id": waiting.id})
