"""Every page in a real browser: empty states for a new user, error pages, the theme,
schedule toggles, run actions, and live updates that survive a server restart."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from uiapi import Api
from uiflows import heartbeat, squares
from uiharness import ServerProcess, free_port, new_page, shot


def test_a_new_user_is_told_what_to_do(browser: Any, fresh_server: ServerProcess, artifacts: Path):
    context, page, errors = new_page(browser, fresh_server.url)
    page.goto("/")
    welcome = page.get_by_test_id("getting-started")
    expect(welcome).to_contain_text("proctor register flows.py")
    expect(welcome).to_contain_text("proctor agent start")
    expect(page.get_by_test_id("agent-health")).to_contain_text("proctor agent start")
    shot(page, artifacts, "dashboard-empty")
    page.get_by_role("link", name="Flows").click()
    expect(page.get_by_text("No flows yet")).to_be_visible()
    expect(page.locator(".cmd")).to_contain_text("proctor register flows.py")
    page.get_by_role("link", name="Agents").click()
    expect(page.get_by_text("No agent has connected yet")).to_be_visible()
    expect(page.locator(".cmd").first).to_contain_text("proctor agent start")
    shot(page, artifacts, "agents-empty")
    page.get_by_role("link", name="Projects").click()
    expect(page.get_by_text("No projects yet")).to_be_visible()
    context.close()
    assert not errors, errors


def test_error_pages(page: Any, artifacts: Path) -> None:
    page.goto("/no/such/page")
    expect(page.get_by_test_id("not-found")).to_contain_text("does not exist")
    shot(page, artifacts, "not-found")
    page.goto(f"/runs/{uuid.uuid4()}")
    expect(page.get_by_test_id("not-found")).to_be_visible()
    page.get_by_role("link", name="Go to the dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    # The API stops answering: a clear page that comes back by itself once it answers.
    page.route("**/graphql", lambda route: route.abort())
    page.goto("/projects")
    expect(page.get_by_test_id("unreachable")).to_contain_text("reach the Proctor server")
    shot(page, artifacts, "api-unreachable")
    page.unroute("**/graphql")
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    expect(page.get_by_test_id("unreachable")).to_have_count(0)


def test_theme_follows_the_system_and_remembers_a_choice(
    browser: Any, server: ServerProcess, api: Api, artifacts: Path
) -> None:
    api.register(squares, project="themes")
    context, page, errors = new_page(browser, server.url, color_scheme="dark")
    page.goto("/flows")
    background = "getComputedStyle(document.body).backgroundColor"
    expect(page.get_by_test_id("flows-table")).to_be_visible()
    assert page.evaluate(background) == "rgb(11, 13, 20)"
    shot(page, artifacts, "flows-dark")
    page.get_by_role("button", name="Light theme").click()
    assert page.evaluate(background) == "rgb(246, 247, 251)"
    page.reload()
    expect(page.get_by_test_id("flows-table")).to_be_visible()
    assert page.evaluate(background) == "rgb(246, 247, 251)"
    page.get_by_role("button", name="Follow the system").click()
    assert page.evaluate(background) == "rgb(11, 13, 20)"
    page.get_by_role("button", name="Dark theme").click()
    page.goto("/")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    shot(page, artifacts, "dashboard-dark")
    context.close()
    assert not errors, errors


def test_toggle_a_schedule(page: Any, api: Api, artifacts: Path) -> None:
    flow = api.register(heartbeat, project="ops")
    active = "query($id: ID!) { flow(id: $id) { scheduleActive } }"
    assert api.gql(active, {"id": flow["id"]})["flow"]["scheduleActive"] is True

    page.goto("/flows?project=ops")
    toggle = page.get_by_test_id("flow-row-heartbeat").get_by_test_id("schedule-toggle")
    expect(toggle).to_have_attribute("aria-checked", "true")
    expect(page.get_by_test_id("flow-row-heartbeat")).to_contain_text("every hour (UTC)")
    toggle.click()
    expect(toggle).to_have_attribute("aria-checked", "false")
    assert api.gql(active, {"id": flow["id"]})["flow"]["scheduleActive"] is False

    page.get_by_test_id("flow-row-heartbeat").get_by_role("link", name="heartbeat").click()
    card = page.get_by_test_id("schedule-card")
    expect(card.get_by_test_id("schedule-status")).to_have_text("Paused")
    card.get_by_test_id("schedule-toggle").click()
    expect(card.get_by_test_id("schedule-status")).to_have_text("Active")
    assert api.gql(active, {"id": flow["id"]})["flow"]["scheduleActive"] is True
    shot(page, artifacts, "flow-schedule")


def test_run_actions(page: Any, api: Api, artifacts: Path) -> None:
    flow = api.register(squares, project="actions")

    # Cancel a run that has not started: it is cancelled at once.
    run = api.create_run(flow["id"])
    page.goto(f"/runs/{run['id']}")
    state = page.locator(".page-head [data-state]")
    expect(state).to_have_attribute("data-state", "Scheduled")
    page.get_by_test_id("cancel-run").click()
    page.get_by_role("dialog").get_by_role("button", name="Cancel run").click()
    expect(state).to_have_attribute("data-state", "Cancelled")
    assert api.run(run["id"])["state"] == "Cancelled"

    # Restart the finished run, once confirmed: Scheduled again.
    page.get_by_test_id("restart-run").click()
    page.get_by_role("dialog").get_by_role("button", name="Restart").click()
    expect(state).to_have_attribute("data-state", "Scheduled")

    # Start now a run scheduled for later.
    later = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    scheduled = api.gql(
        "mutation($input: CreateFlowRunInput!) { createFlowRun(input: $input) { id } }",
        {"input": {"flowId": flow["id"], "scheduledStartTime": later}},
    )["createFlowRun"]
    page.goto(f"/runs/{scheduled['id']}")
    expect(page.get_by_test_id("start-now")).to_be_visible()
    shot(page, artifacts, "flow-run-scheduled")
    page.get_by_test_id("start-now").click()
    expect(page.get_by_test_id("start-now")).to_have_count(0)
    start = api.gql(
        "query($id: ID!) { flowRun(id: $id) { scheduledStartTime } }", {"id": scheduled["id"]}
    )["flowRun"]["scheduledStartTime"]
    assert datetime.fromisoformat(start) < datetime.now(UTC) + timedelta(minutes=1)

    # Delete it: back to the flow's runs, and gone from the API.
    page.get_by_test_id("delete-run").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(page).to_have_url(re.compile(rf"/flows/{flow['id']}\?tab=runs$"))
    count = "query($f: ID!) { flowRuns(flowId: $f) { totalCount } }"
    assert api.gql(count, {"f": flow["id"]})["flowRuns"]["totalCount"] == 1
    expect(page.get_by_test_id("runs-table")).to_be_visible()
    shot(page, artifacts, "flow-runs")


def test_projects_and_agents_pages(page: Any, api: Api, artifacts: Path) -> None:
    api.register(squares, project="analytics")
    page.goto("/projects")
    expect(page.get_by_test_id("projects-table")).to_contain_text("analytics")
    page.get_by_role("button", name="New project").click()
    page.get_by_label("Project name").fill("marketing")
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_test_id("projects-table")).to_contain_text("marketing")
    shot(page, artifacts, "projects")
    page.get_by_test_id("projects-table").get_by_role("link", name="analytics").click()
    expect(page).to_have_url(re.compile(r"/flows\?project=analytics$"))
    expect(page.get_by_test_id("project-filter")).to_have_value("analytics")
    page.goto("/agents")
    expect(page.get_by_role("heading", name="Agents")).to_be_visible()
    shot(page, artifacts, "agents")
    graphiql = page.get_by_role("link", name="GraphQL API")
    expect(graphiql).to_have_attribute("href", "/graphql")


def test_live_updates_come_back_after_a_server_restart(
    browser: Any, tmp_path: Path, ui_ready: None
) -> None:
    server = ServerProcess(tmp_path, free_port())
    server.start()
    api = Api(server.url)
    context, page, errors = new_page(browser, server.url)
    try:
        flow = api.register(squares, project="restart")
        run = api.create_run(flow["id"])
        page.goto(f"/runs/{run['id']}")
        live = page.get_by_test_id("live-status")
        expect(live).to_have_attribute("data-status", "live")
        state = page.locator(".page-head [data-state]")
        expect(state).to_have_attribute("data-state", "Scheduled")
        schematic = page.get_by_test_id("schematic")
        expect(schematic.locator("[data-slug=numbers]")).to_have_attribute("data-state", "")

        server.stop()
        expect(live).to_have_attribute("data-status", "offline", timeout=15_000)
        server.start()
        expect(live).to_have_attribute("data-status", "live", timeout=20_000)

        api.set_run_state(run["id"], "Running")
        expect(state).to_have_attribute("data-state", "Running")
        api.set_task_states(run["id"], [("numbers", -1, "Running")])
        expect(schematic.locator("[data-slug=numbers]")).to_have_attribute("data-state", "Running")
    finally:
        context.close()
        api.close()
        server.stop()
    assert not errors, errors
