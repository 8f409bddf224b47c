"""After a server restart every page recovers by itself once the server is back: no Retry
click, no reload by the user; the sidebar's live status and the page agree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from uiapi import Api
from uiflows import squares
from uiharness import ServerProcess, free_port, new_page, shot

BACK = 30_000  # ms: the server restarts and the page notices (a loaded machine)


def test_pages_opened_while_the_server_is_down_recover_by_themselves(
    browser: Any, tmp_path: Path, ui_ready: None, artifacts: Path
) -> None:
    server = ServerProcess(tmp_path, free_port())
    server.start()
    api = Api(server.url)
    context, page, errors = new_page(browser, server.url)
    try:
        flow = api.register(squares, project="recovery")
        run = api.create_run(flow["id"])
        # Visit the flows list once (its code is in the browser), then the run's page.
        page.goto("/flows")
        expect(page.get_by_test_id("flow-row-squares")).to_be_visible()
        page.goto(f"/runs/{run['id']}")
        live = page.get_by_test_id("live-status")
        expect(live).to_have_attribute("data-status", "live")

        server.stop()
        expect(live).to_have_attribute("data-status", "offline", timeout=BACK)
        # Pages opened while the server is down: one whose data cannot be read, one
        # whose code cannot even be fetched.
        nav = page.get_by_role("navigation", name="Main")
        nav.get_by_role("link", name="Flows").click()
        expect(page.get_by_test_id("unreachable")).to_be_visible(timeout=BACK)
        shot(page, artifacts, "unreachable-while-restarting")

        server.start()
        # Nothing clicked: the page comes back with the server.
        expect(page.get_by_test_id("flow-row-squares")).to_be_visible(timeout=BACK)
        expect(page.get_by_test_id("unreachable")).to_have_count(0)
        expect(live).to_have_attribute("data-status", "live", timeout=BACK)

        server.stop()
        expect(live).to_have_attribute("data-status", "offline", timeout=BACK)
        nav.get_by_role("link", name="Agents").click()
        expect(page.get_by_test_id("unreachable")).to_be_visible(timeout=BACK)
        server.start()
        expect(page.get_by_role("heading", name="Agents")).to_be_visible(timeout=BACK)
        expect(live).to_have_attribute("data-status", "live", timeout=BACK)
        expect(page.get_by_test_id("unreachable")).to_have_count(0)
    finally:
        context.close()
        api.close()
        server.stop()
    assert not errors, errors
