"""Tracebacks can be read in the UI: a real agent runs a flow whose task raises; its log
line expands to the whole multi-line message (click and keyboard), and the task run page
shows the exception and its traceback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from uiharness import new_page, shot
from uirealrun import RealRuns, real_runs

LIVE = 90_000  # ms: generous on a loaded machine


@pytest.fixture(scope="module")
def runs(ui_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealRuns]:
    with real_runs(tmp_path_factory.mktemp("ui-tracebacks"), "failing.py", "ui-tb") as runs:
        yield runs


@pytest.fixture
def page(browser: Any, runs: RealRuns) -> Iterator[Any]:
    context, page, errors = new_page(browser, runs.server.url)
    yield page
    context.close()
    assert not errors, errors


def test_a_log_line_expands_to_its_traceback(page: Any, runs: RealRuns, artifacts: Path) -> None:
    run_id = runs.run("fails")["id"]
    page.goto(f"/runs/{run_id}?tab=logs")
    expect(page.locator(".page-head [data-state]")).to_have_attribute(
        "data-state", "Failed", timeout=LIVE
    )
    logs = page.get_by_test_id("log-view")
    error = logs.get_by_test_id("log-line").filter(has_text="Task parse failed")
    expect(error).to_have_count(1, timeout=LIVE)
    # Collapsed: one line, the traceback not shown.
    expect(error.get_by_test_id("log-full")).to_have_count(0)
    toggle = error.get_by_role("button")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    full = error.get_by_test_id("log-full")
    expect(full).to_be_visible()
    expect(full).to_contain_text("Traceback (most recent call last)")
    expect(full).to_contain_text("in check_row")
    expect(full).to_contain_text("ValueError: bad row 3: the amount is negative")
    # The lines below move down to make room: the next line starts after the traceback.
    box = full.bounding_box()
    assert box is not None and box["height"] > 60, box
    shot(page, artifacts, "log-traceback")
    # The keyboard does the same: Enter folds it again, Space opens it.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(error.get_by_test_id("log-full")).to_have_count(0)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    page.keyboard.press(" ")
    expect(error.get_by_test_id("log-full")).to_contain_text("in check_row")


def test_the_task_run_page_shows_the_exception_and_traceback(page: Any, runs: RealRuns) -> None:
    run_id = runs.run("fails")["id"]
    page.goto(f"/runs/{run_id}/tasks/parse")
    failure = page.get_by_test_id("task-failure")
    expect(failure).to_be_visible(timeout=LIVE)
    expect(failure.get_by_test_id("task-exception")).to_have_text(
        "ValueError: bad row 3: the amount is negative", timeout=LIVE
    )
    traceback = failure.get_by_test_id("task-traceback")
    expect(traceback).to_contain_text("Traceback (most recent call last)", timeout=LIVE)
    expect(traceback).to_contain_text('raise ValueError(f"bad row {row}: the amount is negative")')
