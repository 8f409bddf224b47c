"""Smaller UI defects, each seen in a real browser against a real server: past runs only
in the flows list and the dashboard's 24 h count; the run form names the agent that will
take the run or the exact command to start one; the audit log keeps machine traffic out
of its default view; team settings in local mode; a v2 flow's runs show their version;
the layout at phone width (390 px) with a collapsible sidebar."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from uiapi import Api, now_iso
from uiflows import squares
from uiharness import ServerProcess, new_page, shot

from proctor import flow, task

# Whether `text` inside the element is drawn on one line (not broken inside the word).
ON_ONE_LINE = """(el, text) => {
  const node = [...el.childNodes].find((n) => n.nodeType === 3 && n.textContent.includes(text));
  const range = document.createRange();
  const at = node.textContent.indexOf(text);
  range.setStart(node, at);
  range.setEnd(node, at + text.length);
  return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size === 1;
}"""


def create_run_at(api: Api, flow_id: str, at: str) -> str:
    data = api.gql(
        "mutation($input: CreateFlowRunInput!) { createFlowRun(input: $input) { id } }",
        {"input": {"flowId": flow_id, "scheduledStartTime": at}},
    )
    return str(data["createFlowRun"]["id"])


def finish(api: Api, run_id: str, state: str) -> None:
    api.set_run_state(run_id, "Running")
    api.set_run_state(run_id, state)


def test_future_scheduled_runs_stay_out_of_last_runs_and_the_24_h_count(
    browser: Any, fresh_server: ServerProcess, artifacts: Path
) -> None:
    api = Api(fresh_server.url)
    context, page, errors = new_page(browser, fresh_server.url)
    try:
        registered = api.register(squares, project="future")
        finish(api, create_run_at(api, registered["id"], now_iso(-60)), "Success")
        finish(api, create_run_at(api, registered["id"], now_iso(-30)), "Failed")
        for hours in (2, 3, 5, 8):
            create_run_at(api, registered["id"], now_iso(hours * 3600))
        page.goto("/flows")
        dots = page.get_by_test_id("flow-row-squares").locator(".run-dots a")
        expect(dots).to_have_count(2)
        labels = dots.evaluate_all("(links) => links.map((a) => a.getAttribute('aria-label'))")
        assert sorted(label.rsplit(": ", 1)[1] for label in labels) == ["Failed", "Success"]
        page.goto("/")
        runs = page.locator(".card.stat", has_text="Runs, last 24 h").locator(".value")
        expect(runs).to_have_text("2")
    finally:
        context.close()
        api.close()
    assert not errors, errors


def test_the_run_form_says_which_agent_takes_the_run_or_how_to_start_one(
    browser: Any, fresh_server: ServerProcess, artifacts: Path
) -> None:
    api = Api(fresh_server.url)
    context, page, errors = new_page(browser, fresh_server.url)
    register_agent = (
        "mutation($n: String!, $l: [String!]!) { registerAgent(name: $n, labels: $l) { id } }"
    )
    try:
        spec = squares.serialize()
        spec["labels"] = ["gpu", "ux"]
        data = api.gql(
            "mutation($input: RegisterFlowInput!) { registerFlow(input: $input) { flow { id } } }",
            {"input": {"project": "labels", "spec": spec, "createProject": True}},
        )
        flow_id = data["registerFlow"]["flow"]["id"]
        page.goto(f"/flows/{flow_id}?tab=run")
        missing = page.get_by_test_id("run-agents-missing")
        expect(missing).to_contain_text("proctor agent start --label gpu --label ux")
        expect(page.get_by_test_id("run-agents-ready")).to_have_count(0)

        # A healthy agent without the gpu label does not cover the run.
        api.gql(register_agent, {"n": "ux-only", "l": ["ux"]})
        page.reload()
        expect(page.get_by_test_id("run-agents-missing")).to_contain_text("--label gpu")

        api.gql(register_agent, {"n": "gpu-box", "l": ["gpu", "ux", "linux"]})
        page.reload()
        ready = page.get_by_test_id("run-agents-ready")
        expect(ready).to_contain_text("gpu-box")
        expect(page.get_by_test_id("run-agents-missing")).to_have_count(0)
        shot(page, artifacts, "run-form-agent-ready")
    finally:
        context.close()
        api.close()
    assert not errors, errors


def test_the_audit_log_hides_machine_traffic_by_default(
    browser: Any, fresh_server: ServerProcess, artifacts: Path
) -> None:
    api = Api(fresh_server.url)
    context, page, errors = new_page(browser, fresh_server.url)
    try:
        registered = api.register(squares, project="audit")
        run_id = api.create_run(registered["id"])["id"]
        agent = api.gql('mutation { registerAgent(name: "busy", labels: []) { id } }')
        for _ in range(3):
            api.gql(
                "mutation($id: ID!) { agentHeartbeat(agentId: $id) { id } }",
                {"id": agent["registerAgent"]["id"]},
            )
        api.write_logs(run_id, [(20, "a line", None)])
        api.set_task_states(run_id, [("numbers", -1, "Running")])

        page.goto("/audit")
        table = page.get_by_test_id("audit-table")
        actions = table.locator("tbody td.mono:nth-child(3)")
        expect(actions.filter(has_text=re.compile("^createFlowRun$"))).to_have_count(1)
        for machine in ("agentHeartbeat", "writeLogs", "setTaskRunStates", "registerAgent"):
            expect(actions.filter(has_text=re.compile(f"^{machine}$"))).to_have_count(0)
        shot(page, artifacts, "audit-default")

        page.get_by_test_id("audit-traffic").select_option("machine")
        expect(page).to_have_url(re.compile(r"traffic=machine"))
        expect(actions.filter(has_text=re.compile("^agentHeartbeat$")).first).to_be_visible()
        expect(actions.filter(has_text=re.compile("^writeLogs$")).first).to_be_visible()
        expect(actions.filter(has_text=re.compile("^createFlowRun$"))).to_have_count(0)

        page.get_by_test_id("audit-traffic").select_option("all")
        expect(actions.filter(has_text=re.compile("^createFlowRun$"))).to_have_count(1)
        expect(actions.filter(has_text=re.compile("^agentHeartbeat$")).first).to_be_visible()
    finally:
        context.close()
        api.close()
    assert not errors, errors


def test_team_settings_in_local_mode(page: Any, artifacts: Path) -> None:
    page.goto("/team")
    # At desktop width the sidebar is a column: no menu button.
    expect(page.get_by_test_id("menu-toggle")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_test_id("local-mode")).to_be_visible()
    # No invitation in local mode: nobody could ever log in to accept it.
    expect(page.get_by_label("Email to invite")).to_have_count(0)
    command = page.locator(".cmd code", has_text="you@example.com")
    expect(command).to_be_visible()
    assert command.evaluate(ON_ONE_LINE, "you@example.com") is True
    page.set_viewport_size({"width": 390, "height": 844})
    assert command.evaluate(ON_ONE_LINE, "you@example.com") is True
    shot(page, artifacts, "team-local-390")


@task
def double(value: int) -> int:
    return value * 2


def test_a_second_version_lists_its_runs_with_their_versions(page: Any, api: Api) -> None:
    @flow(name="versioned")
    def first_version(count: int = 3):
        double(count)

    @flow(name="versioned")
    def second_version(count: int = 3, extra: int = 1):
        double(double(count))

    v1 = api.register(first_version, project="versions")
    api.create_run(v1["id"])
    v2 = api.register(second_version, project="versions")
    assert v2["id"] != v1["id"]
    api.create_run(v2["id"])
    page.goto(f"/flows/{v2['id']}?tab=runs")
    table = page.get_by_test_id("runs-table")
    expect(table.locator("th", has_text="Version")).to_be_visible()
    versions = table.get_by_test_id("run-version")
    expect(versions).to_have_count(2)
    assert sorted(versions.all_inner_texts()) == ["v1", "v2"]


def test_phone_width_layout_with_a_collapsible_sidebar(
    browser: Any, server: ServerProcess, api: Api, artifacts: Path
) -> None:
    registered = api.register(squares, project="phone")
    run_id = api.create_run(registered["id"])["id"]
    context = browser.new_context(
        base_url=server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        for path in ("/", "/flows", f"/runs/{run_id}", "/agents", "/team", "/audit"):
            page.goto(path)
            expect(page.locator("main h1").first).to_be_visible()
            sidebar = page.get_by_test_id("sidebar")
            box = sidebar.bounding_box()
            # Folded: a bar at the top, not a column taking most of the screen.
            assert box is not None and box["height"] < 80 and box["width"] >= 380, (path, box)
            expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
            # Nothing wider than the screen: no sideways scrolling of the page.
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 390, (path, width)
        page.goto("/")
        shot(page, artifacts, "phone-dashboard")
        toggle = page.get_by_test_id("menu-toggle")
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        nav = page.get_by_role("navigation", name="Main")
        expect(nav).to_be_visible()
        shot(page, artifacts, "phone-menu")
        nav.get_by_role("link", name="Flows").click()
        expect(page).to_have_url(re.compile(r"/flows$"))
        expect(nav).to_be_hidden()
        expect(toggle).to_have_attribute("aria-expanded", "false")
    finally:
        context.close()
    assert not errors, errors
