"""Editing schedules and backfilling through the GraphQL API of a real server process, on
SQLite and PostgreSQL: a cron clock with a time zone and its 10-time preview, refusals
that store nothing, the override outliving a new version, on/off, reset; a backfill's
dry run, creation under its concurrency limit, progress and cancellation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from tests.server.scenarios import register, scheduled_spec

from proctor.server.database import Database
from proctor.testing import ServerProcess

CLOCK = """fragment S on FlowSchedule { source overridden active flowId
  clocks { index kind cron timezone intervalSeconds parameterDefaults } }"""
GET = CLOCK + "query($id: ID!) { flowSchedule(flowId: $id) { ...S } }"
ADD = (
    CLOCK
    + """mutation($id: ID!, $clock: ScheduleClockInput!) {
  addScheduleClock(flowId: $id, clock: $clock) { ...S } }"""
)
UPDATE = (
    CLOCK
    + """mutation($id: ID!, $i: Int!, $clock: ScheduleClockInput!) {
  updateScheduleClock(flowId: $id, index: $i, clock: $clock) { ...S } }"""
)
REMOVE = (
    CLOCK
    + """mutation($id: ID!, $i: Int!) {
  removeScheduleClock(flowId: $id, index: $i) { ...S } }"""
)
RESET = CLOCK + "mutation($id: ID!) { resetFlowSchedule(flowId: $id) { ...S } }"
TOGGLE = """mutation($id: ID!, $on: Boolean!) {
  setScheduleActive(flowId: $id, active: $on) { scheduleActive } }"""
PREVIEW = """query($clock: ScheduleClockInput!, $after: DateTime) {
  schedulePreview(clock: $clock, after: $after) { times error } }"""
BERLIN = {"kind": "cron", "cron": "0 9 * * *", "timezone": "Europe/Berlin"}


def gql(url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = httpx.post(
        f"{url}/graphql", json={"query": query, "variables": variables or {}}, timeout=60
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def data(url: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    body = gql(url, query, variables)
    assert "errors" not in body, body["errors"]
    return next(iter(body["data"].values()))


def refused(url: str, query: str, variables: dict[str, Any]) -> str:
    body = gql(url, query, variables)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INVALID_INPUT", error
    return str(error["message"])


async def _seed(url: str, spec: dict[str, Any]) -> str:
    async with Database(url) as db:
        await db.upgrade()
        flow = await register(db, spec)
    return str(flow.id)


async def _reregister(url: str, spec: dict[str, Any]) -> None:
    async with Database(url, listen=False) as db:
        await register(db, spec)


async def test_schedules_are_edited_previewed_and_reset(database_url: str, tmp_path: Path):
    flow_id = await _seed(database_url, scheduled_spec())
    server = ServerProcess(database_url, tmp_path / "home")
    url = server.start(timeout=60)
    try:
        start = data(url, GET, {"id": flow_id})
        assert (start["source"], start["overridden"], start["active"]) == ("code", False, True)
        assert [(c["kind"], c["intervalSeconds"]) for c in start["clocks"]] == [("interval", 600)]

        # The unsaved clock's next 10 times: 09:00 in Berlin is 08:00 UTC in January.
        after = "2031-01-01T00:00:00+00:00"
        preview = data(url, PREVIEW, {"clock": BERLIN, "after": after})
        assert preview["error"] is None
        assert preview["times"] == [
            (datetime(2031, 1, day, 8, tzinfo=UTC)).isoformat() for day in range(1, 11)
        ]
        bad = data(url, PREVIEW, {"clock": {**BERLIN, "cron": "0 25 * * *"}})
        assert bad["times"] == [] and "0 25 * * *" in bad["error"]

        added = data(url, ADD, {"id": flow_id, "clock": {**BERLIN, "parameterDefaults": {"n": 9}}})
        assert (added["source"], added["overridden"]) == ("override", True)
        assert added["clocks"][1] == {
            "index": 1, "kind": "cron", "cron": "0 9 * * *", "timezone": "Europe/Berlin",
            "intervalSeconds": None, "parameterDefaults": {"n": 9},
        }  # fmt: skip

        # Refused: nothing is stored.
        assert "Mars/Olympus" in refused(
            url, ADD, {"id": flow_id, "clock": {**BERLIN, "timezone": "Mars/Olympus"}}
        )
        assert "never fire" in refused(
            url,
            ADD,
            {
                "id": flow_id,
                "clock": {"kind": "rrule", "rrule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"},
            },
        )
        assert "'n'" in refused(
            url, ADD, {"id": flow_id, "clock": {**BERLIN, "parameterDefaults": {"n": "x"}}}
        )
        assert "no clock 5" in refused(url, REMOVE, {"id": flow_id, "i": 5})
        assert data(url, GET, {"id": flow_id}) == added

        hourly = {
            "kind": "interval",
            "intervalSeconds": 3600,
            "startDate": "2030-01-01T00:30:00+00:00",
        }
        updated = data(url, UPDATE, {"id": flow_id, "i": 0, "clock": hourly})
        assert [c["intervalSeconds"] for c in updated["clocks"]] == [3600, None]

        # A new version in code keeps the override.
        await _reregister(database_url, scheduled_spec(default=4))
        kept = data(url, GET, {"id": flow_id})
        assert kept["source"] == "override" and kept["clocks"] == updated["clocks"]
        assert kept["flowId"] != flow_id  # the newest version

        assert data(url, TOGGLE, {"id": flow_id, "on": False}) == {"scheduleActive": False}
        assert data(url, GET, {"id": flow_id})["active"] is False
        assert data(url, TOGGLE, {"id": flow_id, "on": True}) == {"scheduleActive": True}

        reset = data(url, RESET, {"id": flow_id})
        assert (reset["source"], reset["overridden"]) == ("code", False)
        assert [(c["kind"], c["intervalSeconds"]) for c in reset["clocks"]] == [("interval", 600)]
    finally:
        server.stop()
    assert "Traceback" not in "".join(server.output)


BACKFILL_PREVIEW = """query($id: ID!, $s: DateTime!, $e: DateTime!) {
  backfillPreview(flowId: $id, start: $s, end: $e) {
    times existing new maxRuns first { start exists } last { start exists } } }"""
CREATE = """mutation($id: ID!, $s: DateTime!, $e: DateTime!, $n: Int!) {
  createBackfill(flowId: $id, start: $s, end: $e, maxConcurrent: $n) {
    id total createdRuns state maxConcurrent } }"""
PROGRESS = """query($id: ID!) { backfill(id: $id) { state total createdRuns finished
  counts { state count } runs(first: 100) { scheduledStartTime state backfillId } } }"""
CANCEL = "mutation($id: ID!) { cancelBackfill(id: $id) { state counts { state count } } }"
LIST = "query($id: ID!) { backfills(flowId: $id) { id state } }"


async def test_a_backfill_is_previewed_created_tracked_and_cancelled(
    database_url: str, tmp_path: Path
):
    from proctor.schedules import IntervalClock

    start = datetime(2025, 3, 1, tzinfo=UTC)
    spec = scheduled_spec(clocks=[IntervalClock(timedelta(hours=1), start_date=start)])
    flow_id = await _seed(database_url, spec)
    server = ServerProcess(
        database_url, tmp_path / "home", env={"PROCTOR_SERVER_SERVICES_BACKFILL_MAX_RUNS": "48"}
    )
    url = server.start(timeout=60)
    try:
        window = {
            "id": flow_id,
            "s": start.isoformat(),
            "e": (start + timedelta(days=1)).isoformat(),
        }
        dry = data(url, BACKFILL_PREVIEW, window)
        assert (dry["times"], dry["existing"], dry["new"], dry["maxRuns"]) == (24, 0, 24, 48)
        assert [t["start"] for t in dry["first"]] == [
            (start + timedelta(hours=h)).isoformat() for h in range(5)
        ]
        assert dry["last"][-1]["start"] == (start + timedelta(hours=23)).isoformat()
        too_many = {**window, "e": (start + timedelta(days=3)).isoformat()}
        assert "more than 48 scheduled times" in refused(url, BACKFILL_PREVIEW, too_many)
        assert "more than 48" in refused(url, CREATE, {**too_many, "n": 2})

        made = data(url, CREATE, {**window, "n": 4})
        assert (made["total"], made["createdRuns"], made["state"]) == (24, 4, "Running")
        progress = data(url, PROGRESS, {"id": made["id"]})
        assert progress["counts"] == [{"state": "Scheduled", "count": 4}]
        assert {r["backfillId"] for r in progress["runs"]} == {made["id"]}
        assert [r["scheduledStartTime"] for r in progress["runs"]] == [
            (start + timedelta(hours=h)).isoformat() for h in range(4)
        ]
        assert data(url, LIST, {"id": flow_id}) == [{"id": made["id"], "state": "Running"}]
        # No agent: the backfiller keeps it at 4 unfinished whatever its passes.
        assert data(url, PROGRESS, {"id": made["id"]})["createdRuns"] == 4

        cancelled = data(url, CANCEL, {"id": made["id"]})
        assert cancelled == {"state": "Cancelled", "counts": [{"state": "Cancelled", "count": 4}]}
        # The 4 times that ran are skipped by the next backfill of the range.
        again = data(url, BACKFILL_PREVIEW, window)
        assert (again["existing"], again["new"]) == (4, 20)
        assert [t["exists"] for t in again["first"]] == [True] * 4 + [False]
    finally:
        server.stop()
    assert "Traceback" not in "".join(server.output)


VERSIONED = """fragment V on FlowSchedule { version active
  clocks { index kind cron intervalSeconds } }
query Get($id: ID!) { flowSchedule(flowId: $id) { ...V } }
mutation Update($id: ID!, $i: Int!, $clock: ScheduleClockInput!, $v: String) {
  updateScheduleClock(flowId: $id, index: $i, clock: $clock, expectedVersion: $v) { ...V } }
mutation Remove($id: ID!, $i: Int!, $v: String) {
  removeScheduleClock(flowId: $id, index: $i, expectedVersion: $v) { ...V } }
mutation Add($id: ID!, $clock: ScheduleClockInput!, $v: String) {
  addScheduleClock(flowId: $id, clock: $clock, expectedVersion: $v) { ...V } }
mutation Reset($id: ID!, $v: String) { resetFlowSchedule(flowId: $id, expectedVersion: $v) {
  ...V } }"""


def versioned(url: str, operation: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(
        f"{url}/graphql",
        json={"query": VERSIONED, "operationName": operation, "variables": variables},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_two_editors_of_one_clock_never_overwrite_each_other(
    database_url: str, tmp_path: Path
):
    """Both read the schedule; A removes clock 0, then B's edit of "clock 0" (now
    another clock) is refused with STALE_VERSION and a message that says to reload;
    after reloading it applies. Turning the schedule off and on keeps the version."""
    flow_id = await _seed(database_url, scheduled_spec())
    server = ServerProcess(database_url, tmp_path / "home")
    url = server.start(timeout=60)
    try:

        def ok(operation: str, **variables: Any) -> dict[str, Any]:
            body = versioned(url, operation, {"id": flow_id, **variables})
            assert "errors" not in body, body["errors"]
            return dict(next(iter(body["data"].values())))

        read = ok("Get")
        two = ok("Add", clock=BERLIN, v=read["version"])
        assert [c["kind"] for c in two["clocks"]] == ["interval", "cron"]
        assert two["version"] != read["version"]
        # A stale version is refused even for an add (it would add to what A did not see).
        stale_add = versioned(url, "Add", {"id": flow_id, "clock": BERLIN, "v": read["version"]})
        assert [e["extensions"]["code"] for e in stale_add["errors"]] == ["STALE_VERSION"]

        editor_a = ok("Get")
        editor_b = ok("Get")
        assert editor_a["version"] == editor_b["version"] == two["version"]
        after_a = ok("Remove", i=0, v=editor_a["version"])
        assert [c["kind"] for c in after_a["clocks"]] == ["cron"]

        hourly = {"kind": "interval", "intervalSeconds": 3600}
        for operation, extra in (("Update", {"i": 0, "clock": hourly}), ("Remove", {"i": 0})):
            body = versioned(url, operation, {"id": flow_id, "v": editor_b["version"], **extra})
            [error] = body["errors"]
            assert error["extensions"]["code"] == "STALE_VERSION", error
            assert "reload" in error["message"] and "changed since you read it" in error["message"]
            assert error["extensions"]["details"]["current_version"] == after_a["version"]
        assert ok("Get") == after_a  # nothing changed

        # The on/off switch is not an edit of the clocks: it keeps the version.
        assert data(url, TOGGLE, {"id": flow_id, "on": False}) == {"scheduleActive": False}
        assert ok("Get")["version"] == after_a["version"]
        data(url, TOGGLE, {"id": flow_id, "on": True})

        reloaded = ok("Get")
        updated = ok("Update", i=0, clock=hourly, v=reloaded["version"])
        assert [(c["kind"], c["intervalSeconds"]) for c in updated["clocks"]] == [
            ("interval", 3600)
        ]
        # Without a version an edit applies to whatever the schedule is now (as before).
        assert ok("Reset")["clocks"][0]["intervalSeconds"] == 600
        stale_reset = versioned(url, "Reset", {"id": flow_id, "v": updated["version"]})
        assert [e["extensions"]["code"] for e in stale_reset["errors"]] == ["STALE_VERSION"]
    finally:
        server.stop()
    assert "Traceback" not in "".join(server.output)
