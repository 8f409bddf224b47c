"""The team settings page shows the run-history retention policy and the database's size,
and an owner changes the team's own policy there (a real browser, a real server)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from uiapi import Api
from uiharness import ServerProcess, new_page, shot


def test_the_team_page_shows_and_changes_the_retention_policy(
    browser: Any, fresh_server: ServerProcess, artifacts: Path
) -> None:
    context, page, errors = new_page(browser, fresh_server.url)
    try:
        page.goto("/team?tab=retention")
        card = page.get_by_test_id("retention-policy")
        expect(card.get_by_test_id("retention-days")).to_have_text("30 days (server default)")
        expect(card.get_by_test_id("retention-keep")).to_contain_text("10 newest runs")
        size = card.get_by_test_id("database-size")
        expect(size).to_have_text(re.compile(r"^[0-9.]+ (KB|MB|GB) \(sqlite, all teams\)$"))
        shown = _bytes(size.inner_text())
        shot(page, artifacts, "team-retention")

        form = page.get_by_test_id("retention-form")
        form.get_by_label("Days to keep runs").fill("-2")
        form.get_by_role("button", name="Save").click()
        expect(form.get_by_test_id("retention-error")).to_contain_text("Days")
        form.get_by_label("Days to keep runs").fill("7")
        form.get_by_role("button", name="Save").click()
        expect(card.get_by_test_id("retention-days")).to_have_text("7 days (this team)")
        expect(card.get_by_test_id("retention-keep")).to_contain_text("(server default)")
    finally:
        context.close()
    assert not errors, errors
    # What the page set is what the API answers.
    api = Api(fresh_server.url)
    try:
        policy = api.gql(
            "{ retentionPolicy { days team { days keepNewestRuns } databaseSizeBytes } }"
        )["retentionPolicy"]
    finally:
        api.close()
    assert (policy["days"], policy["team"]) == (7, {"days": 7, "keepNewestRuns": None})
    # The size shown is the file's (it may have grown a little since the page read it).
    assert (
        shown <= policy["databaseSizeBytes"] * 1.001 and shown > 0.5 * policy["databaseSizeBytes"]
    )


def _bytes(text: str) -> float:
    number, unit = text.split()[:2]
    return float(number) * {"KB": 1e3, "MB": 1e6, "GB": 1e9}[unit]
