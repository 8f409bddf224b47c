"""Delivery through real receivers on loopback (HTTP and SMTP), with the app's background
services running: exactly one email and one signed webhook per failing run, retries
through a 10-second outage with every attempt in the delivery log, permanent failures,
Slack-style messages and "send a test"."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime

from tests.server.alerting.conftest import UI_URL
from tests.server.alerting.helpers import create_automation, fail_run, move, new_run, notifications
from tests.server.alerting.receivers import eventually
from tests.server.api.graphql_results import data_of

from proctor.server.services.alerting.delivery.http import verify

FAILED = {"type": "flow_run_state", "states": ["Failed"]}


async def test_a_failing_run_sends_one_email_and_one_signed_webhook(
    database, app, gql, webhook, smtp, flow
):
    automation = await create_automation(
        gql,
        name="run failed",
        trigger=FAILED,
        actions=[
            {"type": "webhook", "url": webhook.url + "/hook", "headers": {"X-Team": "data"}},
            {"type": "email", "to": ["ops@example.com", "oncall@example.com"]},
        ],
    )
    ok = await new_run(database, flow.id)
    await move(database, ok.id, ("Running", None), ("Success", "all good"))
    run = await fail_run(database, flow.id, message="task inc failed: ZeroDivisionError")

    await eventually(lambda: webhook.to("/hook") and smtp.messages, what="webhook and email")
    await asyncio.sleep(1.0)  # several notifier passes: nothing is sent twice
    [request] = webhook.to("/hook")
    [message] = smtp.messages

    assert verify(automation["signingSecret"], request.body, request.headers["x-proctor-signature"])
    assert request.headers["x-proctor-signature"].startswith("sha256=")
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-team"] == "data"
    assert request.headers["x-proctor-event"] == "flow_run.state"
    payload = request.json()
    link = f"{UI_URL}/runs/{run.id}"
    assert payload["automation"] == {"id": automation["id"], "name": "run failed"}
    assert payload["event"]["kind"] == "flow_run.state"
    assert payload["link"] == link
    assert payload["title"] == f"Run {run.name} of etl is Failed"
    assert payload["text"] == (
        f"Run {run.name} of etl is Failed\ntask inc failed: ZeroDivisionError\n{link}"
    )
    fields = payload["flow_run"]
    assert (fields["id"], fields["name"], fields["flow"], fields["project"]) == (
        str(run.id),
        run.name,
        "etl",
        "proj",
    )
    assert (fields["state"], fields["message"]) == ("Failed", "task inc failed: ZeroDivisionError")
    assert fields["scheduled_start_time"] and fields["start_time"] and fields["end_time"]
    assert payload["test"] is False and payload["sla"] is None

    assert message["To"] == "ops@example.com, oncall@example.com"
    assert message["From"] == "alerts@proctor.example"
    assert message["Subject"] == f"[Proctor] Run {run.name} of etl is Failed"
    body = message.get_content()
    assert "task inc failed: ZeroDivisionError" in body and link in body
    assert smtp.envelopes == [("alerts@proctor.example", ["ops@example.com", "oncall@example.com"])]

    log = await notifications(gql, automationId=automation["id"])
    assert sorted((n["actionType"], n["status"], n["attemptCount"]) for n in log) == [
        ("email", "delivered", 1),
        ("webhook", "delivered", 1),
    ]
    hook = next(n for n in log if n["actionType"] == "webhook")
    assert hook["flowRunId"] == str(run.id)
    assert hook["triggerKey"].startswith(f"flow_run.state:{run.id}:")
    [attempt] = hook["attempts"]
    assert (attempt["success"], attempt["statusCode"], attempt["error"]) == (True, 200, None)
    assert attempt["detail"] == "ok" and attempt["durationMs"] >= 0


async def test_an_outage_of_10_seconds_is_retried_and_logged(database, app, gql, webhook, flow):
    webhook.stop()  # connections are refused from now on
    automation = await create_automation(
        gql,
        name="outage",
        trigger=FAILED,
        actions=[{"type": "webhook", "url": webhook.url + "/down"}],
    )
    went_down = datetime.now(UTC)
    run = await fail_run(database, flow.id)
    await asyncio.sleep(10)
    [pending] = await notifications(gql, automationId=automation["id"])
    # Waiting for its next try, or in the middle of one.
    assert pending["status"] in ("pending", "delivering") and len(pending["attempts"]) >= 4
    assert all(not attempt["success"] for attempt in pending["attempts"])
    assert "ConnectError" in pending["lastError"]

    webhook.start()  # back on the same port
    await eventually(lambda: webhook.to("/down"), timeout=10, what="the delivery")
    await asyncio.sleep(1.0)
    [request] = webhook.to("/down")
    assert request.json()["flow_run"]["id"] == str(run.id)

    [delivered] = await notifications(gql, automationId=automation["id"])
    attempts = delivered["attempts"]
    assert delivered["status"] == "delivered" and delivered["lastError"] is None
    assert delivered["attemptCount"] == len(attempts) >= 5
    assert [a["number"] for a in attempts] == list(range(1, len(attempts) + 1))
    assert [a["success"] for a in attempts] == [False] * (len(attempts) - 1) + [True]
    assert all("ConnectError" in a["error"] for a in attempts[:-1])
    started = [datetime.fromisoformat(a["started"]) for a in attempts]
    assert started == sorted(started) and started[0] >= went_down
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(started)]
    # Backoff: attempt n+1 waits at least min(2, 0.3 * 2**(n-1)) s (0.3, 0.6, 1.2, 2, 2...).
    # Lower bounds only: a loaded machine makes gaps longer, never shorter.
    for number, gap in enumerate(gaps, start=1):
        assert gap >= min(2.0, 0.3 * 2 ** (number - 1)) - 0.05, (number, gaps)
    assert max(gaps) < 8  # capped at 2 s (plus notifier passes), not growing without end


async def settled(gql, automation_id: str, status: str) -> dict:
    """The automation's one notification, once it reached `status`."""
    found: list[dict] = []
    for _ in range(600):
        found = await notifications(gql, automationId=automation_id)
        if found and all(n["status"] == status for n in found):
            return found[0]
        await asyncio.sleep(0.1)
    raise AssertionError(f"not {status}: {found}")


async def test_client_errors_fail_at_once_server_errors_are_retried(
    database, app, gql, webhook, flow
):
    webhook.status = 404
    gone = await create_automation(
        gql, name="gone", trigger=FAILED, actions=[{"type": "webhook", "url": webhook.url + "/a"}]
    )
    await fail_run(database, flow.id)
    failed = await settled(gql, gone["id"], "failed")
    assert failed["attemptCount"] == 1 and failed["lastError"] == "HTTP 404"
    assert failed["attempts"][0]["statusCode"] == 404
    assert len(webhook.to("/a")) == 1

    webhook.status = 503
    busy = await create_automation(
        gql, name="busy", trigger=FAILED, actions=[{"type": "webhook", "url": webhook.url + "/b"}]
    )
    await fail_run(database, flow.id)
    await eventually(lambda: len(webhook.to("/b")) >= 3, what="three tries")
    webhook.status = 200
    delivered = await settled(gql, busy["id"], "delivered")
    codes = [attempt["statusCode"] for attempt in delivered["attempts"]]
    assert codes[-1] == 200 and set(codes[:-1]) == {503} and len(codes) >= 4
    assert len(webhook.to("/b")) == len(codes)


async def test_slack_message_and_send_test(database, app, gql, webhook, smtp, flow):
    automation = await create_automation(
        gql,
        name="tell the team",
        trigger=FAILED,
        actions=[
            {
                "type": "slack",
                "url": webhook.url + "/slack",
                "message": "*{flow}* run {flow_run} is {state} <{link}|open>",
            },
            {"type": "email", "to": ["a@example.com"], "subject": "test of {automation}"},
            {"type": "cancel_flow_run"},
        ],
    )
    sent = data_of(
        await gql(
            """mutation ($id: ID!) { sendTestNotification(automationId: $id) {
                 actionType status test attemptCount lastError
                 attempts { success statusCode error } } }""",
            {"id": automation["id"]},
        )
    )["sendTestNotification"]
    assert [(n["actionType"], n["status"], n["test"]) for n in sent] == [
        ("slack", "delivered", True),
        ("email", "delivered", True),
        ("cancel_flow_run", "skipped", True),
    ]
    assert sent[0]["attempts"] == [{"success": True, "statusCode": 200, "error": None}]
    assert sent[2]["attempts"] == [] and "test" in sent[2]["lastError"]
    [request] = webhook.to("/slack")
    slack = request.json()
    expected = f"*sample-flow* run sample-run is Failed <{UI_URL}/runs/"
    assert slack["text"].startswith(expected)
    section, actions = slack["blocks"]
    assert section["type"] == "section" and section["text"]["type"] == "mrkdwn"
    assert "&lt;" in section["text"]["text"]  # Slack escapes in mrkdwn
    assert actions["elements"][0]["url"].startswith(f"{UI_URL}/runs/")
    [message] = smtp.messages
    assert message["Subject"] == "test of tell the team"

    # A real failing run then goes through the same actions, the cancel refused (the run
    # already finished) and logged as a failure that is not retried.
    run = await fail_run(database, flow.id)
    await eventually(lambda: len(webhook.to("/slack")) == 2, what="the real slack message")
    log = []
    for _ in range(600):  # 60 s at least: a bound only a hang reaches
        log = await notifications(gql, automationId=automation["id"], flowRunId=str(run.id))
        if {n["status"] for n in log} <= {"delivered", "failed"} and len(log) == 3:
            break
        await asyncio.sleep(0.1)
    by_type = {n["actionType"]: n for n in log}
    assert by_type["slack"]["status"] == "delivered"
    assert by_type["email"]["status"] == "delivered"
    cancel = by_type["cancel_flow_run"]
    assert cancel["status"] == "failed" and cancel["attemptCount"] == 1
    assert cancel["lastError"].startswith("TRANSITION_REJECTED")


async def test_disabling_or_deleting_stops_the_retries(database, app, gql, webhook, flow):
    webhook.status = 500
    disabled = await create_automation(
        gql, name="off", trigger=FAILED, actions=[{"type": "webhook", "url": webhook.url + "/d"}]
    )
    deleted = await create_automation(
        gql, name="gone", trigger=FAILED, actions=[{"type": "webhook", "url": webhook.url + "/x"}]
    )
    await fail_run(database, flow.id)
    await eventually(
        lambda: len(webhook.to("/d")) >= 2 and len(webhook.to("/x")) >= 2, what="retries"
    )
    await gql(
        "mutation ($id: ID!) { setAutomationEnabled(id: $id, enabled: false) { id } }",
        {"id": disabled["id"]},
    )
    await gql("mutation ($id: ID!) { deleteAutomation(id: $id) }", {"id": deleted["id"]})
    stopped = await settled(gql, disabled["id"], "failed")
    assert stopped["lastError"] == "The automation was disabled."
    log = []
    for _ in range(600):  # 60 s at least: a bound only a hang reaches
        log = [n for n in await notifications(gql) if n["automationName"] == "gone"]
        if log and log[0]["status"] == "failed":
            break
        await asyncio.sleep(0.1)
    [orphan] = log
    assert orphan["automationId"] is None and orphan["status"] == "failed"
    assert orphan["lastError"] == "The automation was deleted."
    tried = len(webhook.to("/d")), len(webhook.to("/x"))
    await asyncio.sleep(1.0)
    assert (len(webhook.to("/d")), len(webhook.to("/x"))) == tried
