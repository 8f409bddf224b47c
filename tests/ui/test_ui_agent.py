"""The UI with nothing simulated: a real server (fast services), real `proctor agent start`
processes and run processes, the repository's examples registered with `proctor
register`. The browser starts a run from the form and watches the agent run it live,
cancels a long run (the agent's run process stops), and toggles a schedule.

Waits are on conditions with generous time limits (a loaded 2-core machine runs these);
nothing sleeps to let time pass.
"""

from __future__ import annotations

import re
import runpy
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil
import pytest
from playwright.sync_api import expect
from tests.agent.processes import (
    EXAMPLES,
    FLOWS,
    AgentProcess,
    proctor_json,
    start_server,
    wait_until,
)
from uiapi import Api
from uiharness import new_page, shot

from proctor.testing import ServerProcess

LIVE = 90_000  # ms: the longest a live change may take to show on a loaded machine

# Every value a watched element's `data-state` takes while the page is open, recorded by a
# MutationObserver in the page: proof that the page changed by itself, without a reload.
RECORD_STATES = """() => {
  window.__noReload = true;
  window.__states = {};
  const note = (el) => {
    const key = el.closest('[data-testid=gantt]') ? 'gantt:' + el.dataset.slug
      : el.closest('[data-testid=schematic]') ? 'schematic:' + el.dataset.slug : 'header';
    const seen = (window.__states[key] ??= []);
    const value = el.getAttribute('data-state');
    if (seen[seen.length - 1] !== value) seen.push(value);
  };
  const watch = () => document.querySelectorAll(
    '.page-head [data-state], [data-testid=schematic] [data-slug], [data-testid=gantt-row]'
  ).forEach(note);
  watch();
  new MutationObserver(watch).observe(document.body,
    { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
}"""

# The computed fill of a schematic node's state bar, and of the Success colour.
NODE_FILL = """(slug) => {
  const node = document.querySelector(`[data-testid=schematic] [data-slug="${slug}"]`);
  return getComputedStyle(node.querySelector('rect[width="5"]')).fill;
}"""
SUCCESS_FILL = """() => {
  const svg = document.querySelector('[data-testid=schematic] svg');
  const probe = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  probe.style.fill = 'var(--state-success)';
  svg.appendChild(probe);
  const fill = getComputedStyle(probe).fill;
  probe.remove();
  return fill;
}"""


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ui-agent-home")


@pytest.fixture(scope="module")
def live_server(ui_ready: None, home: Path) -> Iterator[ServerProcess]:
    """A server with short service intervals, on its own SQLite file."""
    process = start_server(home)
    yield process
    process.stop()


@pytest.fixture
def agents(home: Path, live_server: ServerProcess) -> Iterator[list[AgentProcess]]:
    started: list[AgentProcess] = []
    yield started
    for agent in started:
        agent.stop()


@pytest.fixture
def page(browser: Any, live_server: ServerProcess) -> Iterator[Any]:
    context, page, errors = new_page(browser, live_server.url)
    yield page
    context.close()
    assert not errors, errors


def register(path: Path, home: Path, server: ServerProcess, label: str) -> dict[str, Any]:
    [registered] = proctor_json(
        "register", str(path), "--project", "ui-agents", "--label", label,
        home=home, api_url=server.url,
    )  # fmt: skip
    return registered["flow"]


def states_seen(page: Any) -> dict[str, list[str]]:
    return page.evaluate("() => window.__states")


def test_a_run_started_from_the_form_goes_live_to_success_with_a_real_agent(
    page: Any,
    home: Path,
    live_server: ServerProcess,
    agents: list[AgentProcess],
    artifacts: Path,
) -> None:
    label = f"ui-etl-{uuid.uuid4().hex[:6]}"
    flow = register(EXAMPLES / "etl.py", home, live_server, label)
    api = Api(live_server.url)

    page.goto("/")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_test_id("live-status")).to_have_attribute("data-status", "live")
    page.get_by_role("link", name="Flows").click()
    page.get_by_test_id("flow-search").fill("etl")
    row = page.get_by_test_id("flow-row-etl")
    expect(row).to_be_visible()
    shot(page, artifacts, "agent-flows")
    row.get_by_role("link", name="etl").click()
    expect(page).to_have_url(re.compile(rf"/flows/{flow['id']}$"))
    expect(page.get_by_test_id("schematic").locator("[data-slug=load]")).to_be_visible()
    shot(page, artifacts, "agent-flow")

    # The form: a bad value is explained before anything is sent, then a good one runs.
    page.get_by_test_id("open-run-form").click()
    pages = page.get_by_test_id("param-pages")
    expect(pages).to_have_value("3")
    pages.fill("three")
    pages.blur()
    expect(page.get_by_test_id("param-pages-error")).to_have_text("Enter a whole number.")
    page.get_by_test_id("run-submit").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("Fix the highlighted field")
    shot(page, artifacts, "agent-run-form-invalid")
    runs = "query($f: ID!) { flowRuns(flowId: $f) { totalCount } }"
    assert api.gql(runs, {"f": flow["id"]})["flowRuns"]["totalCount"] == 0
    pages.fill("2")
    expect(page.get_by_test_id("param-pages-error")).to_be_empty()
    page.get_by_test_id("run-submit").click()
    expect(page).to_have_url(re.compile(r"/runs/[0-9a-f-]+$"))
    run_id = page.url.rsplit("/", 1)[1]
    assert api.run(run_id)["parameters"] == {"pages": 2, "rate": 1.1}

    # No agent covers the label yet: the run waits, and the page shows it waiting.
    header = page.locator(".page-head [data-state]")
    schematic = page.get_by_test_id("schematic")
    expect(header).to_have_attribute("data-state", "Scheduled")
    expect(schematic.locator("[data-slug=load]")).to_have_attribute("data-state", "")
    expect(page.get_by_text("No task has run yet")).to_be_visible()
    pending_fill = page.evaluate(NODE_FILL, "load")
    page.evaluate(RECORD_STATES)
    shot(page, artifacts, "agent-run-waiting")

    # An agent starts; everything below arrives by subscription while the page stays open.
    agents.append(AgentProcess(home, live_server.url, "ui-etl-agent", labels=[label]))
    expect(header).to_have_attribute("data-state", "Success", timeout=LIVE)
    expect(schematic.locator("[data-slug=load]")).to_have_attribute(
        "data-state", "Success", timeout=LIVE
    )
    expect(schematic.locator("[data-slug=extract]")).to_have_attribute(
        "data-state", "Mapped", timeout=LIVE
    )
    gantt = page.get_by_test_id("gantt")
    expect(gantt.locator("[data-testid=gantt-row][data-slug=load]")).to_have_attribute(
        "data-state", "Success", timeout=LIVE
    )
    extract_row = gantt.locator("[data-testid=gantt-row][data-slug=extract]").first
    expect(extract_row).to_have_attribute("data-state", "Success", timeout=LIVE)
    expect(extract_row).to_contain_text("\u00d72")
    assert page.evaluate("() => window.__noReload") is True
    seen = states_seen(page)
    assert seen["header"][0] == "Scheduled" and seen["header"][-1] == "Success", seen
    assert seen["schematic:load"][0] == "" and seen["schematic:load"][-1] == "Success", seen
    assert seen["gantt:load"][-1] == "Success", seen
    success_fill = page.evaluate(NODE_FILL, "load")
    assert success_fill != pending_fill
    assert success_fill == page.evaluate(SUCCESS_FILL)
    page.get_by_role("button", name="Expand extract").click()
    expect(gantt.locator("[data-testid=gantt-row][data-slug=extract]")).to_have_count(3)
    shot(page, artifacts, "agent-run-success")

    # Its logs, as the run process wrote them (the first extract attempts failed).
    page.get_by_role("tab", name="Logs", exact=True).click()
    logs = page.get_by_test_id("log-view")
    expect(logs.get_by_test_id("log-line").filter(has_text="loaded 8 rows")).to_have_count(1)
    logs.get_by_test_id("log-search").fill("will retry")
    expect(logs.get_by_test_id("log-line").first).to_contain_text("will retry")
    shot(page, artifacts, "agent-run-logs")

    # A task run's page, then the same URL reloaded (the deep link reads it by itself).
    page.goto(f"/runs/{run_id}/tasks/extract/1")
    history = page.get_by_test_id("state-history")
    expect(history).to_contain_text("Retrying")
    expect(history).to_contain_text("Success")
    page.reload()
    expect(page.get_by_test_id("state-history")).to_contain_text("Success")
    expect(
        page.get_by_test_id("upstream").get_by_role("link", name="pages_to_fetch")
    ).to_be_visible()
    shot(page, artifacts, "agent-task-run")
    page.goto(f"/runs/{run_id}/tasks/extract?tab=children")
    expect(page.get_by_test_id("task-run-row")).to_have_count(2)

    # The agent as the Agents page shows it.
    page.goto("/agents")
    agent_row = page.get_by_test_id("agents-table").locator("tr", has_text="ui-etl-agent")
    expect(agent_row.locator(".badge")).to_have_text("healthy")
    # The runs it claimed, newest last, each a link to the run.
    expect(
        agent_row.get_by_test_id("recent-runs").locator(f'a[href="/runs/{run_id}"]')
    ).to_have_count(1)
    shot(page, artifacts, "agent-agents")
    api.close()


def test_cancelling_a_long_run_from_the_ui_stops_the_agents_run_process(
    page: Any,
    home: Path,
    live_server: ServerProcess,
    agents: list[AgentProcess],
    artifacts: Path,
) -> None:
    label = f"ui-sleepy-{uuid.uuid4().hex[:6]}"
    register(FLOWS / "sleepy.py", home, live_server, label)
    agent = AgentProcess(home, live_server.url, "ui-sleepy-agent", labels=[label])
    agents.append(agent)
    created = proctor_json(
        "run", "sleepy", "--project", "ui-agents", home=home, api_url=live_server.url
    )

    page.goto(f"/runs/{created['id']}")
    nap = page.get_by_test_id("gantt").locator("[data-testid=gantt-row][data-slug=nap]")
    expect(nap).to_have_attribute("data-state", "Running", timeout=LIVE)
    processes = wait_until(agent.run_processes, 60, "the agent's run process")
    shot(page, artifacts, "agent-run-long")

    page.get_by_test_id("cancel-run").click()
    page.get_by_role("dialog").get_by_role("button", name="Cancel run").click()
    header = page.locator(".page-head [data-state]")
    expect(header).to_have_attribute("data-state", "Cancelled", timeout=LIVE)
    expect(nap).to_have_attribute("data-state", "Cancelled", timeout=LIVE)
    expect(page.get_by_test_id("schematic").locator("[data-slug=start]")).to_have_attribute(
        "data-state", "Success"
    )

    def gone(pid: int) -> bool:
        try:
            return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return True

    wait_until(lambda: all(gone(pid) for pid in processes), 60, "the run process to stop")
    assert agent.process.poll() is None  # the agent itself keeps serving
    shot(page, artifacts, "agent-run-cancelled")


def test_a_schedule_shows_its_next_times_and_toggles(
    page: Any, home: Path, live_server: ServerProcess, artifacts: Path
) -> None:
    flow = register(EXAMPLES / "scheduled.py", home, live_server, "ui-scheduled")
    expected = runpy.run_path(str(EXAMPLES / "scheduled.py"))["schedule"].next(5)
    api = Api(live_server.url)
    active = "query($id: ID!) { flow(id: $id) { scheduleActive } }"

    page.goto(f"/flows/{flow['id']}")
    card = page.get_by_test_id("schedule-card")
    expect(card).to_contain_text("cron 30 6 * * * (Europe/Berlin)")
    expect(card.get_by_test_id("schedule-status")).to_have_text("Active")
    expect(page.get_by_test_id("schematic").locator("[data-slug=refresh]")).to_be_visible()
    times = card.get_by_test_id("next-run-time")
    expect(times).to_have_count(5)
    shown = [
        datetime.fromisoformat(t) for t in times.evaluate_all("els => els.map(e => e.dataset.time)")
    ]
    assert shown == expected
    shot(page, artifacts, "agent-flow-schedule")

    card.get_by_test_id("schedule-toggle").click()
    expect(card.get_by_test_id("schedule-status")).to_have_text("Paused")
    expect(card.get_by_test_id("next-run-times")).to_contain_text("paused: no run is created")
    assert api.gql(active, {"id": flow["id"]})["flow"]["scheduleActive"] is False
    card.get_by_test_id("schedule-toggle").click()
    expect(card.get_by_test_id("schedule-status")).to_have_text("Active")
    assert api.gql(active, {"id": flow["id"]})["flow"]["scheduleActive"] is True
    api.close()
