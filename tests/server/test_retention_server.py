"""Retention in a real server process (SQLite and PostgreSQL): the service prunes history
seeded in the past, `/metrics` counts what it removed, the audit log says so, and the
GraphQL API shows and sets the team's policy with the database's size. On PostgreSQL,
two server replicas prune the same database at once: every row goes once, every pass
succeeds, and their counters add up to exactly what was there."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from tests.server.retention_data import age, finished_run, register, rows_of

from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import FlowRun, Log
from proctor.testing import ServerProcess

FAST_RETENTION = {
    "PROCTOR_SERVER_RETENTION_LOOP_SECONDS": "0.3",
    "PROCTOR_SERVER_RETENTION_KEEP_NEWEST_RUNS": "0",
    "PROCTOR_SERVER_RETENTION_BATCH_SIZE": "5",
    # No pauses between transactions: the tests check what is removed, not the pacing.
    "PROCTOR_SERVER_RETENTION_PAUSE_RATIO": "0",
}
_METRIC = re.compile(r'^proctor_retention_removed_total\{kind="(\w+)"\} ([0-9.e+]+)$', re.M)


def removed_counters(url: str) -> dict[str, int]:
    text = httpx.get(f"{url}/metrics", timeout=30).text
    return {kind: int(float(value)) for kind, value in _METRIC.findall(text)}


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 60.0) -> Any:
    """Poll until `condition()` is truthy (a deadline, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def gql(url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = httpx.post(
        f"{url}/graphql", json={"query": query, "variables": variables or {}}, timeout=30
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _seed(
    url: str, old: int, young: int, lines: int = 4, *, aged: bool = True
) -> tuple[list[Any], list[Any]]:
    async with Database(url) as db:
        await db.upgrade()
        flow = await register(db, DEFAULT_TENANT_ID, "etl")
        old_runs = [
            await finished_run(db, DEFAULT_TENANT_ID, flow.id, log_lines=lines) for _ in range(old)
        ]
        for _ in range(young):
            await finished_run(db, DEFAULT_TENANT_ID, flow.id, log_lines=lines)
        if aged:
            await age(db, *[run.id for run in old_runs], days=45)
        counts = [await rows_of(db, run.id) for run in old_runs]
    return old_runs, counts


async def _remaining(url: str) -> tuple[int, int]:
    async with Database(url, listen=False) as db, db.session() as session:
        runs = await session.scalar(sa.select(sa.func.count()).select_from(FlowRun))
        logs = await session.scalar(sa.select(sa.func.count()).select_from(Log))
    return int(runs or 0), int(logs or 0)


POLICY = """{ retentionPolicy { days logMaxBytes keepNewestRuns databaseSizeBytes
  databaseDialect team { days logMaxBytes keepNewestRuns } serverDefault { days } } }"""
SET_POLICY = """mutation($days: Float, $keep: Int) {
  setRetentionPolicy(days: $days, keepNewestRuns: $keep) { days keepNewestRuns team { days } } }"""


async def test_a_server_prunes_reports_audits_and_shows_its_policy(
    database_url: str, tmp_path: Path
):
    _, counts = await _seed(database_url, old=4, young=2)
    server = ServerProcess(database_url, tmp_path / "home", env=FAST_RETENTION)
    url = server.start(timeout=60)
    try:
        expected_logs = sum(c["log"] for c in counts)
        found = wait_for(
            lambda: (c := removed_counters(url)).get("flow_runs") == 4 and c,
            "the retention service to remove the 4 old runs",
        )
        assert found["log_lines"] == expected_logs
        assert found["task_runs"] == sum(c["task_run"] for c in counts)
        assert found["task_run_states"] == sum(c["task_run_state"] for c in counts)
        assert found["flow_run_states"] == sum(c["flow_run_state"] for c in counts)
        assert await _remaining(database_url) == (2, 2 * 4)

        events = gql(
            url,
            '{ auditEvents(action: "retention.pruned") { nodes { actor objectType details } } }',
        )["data"]["auditEvents"]["nodes"]
        assert len(events) == 1  # later passes removed nothing: no more events
        assert events[0]["actor"] == "system"
        assert events[0]["details"]["flow_runs"] == 4
        assert events[0]["details"]["log_lines"] == expected_logs

        policy = gql(url, POLICY)["data"]["retentionPolicy"]
        assert policy["days"] == 30 and policy["keepNewestRuns"] == 0
        assert policy["team"] == {"days": None, "logMaxBytes": None, "keepNewestRuns": None}
        assert policy["serverDefault"] == {"days": 30}
        assert policy["databaseDialect"] == ("sqlite" if "sqlite" in database_url else "postgresql")
        if "sqlite" in database_url:
            db_file = Path(database_url.split("///", 1)[1])
            assert policy["databaseSizeBytes"] >= db_file.stat().st_size > 0
        else:
            assert policy["databaseSizeBytes"] > 1_000_000  # pg_database_size: pages of every table

        changed = gql(url, SET_POLICY, {"days": 7, "keep": 3})["data"]["setRetentionPolicy"]
        assert changed == {"days": 7, "keepNewestRuns": 3, "team": {"days": 7}}
        again = gql(url, POLICY)["data"]["retentionPolicy"]
        assert (again["days"], again["keepNewestRuns"], again["serverDefault"]) == (
            7,
            3,
            {"days": 30},
        )
        # Back to the server's default for days; keepNewestRuns stays the team's.
        reset = gql(url, SET_POLICY, {"days": None, "keep": 3})["data"]["setRetentionPolicy"]
        assert reset["days"] == 30 and reset["team"] == {"days": None}

        refused = gql(url, SET_POLICY, {"days": 0, "keep": 3})
        assert refused["data"] is None
        [error] = refused["errors"]
        assert error["extensions"]["code"] == "INVALID_INPUT" and "days" in error["message"]
        assert gql(url, POLICY)["data"]["retentionPolicy"]["days"] == 30  # unchanged
    finally:
        server.stop()
    assert "pass failed" not in "".join(server.output)


async def test_two_replicas_prune_one_database_without_doing_anything_twice(
    postgres_url: str, tmp_path: Path
):
    url = postgres_url
    old_runs, counts = await _seed(url, old=60, young=1, lines=20, aged=False)
    servers = [ServerProcess(url, tmp_path / f"home{i}", env=FAST_RETENTION) for i in range(2)]
    urls = [server.start(timeout=60) for server in servers]
    try:
        # Both replicas are up before anything is old enough: aged in one transaction,
        # the runs are found by both at once.
        async with Database(url, listen=False) as db:
            await age(db, *[run.id for run in old_runs], days=45)

        def both_done() -> dict[str, int] | None:
            each = [removed_counters(u) for u in urls]
            summed = {k: sum(c.get(k, 0) for c in each) for k in each[0]}
            return summed if summed.get("flow_runs") == 60 else None

        summed = wait_for(both_done, "the replicas to remove the 60 old runs")
        assert await _remaining(url) == (1, 20)
        # Counted once: the two replicas' counters add up to exactly what was seeded.
        assert summed["log_lines"] == sum(c["log"] for c in counts)
        assert summed["task_runs"] == sum(c["task_run"] for c in counts)
        assert summed["task_run_states"] == sum(c["task_run_state"] for c in counts)
        assert summed["flow_run_states"] == sum(c["flow_run_state"] for c in counts)
        # Both kept working: passes keep completing on each replica after the work is done.
        for server_url in urls:
            before = _passes(server_url)
            wait_for(lambda su=server_url, b=before: _passes(su) > b, "another pass")
    finally:
        for server in servers:
            server.stop()
    for server in servers:
        output = "".join(server.output)
        assert "pass failed" not in output and "Traceback" not in output


def _passes(url: str) -> int:
    text = httpx.get(f"{url}/metrics", timeout=30).text
    found = re.search(r"^proctor_retention_passes_total ([0-9.e+]+)$", text, re.M)
    assert found is not None
    return int(float(found.group(1)))
