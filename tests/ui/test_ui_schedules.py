"""The flow page's Schedule and Backfills tabs in a real browser against a real server:
add a cron clock with a time zone (its next 10 times previewed while typing, a bad zone
and bad parameter defaults refused in the form), the override banner and the reset, the
on/off switch; a backfill's dry run, its creation and its progress page, and cancelling it."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from uiapi import Api
from uiflows import heartbeat
from uiharness import ServerProcess, new_page, shot

SCHEDULE = (
    "query($id: ID!) { flowSchedule(flowId: $id) { source active clocks { kind cron timezone } } }"
)
RUNS = "query($id: ID!) { backfill(id: $id) { state runs { id state } } }"


def test_a_cron_clock_is_added_previewed_toggled_and_reset(
    browser: Any, fresh_server: ServerProcess, artifacts: Path
) -> None:
    api = Api(fresh_server.url)
    flow = api.register(heartbeat, project="sched")
    context, page, errors = new_page(browser, fresh_server.url)
    try:
        page.goto(f"/flows/{flow['id']}?tab=schedule")
        expect(page.get_by_test_id("clock-row")).to_have_count(1)
        expect(page.get_by_test_id("schedule-override-banner")).to_have_count(0)

        page.get_by_test_id("add-clock").click()
        editor = page.get_by_test_id("clock-editor")
        editor.get_by_test_id("clock-kind-cron").click()
        editor.get_by_test_id("clock-cron").fill("0 9 * * *")
        editor.get_by_test_id("clock-timezone").fill("Mars/Olympus")
        expect(editor.get_by_test_id("clock-preview-error")).to_contain_text("Mars/Olympus")
        expect(editor.get_by_test_id("clock-save")).to_be_disabled()
        editor.get_by_test_id("clock-timezone").fill("Europe/Berlin")
        times = editor.get_by_test_id("preview-time")
        expect(times).to_have_count(10)
        starts = [
            datetime.fromisoformat(t)
            for t in (times.nth(i).get_attribute("data-time") for i in range(10))
            if t
        ]
        # 09:00 in Berlin: 08:00 UTC in winter, 07:00 in summer, one day apart.
        assert all(s.minute == 0 and s.hour in (7, 8) for s in starts), starts
        assert all(
            timedelta(hours=23) <= b - a <= timedelta(hours=25)
            for a, b in itertools.pairwise(starts)
        )
        editor.get_by_test_id("clock-defaults").fill('{"count": 3}')
        expect(editor.get_by_test_id("clock-defaults-error")).to_contain_text(
            'Unknown parameter "count"'
        )
        expect(editor.get_by_test_id("clock-save")).to_be_disabled()
        editor.get_by_test_id("clock-defaults").fill("{}")
        shot(page, artifacts, "flow-schedule-editor")
        editor.get_by_test_id("clock-save").click()

        expect(page.get_by_test_id("schedule-override-banner")).to_contain_text(
            "overrides the schedule in code"
        )
        expect(page.get_by_test_id("clock-row")).to_have_count(2)
        expect(page.get_by_test_id("clock-row").nth(1)).to_contain_text("0 9 * * *")
        expect(page.get_by_test_id("clock-row").nth(1)).to_contain_text("Europe/Berlin")
        shot(page, artifacts, "flow-schedule-override")
        saved = api.gql(SCHEDULE, {"id": flow["id"]})["flowSchedule"]
        assert saved["source"] == "override" and saved["clocks"][1] == {
            "kind": "cron", "cron": "0 9 * * *", "timezone": "Europe/Berlin"
        }  # fmt: skip

        toggle = page.get_by_test_id("schedule-active-toggle")
        expect(toggle).to_have_attribute("aria-checked", "true")
        toggle.click()
        expect(toggle).to_have_attribute("aria-checked", "false")
        expect(page.get_by_test_id("schedule-state")).to_contain_text("Off")
        assert api.gql(SCHEDULE, {"id": flow["id"]})["flowSchedule"]["active"] is False

        page.get_by_test_id("schedule-reset").click()
        page.get_by_role("dialog").get_by_role("button", name="Reset").click()
        expect(page.get_by_test_id("schedule-override-banner")).to_have_count(0)
        expect(page.get_by_test_id("clock-row")).to_have_count(1)
        assert api.gql(SCHEDULE, {"id": flow["id"]})["flowSchedule"]["source"] == "code"
    finally:
        context.close()
        api.close()
    assert not errors, errors


def test_a_backfill_is_dry_run_created_followed_and_cancelled(
    browser: Any, fresh_server: ServerProcess, artifacts: Path
) -> None:
    api = Api(fresh_server.url)
    flow = api.register(heartbeat, project="fill")  # hourly, anchored at 2020-01-01 00:00 UTC
    context, page, errors = new_page(browser, fresh_server.url)
    try:
        page.goto(f"/flows/{flow['id']}?tab=backfills")
        form = page.get_by_test_id("new-backfill")
        form.get_by_test_id("backfill-start").fill("2026-01-01T00:00")
        form.get_by_test_id("backfill-end").fill("2026-01-01T06:00")
        form.get_by_test_id("backfill-limit").fill("2")
        form.get_by_test_id("backfill-dry-run").click()
        summary = form.get_by_test_id("backfill-preview-summary")
        expect(summary).to_contain_text("6 runs would be created: 6 scheduled times")
        expect(summary).to_contain_text("0 already have a run")
        expect(form.get_by_test_id("backfill-time")).to_have_count(6)  # first 5, last 1
        shot(page, artifacts, "flow-backfill-dry-run")
        form.get_by_test_id("backfill-create").click()

        expect(page.get_by_test_id("backfill-state")).to_have_text("Running")
        progress = page.get_by_test_id("backfill-progress")
        expect(progress).to_have_attribute("data-total", "6")
        expect(progress).to_have_attribute("data-finished", "0")
        expect(page.get_by_test_id("backfill-run")).to_have_count(2)  # two at once
        backfill_id = page.url.rsplit("/", 1)[1]
        # Two runs end (cancelled by hand): the backfill makes the next two, the page follows.
        for run in api.gql(RUNS, {"id": backfill_id})["backfill"]["runs"]:
            api.gql("mutation($id: ID!) { cancelFlowRun(id: $id) { state } }", {"id": run["id"]})
        expect(progress).to_have_attribute("data-finished", "2", timeout=30_000)
        expect(page.get_by_test_id("backfill-run")).to_have_count(4, timeout=30_000)
        expect(progress).to_contain_text("2 of 6 finished")
        shot(page, artifacts, "backfill-progress")

        page.get_by_test_id("backfill-cancel").click()
        page.get_by_role("dialog").get_by_role("button", name="Cancel backfill").click()
        expect(page.get_by_test_id("backfill-state")).to_have_text("Cancelled")
        expect(progress).to_have_attribute("data-finished", "4")
        final = api.gql(RUNS, {"id": backfill_id})["backfill"]
        assert final["state"] == "Cancelled"
        assert sorted(r["state"] for r in final["runs"]) == ["Cancelled"] * 4

        page.goto(f"/flows/{flow['id']}?tab=backfills")
        expect(page.get_by_test_id("backfill-row")).to_have_count(1)
        expect(page.get_by_test_id("backfill-row")).to_contain_text("Cancelled")
    finally:
        context.close()
        api.close()
    assert not errors, errors


CLOCKS = "query($id: ID!) { flowSchedule(flowId: $id) { clocks { kind intervalSeconds cron } } }"
ADD_CRON = (
    "mutation($id: ID!, $cron: String!) { addScheduleClock(flowId: $id, "
    'clock: {kind: "cron", cron: $cron}) { version } }'
)
STALE = "This schedule was changed by someone else since you opened it: reload to see it"


def test_an_edit_made_on_a_schedule_someone_changed_since_is_refused_until_reloaded(
    browser: Any, fresh_server: ServerProcess, artifacts: Path
) -> None:
    api = Api(fresh_server.url)
    flow = api.register(heartbeat, project="stale")  # one clock: every 3600 s
    context, page, errors = new_page(browser, fresh_server.url)
    try:
        page.goto(f"/flows/{flow['id']}?tab=schedule")
        expect(page.get_by_test_id("clock-row")).to_have_count(1)
        page.get_by_test_id("edit-clock").click()
        editor = page.get_by_test_id("clock-editor")
        editor.get_by_test_id("clock-interval").fill("7200")
        expect(editor.get_by_test_id("preview-time")).to_have_count(10)
        # Someone else (the CLI, another tab) adds a clock while this form is open.
        api.gql(ADD_CRON, {"id": flow["id"], "cron": "0 6 * * *"})

        editor.get_by_test_id("clock-save").click()
        stale = page.get_by_test_id("schedule-stale")
        expect(stale).to_contain_text(STALE)
        shot(page, artifacts, "flow-schedule-stale")
        # Nothing overwritten, nothing typed lost, the old table still on screen.
        assert api.gql(CLOCKS, {"id": flow["id"]})["flowSchedule"]["clocks"] == [
            {"kind": "interval", "intervalSeconds": 3600.0, "cron": None},
            {"kind": "cron", "intervalSeconds": None, "cron": "0 6 * * *"},
        ]
        expect(editor.get_by_test_id("clock-interval")).to_have_value("7200")
        expect(page.get_by_test_id("clock-row")).to_have_count(1)

        stale.get_by_test_id("schedule-reload").click()
        expect(stale).to_have_count(0)
        expect(page.get_by_test_id("clock-row")).to_have_count(2)
        expect(editor.get_by_test_id("clock-interval")).to_have_value("7200")
        editor.get_by_test_id("clock-save").click()
        expect(editor).to_have_count(0)
        assert api.gql(CLOCKS, {"id": flow["id"]})["flowSchedule"]["clocks"] == [
            {"kind": "interval", "intervalSeconds": 7200.0, "cron": None},
            {"kind": "cron", "intervalSeconds": None, "cron": "0 6 * * *"},
        ]

        # A removal confirmed on an older schedule is refused the same way.
        api.gql(ADD_CRON, {"id": flow["id"], "cron": "30 7 * * *"})
        page.get_by_test_id("remove-clock").nth(1).click()
        page.get_by_role("dialog").get_by_role("button", name="Remove").click()
        expect(stale).to_contain_text(STALE)
        assert len(api.gql(CLOCKS, {"id": flow["id"]})["flowSchedule"]["clocks"]) == 3
        stale.get_by_test_id("schedule-reload").click()
        expect(stale).to_have_count(0)
        expect(page.get_by_test_id("clock-row")).to_have_count(3)
    finally:
        context.close()
        api.close()
    assert not errors, errors
