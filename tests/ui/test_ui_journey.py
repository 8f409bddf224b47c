"""The main journey in a real browser against a real server: find a flow, start a run
from the generated form (a bad value first), watch it go live to Success while the test
reports states and logs through the API, read the logs, open a task run."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from uiapi import Api
from uiflows import squares
from uiharness import shot


def test_find_flow_run_it_and_watch_it_live(page: Any, api: Api, artifacts: Path) -> None:
    flow = api.register(squares, project="journey")

    page.goto("/")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_test_id("live-status")).to_have_attribute("data-status", "live")
    shot(page, artifacts, "dashboard")

    page.get_by_role("link", name="Flows").click()
    expect(page).to_have_url(re.compile(r"/flows$"))
    page.get_by_test_id("flow-search").fill("squar")
    expect(page).to_have_url(re.compile(r"q=squar"))
    row = page.get_by_test_id("flow-row-squares")
    expect(row).to_be_visible()
    shot(page, artifacts, "flows")
    row.get_by_role("link", name="squares").click()
    expect(page).to_have_url(re.compile(rf"/flows/{flow['id']}$"))
    expect(page.get_by_test_id("schematic").locator("[data-slug=square]")).to_be_visible()
    shot(page, artifacts, "flow-overview")

    page.get_by_role("tab", name="Run", exact=True).click()
    expect(page).to_have_url(re.compile(r"tab=run"))
    count = page.get_by_test_id("param-count")
    expect(count).to_have_value("3")
    count.fill("three")
    count.blur()
    expect(page.get_by_test_id("param-count-error")).to_have_text("Enter a whole number.")
    page.get_by_test_id("run-submit").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("Fix the highlighted field")
    shot(page, artifacts, "run-form-invalid")
    assert api.gql("{ flowRuns { totalCount } }")["flowRuns"]["totalCount"] == 0

    count.fill("4")
    expect(page.get_by_test_id("param-count-error")).to_be_empty()
    page.get_by_test_id("param-label").fill("total")
    page.get_by_test_id("run-submit").click()
    expect(page).to_have_url(re.compile(r"/runs/[0-9a-f-]+$"))
    run_id = page.url.rsplit("/", 1)[1]
    assert api.run(run_id)["parameters"] == {"count": 4, "label": "total", "verbose": False}
    header = page.locator(".page-head")
    expect(header.locator("[data-state]")).to_have_attribute("data-state", "Scheduled")

    # The run goes live: every change below comes from the API, the page only listens.
    api.set_run_state(run_id, "Running")
    expect(header.locator("[data-state]")).to_have_attribute("data-state", "Running")
    api.set_task_states(run_id, [("count", -1, "Success"), ("label", -1, "Success")])
    api.set_task_states(run_id, [("numbers", -1, "Running")])
    time.sleep(0.2)
    api.set_task_states(run_id, [("numbers", -1, "Success")])
    api.set_task_states(run_id, [("square", i, "Running") for i in range(4)])
    schematic = page.get_by_test_id("schematic")
    expect(schematic.locator("[data-slug=square]")).to_have_attribute("data-state", "Running")
    gantt = page.get_by_test_id("gantt")
    expect(gantt.locator("[data-testid=gantt-row][data-slug=square]")).to_contain_text("\u00d74")
    shot(page, artifacts, "flow-run-running")
    api.write_logs(run_id, [(20, f"squaring {i}", "square", i) for i in range(4)])
    time.sleep(0.3)
    api.set_task_states(run_id, [("square", i, "Success") for i in range(4)])
    api.set_task_states(run_id, [("square", -1, "Mapped"), ("total", -1, "Running")])
    api.write_logs(run_id, [(30, "the total is large", "total"), (40, "a recoverable error", None)])
    time.sleep(0.2)
    api.set_task_states(run_id, [("total", -1, "Success")])
    api.set_run_state(run_id, "Success", "All reference tasks succeeded.")

    expect(header.locator("[data-state]")).to_have_attribute("data-state", "Success")
    expect(schematic.locator("[data-slug=total]")).to_have_attribute("data-state", "Success")
    expect(schematic.locator("[data-slug=square]")).to_have_attribute("data-state", "Mapped")
    square_row = gantt.locator("[data-testid=gantt-row][data-slug=square]").first
    expect(square_row).to_have_attribute("data-state", "Success")
    expect(gantt.locator("[data-testid=gantt-row][data-slug=total]")).to_have_attribute(
        "data-state", "Success"
    )
    page.get_by_role("button", name="Expand square").click()
    expect(gantt.locator("[data-testid=gantt-row][data-slug=square]")).to_have_count(5)
    shot(page, artifacts, "flow-run-success")

    # Task runs, filtered by state.
    page.get_by_role("tab", name=re.compile("Task runs")).click()
    table = page.get_by_test_id("task-run-table")
    expect(table.get_by_test_id("task-run-row")).to_have_count(9)
    page.get_by_test_id("task-state-filter").select_option("Success")
    expect(table.get_by_test_id("task-run-row")).to_have_count(9)
    shot(page, artifacts, "flow-run-task-runs")

    # Logs: all lines, search, level filter, download.
    page.get_by_role("tab", name="Logs", exact=True).click()
    logs = page.get_by_test_id("log-view")
    expect(logs.get_by_test_id("log-line")).to_have_count(6)
    shot(page, artifacts, "flow-run-logs")
    logs.get_by_test_id("log-search").fill("squaring 2")
    expect(logs.get_by_test_id("log-line")).to_have_count(1)
    expect(logs.locator("mark")).to_have_text("squaring 2")
    logs.get_by_test_id("log-search").fill("")
    logs.get_by_test_id("log-level").select_option("30")
    expect(logs.get_by_test_id("log-line")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"level=30"))
    with page.expect_download() as download:
        logs.get_by_test_id("log-download").click()
    text = Path(download.value.path()).read_text()
    assert "WARNING  total: the total is large" in text
    assert "ERROR    flow: a recoverable error" in text

    # New lines arrive while the logs are open (live tail).
    logs.get_by_test_id("log-level").select_option("0")
    api.write_logs(run_id, [(20, "one more line", "total")])
    expect(logs.get_by_test_id("log-line").last).to_contain_text("one more line")

    page.get_by_role("tab", name="Parameters").click()
    expect(page.get_by_test_id("parameters")).to_contain_text('"total"')
    page.get_by_role("tab", name=re.compile("State history")).click()
    expect(page.get_by_test_id("state-history")).to_contain_text("All reference tasks succeeded.")
    shot(page, artifacts, "flow-run-history")

    # A task run: its history and its upstream links.
    page.goto(f"/runs/{run_id}/tasks/total")
    expect(page.get_by_test_id("state-history")).to_contain_text("Running")
    expect(page.get_by_test_id("state-history")).to_contain_text("Success")
    upstream = page.get_by_test_id("upstream")
    expect(upstream.get_by_role("link", name="square")).to_be_visible()
    shot(page, artifacts, "task-run")
    upstream.get_by_role("link", name="square").click()
    expect(page).to_have_url(re.compile(rf"/runs/{run_id}/tasks/square$"))
    page.get_by_role("tab", name="Mapped children").click()
    expect(page.get_by_test_id("task-run-row")).to_have_count(4)
    page.get_by_test_id("task-run-row").nth(2).get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/runs/{run_id}/tasks/square/2$"))
    page.get_by_role("tab", name="Logs", exact=True).click()
    expect(page.get_by_test_id("log-line")).to_have_count(1)
    expect(page.get_by_test_id("log-line")).to_contain_text("squaring 2")

    # Back and forward walk the history (switching tabs replaces the entry).
    page.go_back()
    expect(page).to_have_url(re.compile(r"/tasks/square\?tab=children$"))
    expect(page.get_by_test_id("task-run-row")).to_have_count(4)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/tasks/total$"))
    page.go_forward()
    page.go_forward()
    expect(page).to_have_url(re.compile(r"/tasks/square/2\?tab=logs$"))
    expect(page.get_by_test_id("log-line")).to_contain_text("squaring 2")

    # More activity for the dashboard: a failure with its message, a run in progress,
    # one waiting.
    failed = api.create_run(flow["id"], {"count": 2})
    api.set_run_state(failed["id"], "Running")
    api.set_task_states(failed["id"], [("numbers", -1, "Failed")], message="ValueError: bad input")
    api.set_run_state(failed["id"], "Failed", "ValueError: count must be positive (task numbers)")
    running = api.create_run(flow["id"], {"count": 8})
    api.set_run_state(running["id"], "Running")
    api.create_run(flow["id"], {"count": 1})
    page.get_by_role("link", name="Dashboard").click()
    # The failure names the task run that failed by itself, with its exception.
    expect(page.get_by_test_id("failures")).to_contain_text("numbers: ValueError: bad input")
    expect(page.get_by_test_id("in-progress")).to_contain_text("squares")
    expect(page.get_by_test_id("upcoming")).to_contain_text("squares")
    expect(page.get_by_test_id("success-rate")).to_contain_text("50%")
    shot(page, artifacts, "dashboard-activity")
