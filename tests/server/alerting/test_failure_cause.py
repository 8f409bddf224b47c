"""Failure messages name the cause, not the victim: a real server, agent and flow where
`enrich[3]` raises ValueError and `write_warehouse` only ends TriggerFailed because of it.
The run's failure summary, the dashboard's recent failures, and the email and webhook
alerts all name `enrich[3]: ValueError`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.agent.processes import (
    FAST_SERVER,
    FLOWS,
    AgentProcess,
    DrainedServer,
    proctor,
    proctor_json,
    wait_until,
)
from tests.server.alerting.helpers import CREATE
from tests.server.alerting.receivers import HttpReceiver, SmtpReceiver

from proctor.client import Client, Operation

pytestmark = pytest.mark.slow

CAUSE = "enrich[3]: ValueError: row 3 has no customer id"
RUN = """query($id: ID!) { flowRun(id: $id) { state stateMessage
  failureSummary { text total causes { taskRunName taskSlug mapIndex exceptionType message } }
} }"""
FAILURES = """{ recentFailures { flowRun { id } failureSummary { text } } }"""


@pytest.fixture
def receivers():
    webhook, smtp = HttpReceiver().start(), SmtpReceiver().start()
    yield webhook, smtp
    webhook.stop()
    smtp.stop()


@pytest.fixture
def server(tmp_path: Path, receivers):
    _, smtp = receivers
    env = {
        **FAST_SERVER,
        "PROCTOR_SERVER_SERVICES_NOTIFIER_LOOP_SECONDS": "0.3",
        "PROCTOR_SERVER_SERVICES_NOTIFIER_UI_URL": "http://proctor.example",
        "PROCTOR_SERVER_SERVICES_NOTIFIER_SMTP_HOST": "127.0.0.1",
        "PROCTOR_SERVER_SERVICES_NOTIFIER_SMTP_PORT": str(smtp.port),
        "PROCTOR_SERVER_SERVICES_NOTIFIER_SMTP_FROM_ADDRESS": "proctor@example.com",
    }
    process = DrainedServer(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}", tmp_path, env=env)
    process.start(timeout=60)
    yield process
    process.stop()


def test_a_failure_is_explained_by_the_task_run_that_raised(tmp_path, server, receivers):
    webhook, smtp = receivers
    proctor_json("register", str(FLOWS / "warehouse.py"), "--project", "dw",
                 home=tmp_path, api_url=server.url)  # fmt: skip
    with Client(server.url) as client:
        client.execute(
            Operation(
                CREATE,
                {
                    "input": {
                        "name": "warehouse fails",
                        "trigger": {"type": "flow_run_state", "states": ["Failed"]},
                        "actions": [
                            {"type": "webhook", "url": webhook.url + "/hook"},
                            {"type": "email", "to": ["dw@example.com"]},
                        ],
                    }
                },
            )
        )
        agent = AgentProcess(tmp_path, server.url, "dw-agent")
        try:
            done = proctor("run", "warehouse", "--project", "dw", "--watch", "--json",
                           home=tmp_path, api_url=server.url)  # fmt: skip
        finally:
            agent.stop()
        run_id = json.loads(done.stdout)["id"]
        run = client.query(RUN, {"id": run_id})["flowRun"]
        assert run["state"] == "Failed"
        summary = run["failureSummary"]
        assert summary["text"] == CAUSE
        assert summary["total"] == 1
        assert summary["causes"] == [
            {
                "taskRunName": "enrich[3]",
                "taskSlug": "enrich",
                "mapIndex": 3,
                "exceptionType": "ValueError",
                "message": "ValueError: row 3 has no customer id",
            }
        ]
        failures = client.query(FAILURES)["recentFailures"]
        assert [(f["flowRun"]["id"], f["failureSummary"]["text"]) for f in failures] == [
            (run_id, CAUSE)
        ]

    wait_until(lambda: webhook.to("/hook") and smtp.messages, 30, "the alerts")
    [request] = webhook.to("/hook")
    payload = request.json()
    assert payload["flow_run"]["cause"] == CAUSE
    assert [t["task_run"] for t in payload["flow_run"]["failed_task_runs"]] == ["enrich[3]"]
    assert CAUSE in payload["text"]
    [message] = smtp.messages
    body = message.get_content()
    assert CAUSE in body
    assert "write_warehouse" not in body, body  # the victim is not the news
