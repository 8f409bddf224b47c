"""The runs list across every flow and the bulk actions, on a real server process over
SQLite and PostgreSQL: each filter against the seeded values, every sort order paged
two runs at a time through ties and missing values, and cancel/restart/delete of a mix
of good, finished, unknown, malformed and other-team ids."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from tests.server.runs_page_data import T0, Seeded, expected_order, seed_runs

from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import FlowRun
from proctor.server.services.flow_runs import list_flow_runs
from proctor.testing import ServerProcess

RUNS = """query ($after: String, $first: Int, $orderBy: FlowRunOrder, $states: [String!],
  $flowName: String, $project: String, $labels: [String!], $agentId: ID,
  $startedAfter: DateTime, $startedBefore: DateTime, $scheduledAfter: DateTime,
  $scheduledBefore: DateTime, $search: String) {
  flowRuns(after: $after, first: $first, orderBy: $orderBy, states: $states,
    flowName: $flowName, project: $project, labels: $labels, agentId: $agentId,
    startedAfter: $startedAfter, startedBefore: $startedBefore,
    scheduledAfter: $scheduledAfter, scheduledBefore: $scheduledBefore, search: $search) {
    nodes { id name state flowName } totalCount pageInfo { endCursor hasNextPage }
  }
}"""
ORDERS = {
    "SCHEDULED_START_TIME_DESC": "-scheduled_start_time",
    "SCHEDULED_START_TIME_ASC": "scheduled_start_time",
    "START_TIME_DESC": "-start_time",
    "START_TIME_ASC": "start_time",
    "END_TIME_DESC": "-end_time",
    "END_TIME_ASC": "end_time",
    "DURATION_DESC": "-duration",
    "DURATION_ASC": "duration",
    "NAME_ASC": "name",
    "NAME_DESC": "-name",
    "STATE_ASC": "state",
    "STATE_DESC": "-state",
}


# The seeded runs are months old and some "Running" with no heartbeat: the services that
# would prune or fail them are off, so the tests read what they seeded.
QUIET = {
    "PROCTOR_SERVER_RETENTION_ENABLED": "false",
    "PROCTOR_SERVER_SERVICES_ZOMBIE_ENABLED": "false",
    "PROCTOR_SERVER_SERVICES_LAZARUS_ENABLED": "false",
}


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[str]:
    process = ServerProcess(database_url, tmp_path / "home", env=QUIET)
    url = process.start(timeout=90)
    try:
        yield url
    finally:
        process.stop()


def gql(url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = httpx.post(
        f"{url}/graphql", json={"query": query, "variables": variables or {}}, timeout=60
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def every_page(url: str, first: int, **filters: Any) -> tuple[list[str], int]:
    """All ids, page by page, and the total the first page announced."""
    ids: list[str] = []
    after, total = None, None
    while True:
        body = gql(url, RUNS, {"first": first, "after": after, **filters})
        assert "errors" not in body, body
        page = body["data"]["flowRuns"]
        total = page["totalCount"] if total is None else total
        ids += [node["id"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            return ids, total
        after = page["pageInfo"]["endCursor"]
        assert len(ids) < 1000, "pagination does not end"


def ids_of(found: list[str]) -> set[uuid.UUID]:
    return {uuid.UUID(i) for i in found}


async def test_every_order_pages_through_ties_and_missing_values(database_url, server):
    seeded = await seed_runs(database_url)
    for enum, order in ORDERS.items():
        found, total = every_page(server, 2, orderBy=enum)
        assert total == len(seeded.runs), enum
        assert [uuid.UUID(i) for i in found] == expected_order(seeded.runs, order), enum
    # A page size that does not divide the number of runs, across the valued/NULL seam.
    found, _ = every_page(server, 5, orderBy="END_TIME_DESC")
    assert [uuid.UUID(i) for i in found] == expected_order(seeded.runs, "-end_time")


async def test_filters_match_the_seeded_runs(database_url, server):
    seeded: Seeded = await seed_runs(database_url)
    runs = seeded.runs

    def check(expected: set[uuid.UUID], **filters: Any) -> None:
        found, total = every_page(server, 4, **filters)
        assert ids_of(found) == expected, filters
        assert total == len(expected) == len(found), filters
        assert expected, f"the seed should have runs for {filters}"

    check({r.id for r in runs if r.state_type == "Failed"}, states=["Failed"])
    check({r.id for r in runs if r.state == "TimedOut"}, states=["TimedOut"])
    check({r.id for r in runs if r.flow_name == "etl"}, flowName="etl")
    check({r.id for r in runs if r.project == "beta"}, project="beta")
    check(
        {r.id for r in runs if r.flow_name == "etl" and r.project == "beta"},
        flowName="etl",
        project="beta",
    )
    check({r.id for r in runs if {"gpu", "eu"} <= set(r.labels)}, labels=["gpu", "eu"])
    check({r.id for r in runs if r.agent_id == seeded.agent_id}, agentId=str(seeded.agent_id))
    since, until = T0 + timedelta(hours=1), T0 + timedelta(hours=3)
    check(
        {r.id for r in runs if r.start is not None and since <= r.start <= until},
        startedAfter=since.isoformat(),
        startedBefore=until.isoformat(),
    )
    check(
        {r.id for r in runs if r.scheduled >= T0 + timedelta(hours=5)},
        scheduledAfter=(T0 + timedelta(hours=5)).isoformat(),
    )
    check({r.id for r in runs if "nightly-1" in r.name}, search="NIGHTLY-1")  # 1, 10, 11
    target = runs[7]
    # Ids are time-ordered (their first digits are shared): a prefix into the random part.
    check({target.id}, search=str(target.id)[:23])  # with dashes or without
    check({target.id}, search=target.id.hex[:20].upper())
    check({target.id}, search=str(target.id))
    check(
        {r.id for r in runs if r.state_type == "Failed" and "gpu" in r.labels},
        states=["Failed"],
        labels=["gpu"],
    )
    # Another team's runs never show, whatever matches them.
    found, _ = every_page(server, 50, search="nightly-0")
    assert not ids_of(found) & set(seeded.other_team_runs)


async def test_bad_arguments_are_clear_errors(database_url, server):
    await seed_runs(database_url, count=3)
    bad_cursor = gql(server, RUNS, {"orderBy": "START_TIME_DESC", "after": "not-a-cursor"})
    assert bad_cursor["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    first_page = gql(server, RUNS, {"orderBy": "NAME_ASC", "first": 1})
    cursor = first_page["data"]["flowRuns"]["pageInfo"]["endCursor"]
    mixed = gql(server, RUNS, {"orderBy": "START_TIME_ASC", "after": cursor})
    assert "order_by='name'" in mixed["errors"][0]["message"]
    too_long = gql(server, RUNS, {"search": "x" * 201})
    assert too_long["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


BULK = """mutation ($ids: [ID!]!) {{
  {field}(ids: $ids) {{ flowRunId ok state code message }}
}}"""


def bulk(url: str, field: str, ids: list[str]) -> list[dict[str, Any]]:
    body = gql(url, BULK.format(field=field), {"ids": ids})
    assert "errors" not in body, body
    results: list[dict[str, Any]] = body["data"][field]
    return results


async def _states(database_url: str, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    db = Database(database_url)
    await db.connect()
    try:
        async with db.session() as session:
            found = await session.execute(
                sa.select(FlowRun.id, FlowRun.state).where(FlowRun.id.in_(ids))
            )
            return dict(found.all())
    finally:
        await db.dispose()


async def test_bulk_actions_answer_per_run_and_keep_to_the_team(database_url, server):
    seeded = await seed_runs(database_url, count=12)
    by_state = {r.state: r for r in reversed(seeded.runs)}  # the first run of each state
    scheduled, running, success, failed = (
        str(by_state[s].id) for s in ("Scheduled", "Running", "Success", "Failed")
    )
    other = str(seeded.other_team_runs[0])
    unknown = str(uuid.uuid4())

    results = bulk(
        server,
        "cancelFlowRuns",
        [scheduled, running, success, unknown, "nope", other, scheduled],
    )
    assert [(r["flowRunId"], r["ok"], r["state"], r["code"]) for r in results] == [
        (scheduled, True, "Cancelled", None),  # had not started: cancelled at once
        (running, True, "Cancelling", None),  # its process stops it
        (success, False, None, "TRANSITION_REJECTED"),
        (unknown, False, None, "NOT_FOUND"),
        ("nope", False, None, "INVALID_INPUT"),
        (other, False, None, "NOT_FOUND"),  # another team's run: as if it did not exist
    ]  # the repeated id is done once
    assert all(r["message"] for r in results if not r["ok"])
    states = await _states(database_url, [uuid.UUID(i) for i in (scheduled, success, other)])
    assert states == {
        uuid.UUID(scheduled): "Cancelled",
        uuid.UUID(success): "Success",
        uuid.UUID(other): "Scheduled",
    }

    restarted = bulk(server, "restartFlowRuns", [failed, running, other])
    assert [(r["ok"], r["state"], r["code"]) for r in restarted] == [
        (True, "Scheduled", None),
        (False, None, "TRANSITION_REJECTED"),  # still running (Cancelling)
        (False, None, "NOT_FOUND"),
    ]

    deleted = bulk(server, "deleteFlowRuns", [success, other, unknown])
    assert [(r["ok"], r["code"]) for r in deleted] == [
        (True, None),
        (False, "NOT_FOUND"),
        (False, "NOT_FOUND"),
    ]
    left = await _states(database_url, [uuid.UUID(success), uuid.UUID(other)])
    assert left == {uuid.UUID(other): "Scheduled"}

    audit = gql(
        server,
        "{ auditEvents(first: 100) { nodes { action objectId success details } } }",
    )["data"]["auditEvents"]["nodes"]
    per_run = {(e["action"], e["objectId"], e["success"]) for e in audit if "via" in e["details"]}
    assert ("cancelFlowRun", scheduled, True) in per_run
    assert ("cancelFlowRun", success, False) in per_run
    assert ("restartFlowRun", failed, True) in per_run
    assert ("deleteFlowRun", success, True) in per_run
    assert ("deleteFlowRun", other, False) in per_run
    whole = [e for e in audit if e["action"] == "cancelFlowRuns"]
    assert whole, "the bulk call itself is in the audit log"


async def test_bulk_refuses_an_empty_or_oversized_selection(database_url, server):
    empty = gql(server, BULK.format(field="cancelFlowRuns"), {"ids": []})
    assert empty["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    many = [str(uuid.uuid4()) for _ in range(501)]
    oversized = gql(server, BULK.format(field="deleteFlowRuns"), {"ids": many})
    assert oversized["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_the_duration_sort_reads_its_index(database: Database):
    """The duration order's page query (as the service sends it) is served by the
    expression index of migration 0019 on both databases, not by a sort of every run."""
    sent: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    engine = database.engine.sync_engine
    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        await list_flow_runs(database, DEFAULT_TENANT_ID, order_by="-duration", count=False)
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    [(statement, parameters)] = [(s, p) for s, p in sent if "IS NOT NULL ORDER BY" in s]
    sqlite = database.engine.dialect.name == "sqlite"
    async with database.engine.connect() as connection:
        if not sqlite:  # an empty table: make PostgreSQL say which index it would read
            await connection.exec_driver_sql("SET enable_seqscan = off")
        explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
        plan = await connection.exec_driver_sql(explain + statement, parameters)
        text = " ".join(str(row[-1]) for row in plan.all())
    assert "ix_flow_run__tenant_id_duration" in text, text
    assert "TEMP B-TREE" not in text and "Sort" not in text, text
