"""The agent health lifecycle with real agents: a clean stop shows as "stopped" (not
"unhealthy") in the UI and the CLI alike, a stopped agent is removed from the UI, another
with `proctor agents rm`, and a running agent cannot be removed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.agent.processes import AgentProcess, proctor, proctor_json, start_server, wait_until
from uiharness import new_page, shot

from proctor.client import Client
from proctor.testing import ServerProcess

SEEN = 60_000  # ms: the agents page re-reads every 15 s; a loaded machine


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def live_server(ui_ready: None, home: Path) -> Iterator[ServerProcess]:
    process = start_server(home)
    yield process
    process.stop()


@pytest.fixture
def page(browser: Any, live_server: ServerProcess) -> Iterator[Any]:
    context, page, errors = new_page(browser, live_server.url)
    yield page
    context.close()
    assert not errors, errors


def health_by_cli(home: Path, server: ServerProcess) -> dict[str, str | None]:
    listed = proctor_json("agents", "ls", home=home, api_url=server.url)
    return {agent["name"]: agent["health"] for agent in listed}


def test_a_clean_stop_shows_stopped_and_stale_agents_can_be_removed(
    page: Any, home: Path, live_server: ServerProcess, artifacts: Path
) -> None:
    url = live_server.url
    first = AgentProcess(home, url, "ui-first-agent")
    second = AgentProcess(home, url, "ui-second-agent")
    running = AgentProcess(home, url, "ui-running-agent")
    try:
        wait_until(lambda: len(health_by_cli(home, live_server)) == 3, 60, "three agents")
        page.goto("/agents")
        table = page.get_by_test_id("agents-table")
        row = table.locator("tr", has_text="ui-first-agent")
        expect(row.locator(".badge")).to_have_text("healthy", timeout=SEEN)
        expect(row.get_by_test_id("remove-agent")).to_have_count(0)

        assert first.stop() == 0 and second.stop() == 0  # SIGTERM: a clean stop
        # The same word in the CLI (server-judged) and on the page, at once and later.
        assert health_by_cli(home, live_server)["ui-first-agent"] == "STOPPED"
        table_cli = proctor("agents", "ls", home=home, api_url=url)
        assert "stopped" in table_cli.stdout and "alive" not in table_cli.stdout
        expect(row.locator(".badge")).to_have_text("stopped", timeout=SEEN)
        shot(page, artifacts, "agents-stopped")
        # The dashboard does not count stopped agents as failing ones.
        page.goto("/")
        card = page.get_by_test_id("agents-healthy")
        expect(card.locator(".value")).to_have_text("1/1")
        expect(card.locator(".foot")).to_have_text("all reporting on time · 2 stopped")
        page.goto("/agents")

        # Removed from the UI, after a confirmation.
        row.get_by_test_id("remove-agent").click()
        page.get_by_role("dialog").get_by_role("button", name="Remove", exact=True).click()
        expect(row).to_have_count(0)
        assert "ui-first-agent" not in health_by_cli(home, live_server)

        # Removed with the CLI, by name; a running agent is refused with the reason.
        removed = proctor("agents", "rm", "ui-second-agent", home=home, api_url=url)
        assert removed.returncode == 0, removed.stderr
        assert "agent ui-second-agent removed" in removed.stdout
        refused = proctor("agents", "rm", "ui-running-agent", home=home, api_url=url)
        assert refused.returncode != 0
        assert "is running" in refused.stderr and "Traceback" not in refused.stderr
        missing = proctor("agents", "rm", "no-such-agent", home=home, api_url=url)
        assert missing.returncode == 2 and "no agent" in missing.stderr
        assert set(health_by_cli(home, live_server)) == {"ui-running-agent"}
        expect(table.locator("tr", has_text="ui-second-agent")).to_have_count(0, timeout=SEEN)
    finally:
        for agent in (first, second, running):
            agent.stop()


def test_an_agent_reporting_a_problem_is_unhealthy_with_the_reason_on_the_page(
    page: Any, home: Path, live_server: ServerProcess, artifacts: Path
) -> None:
    # The problem arrives as a Docker agent's heartbeat sends it when its daemon is down
    # (the agentHeartbeat mutation's `problem`); the tests of tests/docker stop a daemon.
    # Both agents keep beating, as live agents do, so that only the problem can make one
    # unhealthy (the test server's heartbeat interval is short).
    reason = "The Docker daemon does not answer (Cannot connect to the Docker daemon): start it."
    said: dict[str, str | None] = {"problem": reason}
    done = threading.Event()

    def beat() -> None:
        with Client(live_server.url) as api:
            while not done.is_set():
                api.agent_heartbeat(broken.id, said["problem"])
                api.agent_heartbeat(fine.id)
                done.wait(0.5)

    with Client(live_server.url) as api:
        broken = api.register_agent("ui-docker-agent", ["docker"])
        fine = api.register_agent("ui-fine-agent", [])
    beating = threading.Thread(target=beat, daemon=True)
    beating.start()
    try:
        page.goto("/agents")
        table = page.get_by_test_id("agents-table")
        row = table.locator("tr", has_text="ui-docker-agent")
        expect(row.locator(".badge")).to_have_text("unhealthy", timeout=SEEN)
        expect(row.get_by_test_id("agent-problem")).to_have_text(reason, timeout=SEEN)
        other = table.locator("tr", has_text="ui-fine-agent")
        expect(other.locator(".badge")).to_have_text("healthy", timeout=SEEN)
        expect(other.get_by_test_id("agent-problem")).to_have_count(0)
        shot(page, artifacts, "agents-problem")
        # The daemon is back: the next heartbeats carry no problem, and the page follows.
        said["problem"] = None
        expect(row.locator(".badge")).to_have_text("healthy", timeout=SEEN)
        expect(row.get_by_test_id("agent-problem")).to_have_count(0)
    finally:
        done.set()
        beating.join(timeout=30)
