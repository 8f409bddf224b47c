"""The Runs page in a real browser on a real server: filters and sort in the URL (reload
and the back button keep them), bulk cancel with a confirmation naming the count and a
result per run, and the timeline's bars coloured by state, zoomed from a day to an hour
(on the Runs page and the dashboard)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.server.runs_page_data import Seeded, seed_runs
from uiapi import Api
from uiharness import ServerProcess, free_port, new_page, shot

from proctor import Flow, task


@task
def ping() -> int:
    return 1


# Seeded runs are "Running" with no process behind them: the services that would re-queue
# or fail them are off, so the page shows what was seeded.
QUIET = {
    "PROCTOR_SERVER_RETENTION_ENABLED": "false",
    "PROCTOR_SERVER_SERVICES_ZOMBIE_ENABLED": "false",
    "PROCTOR_SERVER_SERVICES_LAZARUS_ENABLED": "false",
}


@pytest.fixture
def quiet_server(ui_ready: None, tmp_path: Any, monkeypatch: Any) -> Iterator[ServerProcess]:
    for name, value in QUIET.items():
        monkeypatch.setenv(name, value)
    process = ServerProcess(tmp_path, free_port())
    process.start(timeout=60)
    yield process
    process.stop()


def _seed(server: ServerProcess, **kwargs: Any) -> Seeded:
    url = f"sqlite+aiosqlite:///{server.home / 'proctor.db'}"
    # Playwright's loop runs in this thread: seed from another one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, seed_runs(url, **kwargs)).result()


@pytest.fixture
def seeded(quiet_server: ServerProcess) -> Iterator[tuple[ServerProcess, Seeded, dict[str, Any]]]:
    """24 runs of three flows that started 10 to 5 hours ago (seeded into the server's
    database), and one run of a fourth flow that started and failed just now."""
    fresh_server = quiet_server
    seeded = _seed(fresh_server, count=24, t0=datetime.now(UTC) - timedelta(hours=10))
    api = Api(fresh_server.url)
    with Flow("hourly") as flow:
        ping()
    registered = api.register(flow, project="ops")
    recent = api.create_run(registered["id"])
    api.set_run_state(recent["id"], "Running")
    api.set_run_state(recent["id"], "Failed", "boom")
    api.close()
    yield fresh_server, seeded, recent


def _page(browser: Any, server: ServerProcess, scheme: str = "light") -> tuple[Any, Any, list[str]]:
    return new_page(browser, server.url, color_scheme=scheme)


def rows(page: Any) -> Any:
    return page.get_by_test_id("run-row")


def test_filters_and_sort_live_in_the_url(browser, seeded, artifacts):
    server, data, _ = seeded
    context, page, errors = _page(browser, server)
    page.goto("/runs")
    expect(rows(page)).to_have_count(25)
    expect(page.locator(".nav-link.active")).to_have_text("Runs")

    page.get_by_test_id("state-Failed").click()
    expect(page).to_have_url(re.compile(r"state=Failed"))
    failed = [r for r in data.runs if r.state_type == "Failed"]
    expect(rows(page)).to_have_count(len(failed) + 1)  # and the run that failed just now
    page.get_by_test_id("filter-flow").select_option("report")
    want = {r.name for r in failed if r.flow_name == "report"}
    expect(rows(page)).to_have_count(len(want))
    assert {row.get_attribute("data-run") for row in rows(page).all()} == want
    page.get_by_test_id("sort-name").click()
    expect(page.get_by_test_id("sort-name")).to_have_text("Run ↑")
    assert "sort=name" in page.url and "flow=report" in page.url

    page.reload()
    expect(page.get_by_test_id("state-Failed")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("filter-flow")).to_have_value("report")
    expect(rows(page)).to_have_count(len(want))
    names = [row.get_attribute("data-run") for row in rows(page).all()]
    assert names == sorted(names)

    rows(page).first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/runs/[0-9a-f-]+$"))
    page.go_back()
    expect(page.get_by_test_id("filter-flow")).to_have_value("report")
    expect(rows(page)).to_have_count(len(want))
    page.go_back()  # before the sort: still filtered, in the default order
    expect(page.get_by_test_id("sort-name")).to_have_text("Run")
    expect(rows(page)).to_have_count(len(want))

    page.get_by_test_id("runs-search").fill(data.runs[3].name)
    expect(page).to_have_url(re.compile(r"q=nightly-1"))
    context.close()
    assert not errors, errors


def test_bulk_cancel_confirms_the_count_and_answers_per_run(browser, seeded, artifacts):
    server, data, _ = seeded
    context, page, errors = _page(browser, server)
    page.goto("/runs?state=Scheduled,Success")
    chosen = [r for r in data.runs if r.state in ("Scheduled", "Success")]
    expect(rows(page)).to_have_count(len(chosen))
    page.get_by_test_id("select-page").check()
    expect(page.get_by_test_id("selected-count")).to_have_text(f"{len(chosen)} runs selected")
    page.get_by_test_id("bulk-cancel").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Cancel {len(chosen)} runs?")
    dialog.get_by_role("button", name="Keep it").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(rows(page)).to_have_count(len(chosen))  # nothing changed

    page.get_by_test_id("bulk-cancel").click()
    page.get_by_role("dialog").get_by_role("button", name=f"Cancel {len(chosen)} runs").click()
    results = page.get_by_test_id("bulk-results")
    scheduled = [r for r in chosen if r.state == "Scheduled"]
    finished = len(chosen) - len(scheduled)
    expect(results).to_contain_text(f"{len(scheduled)} runs cancelled, {finished} runs not")
    expect(results.locator("[data-ok=true]")).to_have_count(len(scheduled))
    expect(results.locator("[data-ok=false]")).to_have_count(finished)
    expect(results.locator("[data-ok=false]").first).to_contain_text("TRANSITION_REJECTED")
    expect(results.locator("[data-ok=true]").first).to_contain_text("now Cancelled")
    # The list re-read: the Scheduled runs are Cancelled now, so only Success ones match.
    expect(rows(page)).to_have_count(finished)
    shot(page, artifacts, "runs-page-bulk-results")
    context.close()
    assert not errors, errors


def _same_colour(page: Any, selector: str, variable: str) -> bool:
    return bool(
        page.evaluate(
            """([selector, variable]) => {
                const bar = document.querySelector(selector);
                const probe = document.createElement("div");
                probe.style.color = `var(${variable})`;
                document.body.appendChild(probe);
                const want = getComputedStyle(probe).color;
                probe.remove();
                return bar !== null && getComputedStyle(bar).fill === want;
            }""",
            [selector, variable],
        )
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_timeline_bars_are_coloured_by_state_and_zoom(browser, seeded, artifacts, scheme):
    server, data, recent = seeded
    context, page, errors = _page(browser, server, scheme)
    page.goto("/runs")
    timeline = page.get_by_test_id("runs-timeline")
    started = [r for r in data.runs if r.start is not None]
    bars = timeline.locator("rect.timeline-bar")
    expect(bars).to_have_count(len(started) + 1)
    expect(timeline.get_by_test_id("timeline-count")).to_contain_text(f"{len(started) + 1} runs")
    for family in ("Failed", "Success", "Running", "Cancelled"):
        selector = f'[data-testid=runs-timeline] rect[data-state="{family}"]'
        assert _same_colour(page, selector, f"--state-{family.lower()}"), family
    assert not _same_colour(
        page, '[data-testid=runs-timeline] rect[data-state="Failed"]', "--state-success"
    )
    if scheme == "light":
        shot(page, artifacts, "runs-page")

    page.get_by_test_id("zoom-1h").click()
    expect(timeline).to_have_attribute("data-zoom", "1h")
    expect(bars).to_have_count(1)  # only the run that started in the last hour
    expect(bars.first).to_have_attribute("data-run", recent["name"])
    assert "zoom=1h" in page.url
    chart = timeline.locator(".timeline-scroll")
    chart.dispatch_event("wheel", {"deltaY": 200})  # the wheel zooms back out, one step
    expect(timeline).to_have_attribute("data-zoom", "3h")
    chart.dispatch_event("wheel", {"deltaY": -200})
    expect(timeline).to_have_attribute("data-zoom", "1h")

    page.goto("/")  # the dashboard has the same timeline
    card = page.get_by_test_id("timeline-card")
    expect(card.locator("rect.timeline-bar")).to_have_count(len(started) + 1)
    card.get_by_test_id("zoom-1h").click()
    expect(card.locator("rect.timeline-bar")).to_have_count(1)
    card.locator("rect.timeline-bar").first.click()
    expect(page).to_have_url(re.compile(recent["id"]))
    context.close()
    assert not errors, errors


def test_a_crowded_timeline_is_capped_and_says_so(browser, quiet_server, artifacts):
    """1,500 runs in 6 hours, 1,250 of them started: the timeline draws the first 1,000,
    says how many it leaves out, and still answers a click on its zoom."""
    data = _seed(
        quiet_server,
        count=1500,
        t0=datetime.now(UTC) - timedelta(hours=8),
        step=timedelta(minutes=1),
    )
    started = len([r for r in data.runs if r.start is not None])
    assert started > 1000
    context, page, errors = _page(browser, quiet_server)
    page.goto("/runs?zoom=12h")
    timeline = page.get_by_test_id("runs-timeline")
    expect(timeline.get_by_test_id("timeline-count")).to_contain_text(
        f"showing 1,000 of {started:,} runs", timeout=60_000
    )
    expect(timeline.locator("rect.timeline-bar")).to_have_count(1000)
    page.get_by_test_id("zoom-24h").click()
    expect(timeline).to_have_attribute("data-zoom", "24h")
    expect(timeline.locator("rect.timeline-bar")).to_have_count(1000)
    context.close()
    assert not errors, errors
