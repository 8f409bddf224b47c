"""The alerting pages in a real browser against a server in auth mode: an automation with
a webhook to a real loopback receiver and its "send test", the delivery log, a flow's
SLA and its breach on the dashboard, and concurrency limits."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from uiauth import AuthApi, WebhookReceiver, log_in
from uiflows import squares
from uiharness import new_page, shot

from proctor.testing import ServerProcess


def wait_for(check: Any, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_an_automation_with_a_webhook_sends_a_test_the_receiver_gets(
    auth_page: Any, receiver: WebhookReceiver, artifacts: Path
) -> None:
    page = auth_page
    page.goto("/automations")
    log_in(page)
    page.get_by_test_id("new-automation").click()
    form = page.get_by_test_id("automation-form")
    expect(form).to_be_visible()

    # Mistakes are shown field by field before anything is sent.
    form.get_by_test_id("save-automation").click()
    expect(form.get_by_text("Name the automation.")).to_be_visible()
    expect(form.get_by_text("Enter the URL to post to.")).to_be_visible()
    name = f"failures-{uuid.uuid4().hex[:6]}"
    form.get_by_label("Name", exact=True).fill(name)
    action = form.get_by_test_id("action-0")
    action.get_by_label("URL").fill("ftp://example.com")
    expect(action.get_by_text("An absolute http:// or https:// URL.")).to_be_visible()
    action.get_by_label("URL").fill(receiver.url)
    action.get_by_role("button", name="Add a header").click()
    action.get_by_label("Header 1 name").fill("X-Team")
    action.get_by_label("Header 1 value").fill("data")
    action.get_by_label("Message").fill("{flow} is {sate}")
    expect(action.get_by_text("Unknown placeholder {sate}.")).to_be_visible()
    action.get_by_label("Message").fill("{flow} is {state}: {link}")
    expect(form.get_by_role("button", name="Failed", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    shot(page, artifacts, "automation-form")
    form.get_by_test_id("save-automation").click()

    # The webhook signing secret is shown once.
    secret = page.get_by_test_id("one-time-value").inner_text()
    assert len(secret) >= 16
    page.get_by_test_id("one-time-done").click()
    row = page.get_by_test_id(f"automation-{name}")
    expect(row).to_contain_text("A run enters Failed")
    expect(row).to_contain_text("Webhook")
    expect(row.get_by_test_id("automation-toggle")).to_have_attribute("aria-checked", "true")

    row.get_by_test_id("send-test").click()
    result = page.get_by_test_id("test-result")
    expect(result.locator(".badge")).to_have_text("delivered")
    expect(result.get_by_test_id("attempts")).to_contain_text("200")
    shot(page, artifacts, "automation-send-test")

    # The receiver got exactly one signed POST with the custom header and the template.
    assert wait_for(lambda: len(receiver.requests) >= 1)
    [hit] = receiver.requests
    assert hit.path == "/hooks/proctor"
    headers = {k.lower(): v for k, v in hit.headers.items()}
    assert headers["x-team"] == "data"
    expected = "sha256=" + hmac.new(secret.encode(), hit.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-proctor-signature"], expected)
    payload = hit.json()
    assert payload["test"] is True
    assert " is Failed: " in payload["text"]

    # The delivery log shows it, with its attempt.
    page.get_by_role("link", name="Delivery log").first.click()
    page.get_by_label("Automation").select_option(label=name)
    delivery = page.get_by_test_id("delivery-row")
    expect(delivery).to_have_count(1)
    expect(delivery).to_contain_text("delivered")
    expect(delivery).to_contain_text("test")
    delivery.click()
    expect(page.get_by_test_id("attempts")).to_contain_text("200")
    shot(page, artifacts, "delivery-log")
    page.get_by_label("Status").select_option("failed")
    expect(page.get_by_text("No deliveries yet")).to_be_visible()

    # Turned off from the list; edited through its own page.
    page.goto("/automations")
    toggle = page.get_by_test_id(f"automation-{name}").get_by_test_id("automation-toggle")
    toggle.click()
    expect(toggle).to_have_attribute("aria-checked", "false")
    page.get_by_role("link", name=name).click()
    edit = page.get_by_test_id("automation-form")
    expect(edit.get_by_label("Name", exact=True)).to_have_value(name)
    expect(edit.get_by_test_id("action-0").get_by_label("Header 1 value")).to_have_value("data")
    edit.get_by_label("When").select_option("task_run_failures")
    edit.get_by_label("Failures in a row").fill("2")
    edit.get_by_test_id("save-automation").click()
    expect(page.get_by_test_id(f"automation-{name}")).to_contain_text("fails 2 runs in a row")
    shot(page, artifacts, "automations")


def test_a_flows_sla_is_set_on_its_page_and_a_breach_shows_on_the_dashboard(
    auth_page: Any, admin_api: AuthApi, artifacts: Path
) -> None:
    flow = admin_api.register(squares, project=f"sla-{uuid.uuid4().hex[:4]}")
    page = auth_page
    page.goto(f"/flows/{flow['id']}")
    log_in(page)
    card = page.get_by_test_id("sla-card")
    expect(card).to_contain_text("No SLA")
    card.get_by_test_id("edit-sla").click()
    form = card.get_by_test_id("sla-form")
    form.get_by_label("Late start").fill("soon")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_role("alert")).to_contain_text("Write a duration like")
    form.get_by_label("Late start").fill("2s")
    form.get_by_label("Long run").fill("1h30m")
    form.get_by_role("button", name="Save").click()
    expect(card.get_by_test_id("sla-late-start")).to_have_text("2s")
    expect(card.get_by_test_id("sla-long-run")).to_have_text("1h30m")
    expect(card.get_by_test_id("sla-missed-run")).to_have_text("off")
    sla = admin_api.gql(
        "query($f: ID!) { flowSla(flowId: $f) { lateStartSeconds longRunSeconds } }",
        {"f": flow["id"]},
    )["flowSla"]
    assert sla == {"lateStartSeconds": 2.0, "longRunSeconds": 5400.0}
    shot(page, artifacts, "flow-sla")

    # A run no agent picks up starts late: the SLA watcher records a breach.
    run = admin_api.create_run(flow["id"])
    query = "query($f: ID) { slaBreaches(flowId: $f) { nodes { flowRunId kind } } }"
    breaches = wait_for(
        lambda: admin_api.gql(query, {"f": flow["id"]})["slaBreaches"]["nodes"], timeout=30
    )
    assert {"flowRunId": run["id"], "kind": "late_start"} in breaches
    page.goto("/")
    panel = page.get_by_test_id("sla-breaches")
    expect(panel).to_contain_text("Late start")
    expect(panel.get_by_role("link", name="squares").first).to_have_attribute(
        "href", f"/runs/{run['id']}"
    )
    shot(page, artifacts, "dashboard-sla-breaches")


def test_a_concurrency_limit_is_set_listed_changed_and_removed(
    auth_page: Any, artifacts: Path
) -> None:
    page = auth_page
    page.goto("/limits")
    log_in(page)
    key = f"db-{uuid.uuid4().hex[:4]}"
    page.get_by_test_id("new-limit").click()
    form = page.get_by_test_id("limit-form")
    form.get_by_label("Tag or label").fill(key)
    form.get_by_label("Limit", exact=True).fill("two")
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("limit-error")).to_contain_text("whole number")
    form.get_by_label("Limit", exact=True).fill("2")
    form.get_by_role("button", name="Save").click()
    row = page.get_by_test_id(f"limit-{key}")
    expect(row).to_contain_text("Task runs with tag")
    expect(row.get_by_test_id("usage")).to_have_text("0 / 2")
    expect(row).to_contain_text("free")
    shot(page, artifacts, "concurrency-limits")

    row.get_by_role("button", name="Change").click()
    page.get_by_test_id("limit-form").get_by_label("Limit", exact=True).fill("3")
    page.get_by_test_id("limit-form").get_by_role("button", name="Save").click()
    expect(row.get_by_test_id("usage")).to_have_text("0 / 3")
    page.reload()
    expect(page.get_by_test_id(f"limit-{key}").get_by_test_id("usage")).to_have_text("0 / 3")

    page.get_by_test_id(f"limit-{key}").get_by_role("button", name="Delete").click()
    page.get_by_role("dialog").get_by_role("button", name="Remove").click()
    expect(page.get_by_test_id(f"limit-{key}")).to_have_count(0)


def test_new_pages_in_the_dark_theme(
    browser: Any, auth_server: ServerProcess, artifacts: Path
) -> None:
    context, page, errors = new_page(browser, auth_server.url, color_scheme="dark")
    page.goto("/automations")
    shot(page, artifacts, "login-dark")
    log_in(page)
    expect(page.get_by_role("heading", name="Automations")).to_be_visible()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(11, 13, 20)"
    page.goto("/notifications")
    expect(page.get_by_role("heading", name="Delivery log")).to_be_visible()
    shot(page, artifacts, "delivery-log-dark")
    context.close()
    assert not errors, errors
