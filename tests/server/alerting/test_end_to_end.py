"""End to end: a real server process, a real agent, a real flow whose task raises. The run
fails, and exactly one email and one signed webhook arrive with its fields. Then the CLI
lists the automation and sends a test through it."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from tests.agent.processes import FAST_SERVER, AgentProcess, DrainedServer, proctor, proctor_json
from tests.server.alerting.helpers import CREATE
from tests.server.alerting.receivers import HttpReceiver, SmtpReceiver

from proctor.client import Client, Operation
from proctor.server.services.alerting.delivery.http import verify

pytestmark = pytest.mark.slow

FLOWS = Path(__file__).parent / "flows"
UI_URL = "http://proctor.example"


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)
    return value


@pytest.fixture
def receivers():
    webhook, smtp = HttpReceiver().start(), SmtpReceiver().start()
    yield webhook, smtp
    webhook.stop()
    smtp.stop()


def test_a_failing_run_alerts_once_by_email_and_webhook(database_url, tmp_path, receivers):
    webhook, smtp = receivers
    env = {
        **FAST_SERVER,
        "PROCTOR_SERVER_SERVICES_NOTIFIER_LOOP_SECONDS": "0.5",
        "PROCTOR_SERVER_SERVICES_NOTIFIER_UI_URL": UI_URL,
        "PROCTOR_SERVER_SERVICES_NOTIFIER_SMTP_HOST": "127.0.0.1",
        "PROCTOR_SERVER_SERVICES_NOTIFIER_SMTP_PORT": str(smtp.port),
        "PROCTOR_SERVER_SERVICES_NOTIFIER_SMTP_FROM_ADDRESS": "proctor@example.com",
    }
    server = DrainedServer(database_url, tmp_path, env=env)
    server.start(timeout=60)
    agent = None
    try:
        registered = proctor_json(
            "register", str(FLOWS / "failing.py"), "--project", "alerts",
            home=tmp_path, api_url=server.url,
        )  # fmt: skip
        assert registered[0]["flow"]["name"] == "doomed"
        with Client(server.url) as client:
            automation = client.execute(
                Operation(
                    CREATE,
                    {
                        "input": {
                            "name": "doomed fails",
                            "trigger": {
                                "type": "flow_run_state",
                                "states": ["Failed"],
                                "project": "alerts",
                            },
                            "actions": [
                                {"type": "webhook", "url": webhook.url + "/proctor"},
                                {
                                    "type": "email",
                                    "to": ["data-team@example.com"],
                                    "message": "{flow} run {flow_run} {state}: {message}\n"
                                    "{link}\nscheduled {scheduled_start_time}, "
                                    "ended {end_time}",
                                },
                            ],
                        }
                    },
                )
            )["createAutomation"]

        agent = AgentProcess(tmp_path, server.url, "alerting-agent")
        done = proctor(
            "run", "doomed", "--project", "alerts", "--watch", "--json",
            home=tmp_path, api_url=server.url,
        )  # fmt: skip
        assert done.returncode == 1, done.stdout + done.stderr  # the flow failed
        run = json.loads(done.stdout)
        assert run["state"] == "Failed"

        wait_for(lambda: webhook.to("/proctor") and smtp.messages, 30, "the alerts")
        time.sleep(1.5)  # several notifier passes: still one of each
        [request] = webhook.to("/proctor")
        [message] = smtp.messages
        secret = automation["signingSecret"]
        assert verify(secret, request.body, request.headers["x-proctor-signature"])
        payload = request.json()
        assert payload["flow_run"]["id"] == run["id"]
        assert payload["flow_run"]["flow"] == "doomed"
        assert payload["flow_run"]["project"] == "alerts"
        assert payload["flow_run"]["state"] == "Failed"
        assert payload["link"] == f"{UI_URL}/runs/{run['id']}"
        assert message["To"] == "data-team@example.com"
        assert message["Subject"] == f"[Proctor] Run {run['name']} of doomed is Failed"
        body = message.get_content()
        assert body.startswith(f"doomed run {run['name']} Failed: ")
        assert f"{UI_URL}/runs/{run['id']}" in body and "ended 20" in body

        listed = proctor_json("automations", "ls", home=tmp_path, api_url=server.url)
        assert [(a["id"], a["name"], a["enabled"]) for a in listed] == [
            (automation["id"], "doomed fails", True)
        ]
        table = proctor("automations", "ls", home=tmp_path, api_url=server.url)
        assert "doomed fails" in table.stdout and "run Failed" in table.stdout
        tested = proctor_json("automations", "test", automation["id"], home=tmp_path,
                              api_url=server.url)  # fmt: skip
        assert [(n["actionType"], n["status"]) for n in tested] == [
            ("webhook", "delivered"),
            ("email", "delivered"),
        ]
        assert len(webhook.to("/proctor")) == 2 and webhook.to("/proctor")[1].json()["test"]
        assert len(smtp.messages) == 2
        missing = proctor("automations", "test", "no-such-id", home=tmp_path, api_url=server.url)
        assert missing.returncode == 2 and "automation_id must be a UUID" in missing.stderr
    finally:
        if agent is not None:
            agent.stop()
        server.stop()
