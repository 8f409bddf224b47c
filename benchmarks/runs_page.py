"""The Runs page's queries over many runs: every sort order, the filters and the search.

    python benchmarks/runs_page.py [--database-url URL] [--runs 100000] [--iterations 50]
        [--only duration]

Starts `proctor server start` (SQLite in a temporary folder unless `--database-url` names
e.g. a PostgreSQL database), bulk-inserts `--runs` runs of 3 flows (outside the API:
the API would take minutes) with start and end times, labels and states, then times the
first page (50 runs) and a later page of the Runs page's query, and prints JSON lines
with p50/p95 per query. It also prints the query plan of each order on SQLite (which
index it reads). `--only WORD` times only the queries whose name contains WORD (e.g.
`duration`: both duration orders, with and without a filter).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from proctor import Flow, task
from proctor.testing import ServerProcess

QUERY = """query ($orderBy: FlowRunOrder, $after: String, $states: [String!], $search: String,
  $labels: [String!], $flowName: String, $startedAfter: DateTime) {
  flowRuns(first: 50, orderBy: $orderBy, after: $after, states: $states, search: $search,
    labels: $labels, flowName: $flowName, startedAfter: $startedAfter) {
    pageInfo { endCursor hasNextPage }
    nodes { id name flowName state scheduledStartTime startTime endTime }
  }
}"""
# The count is asked apart (as the Runs page does): once per set of filters.
COUNT = """query ($states: [String!], $search: String, $labels: [String!], $flowName: String,
  $startedAfter: DateTime) {
  flowRuns(first: 0, states: $states, search: $search, labels: $labels, flowName: $flowName,
    startedAfter: $startedAfter) { totalCount }
}"""
ORDERS = [
    "SCHEDULED_START_TIME_DESC",
    "START_TIME_DESC",
    "END_TIME_DESC",
    "DURATION_DESC",
    "DURATION_ASC",
    "NAME_ASC",
    "STATE_ASC",
]
SQLITE_DURATION = (
    "CAST(round((julianday(end_time) - julianday(start_time)) * 86400000.0) AS BIGINT)"
)
STATES = ["Success", "Failed", "Running", "Scheduled", "Cancelled"]
# Seeded runs are old and "Running" with no process: nothing may prune or fail them.
QUIET = {
    "PROCTOR_SERVER_RETENTION_ENABLED": "false",
    "PROCTOR_SERVER_SERVICES_LAZARUS_ENABLED": "false",
    "PROCTOR_SERVER_SERVICES_ZOMBIE_ENABLED": "false",
}


@task
def step() -> int:
    return 1


async def seed(database_url: str, flow_ids: list[str], runs: int) -> None:
    import sqlalchemy as sa

    from proctor.server.database import DEFAULT_TENANT_ID, Database
    from proctor.server.database.ids import new_id
    from proctor.server.database.models import Flow as FlowRow
    from proctor.server.database.models import FlowRun

    db = Database(database_url)
    await db.connect()
    try:
        async with db.session() as session:
            found = await session.execute(
                sa.select(FlowRow.id, FlowRow.flow_group_id).where(
                    FlowRow.id.in_([uuid.UUID(i) for i in flow_ids])
                )
            )
            flows = list(found.all())
        now = datetime.now(UTC)
        for first in range(0, runs, 5000):
            rows = []
            for index in range(first, min(first + 5000, runs)):
                flow_id, group_id = flows[index % len(flows)]
                state = STATES[index % len(STATES)]
                when = now - timedelta(minutes=index)
                start = None if state == "Scheduled" else when + timedelta(seconds=5)
                ended = state in ("Success", "Failed", "Cancelled")
                end = start + timedelta(seconds=30 + index % 600) if start and ended else None
                rows.append(
                    {
                        "id": new_id(),
                        "tenant_id": DEFAULT_TENANT_ID,
                        "flow_id": flow_id,
                        "flow_group_id": group_id,
                        "name": f"run-{index:06d}",
                        "state": state,
                        "state_type": state,
                        "state_timestamp": end or start or when,
                        "version": 1,
                        "scheduled_start_time": when,
                        "start_time": start,
                        "end_time": end,
                        "parameters": {},
                        "context": {},
                        "labels": ["gpu"] if index % 2 else ["cpu"],
                    }
                )
            async with db.transaction() as session:
                await session.execute(sa.insert(FlowRun), rows)
            print(f"seeded {min(first + 5000, runs)}/{runs}", file=sys.stderr, flush=True)
    finally:
        await db.dispose()


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 2),
    }


def post(url: str, variables: dict[str, Any], query: str = QUERY) -> dict[str, Any]:
    payload = {"query": query, "variables": variables}
    response = httpx.post(f"{url}/graphql", json=payload, timeout=120)
    body: dict[str, Any] = response.json()
    if "errors" in body:
        raise RuntimeError(body["errors"])
    return body["data"]["flowRuns"]


def cases() -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = [
        (order.lower(), {"orderBy": order}) for order in ORDERS
    ]
    day_ago = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    found += [
        ("failed", {"states": ["Failed"]}),
        ("flow_name", {"flowName": "bench-1"}),
        ("labels", {"labels": ["gpu"]}),
        ("started_last_day", {"startedAfter": day_ago, "orderBy": "START_TIME_DESC"}),
        ("search_name", {"search": "run-0001"}),
        ("failed_by_duration", {"states": ["Failed"], "orderBy": "DURATION_DESC"}),
    ]
    return found


def explain(database_url: str) -> None:
    """SQLite's plan for each order's page (which index serves it)."""
    import sqlite3

    path = database_url.split("///", 1)[1]
    connection = sqlite3.connect(path)
    columns = {
        "scheduled": "scheduled_start_time DESC, id DESC",
        "start_time": "start_time DESC, id DESC",
        "end_time": "end_time DESC, id DESC",
        "name": "name, id",
        "state": "state_type, scheduled_start_time, id",
        # Rendered as proctor.server.database.expressions.RunDuration renders it.
        "duration": f"{SQLITE_DURATION} DESC, id DESC",
    }
    tenant = connection.execute("SELECT tenant_id FROM flow_run LIMIT 1").fetchone()[0]
    for name, order in columns.items():
        valued = f" AND {SQLITE_DURATION} IS NOT NULL" if name == "duration" else ""
        plan = connection.execute(
            f"EXPLAIN QUERY PLAN SELECT id FROM flow_run WHERE tenant_id = ?{valued} "
            f"ORDER BY {order} LIMIT 51",
            (tenant,),
        ).fetchall()
        print(json.dumps({"plan": name, "steps": [row[-1] for row in plan]}), flush=True)
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--only", default="", help="time only the queries naming this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="proctor-bench-") as folder:
        home = Path(folder)
        url = args.database_url or f"sqlite+aiosqlite:///{home / 'bench.db'}"
        server = ServerProcess(url, home, env=QUIET)
        server.start(timeout=120)
        try:
            from proctor.client import Client

            flow_ids = []
            with Client(server.url) as client:
                for number in range(3):
                    with Flow(f"bench-{number}") as flow:
                        step()
                    registered = client.register_flow(
                        "bench", flow.serialize(), create_project=True
                    )
                    flow_ids.append(registered.flow.id)
            asyncio.run(seed(url, flow_ids, args.runs))
            for name, variables in cases():
                if args.only not in name:
                    continue
                first_page, later_page = [], []
                for _ in range(args.iterations):
                    began = time.perf_counter()
                    page = post(server.url, variables)
                    first_page.append(time.perf_counter() - began)
                    if page["pageInfo"]["endCursor"]:
                        began = time.perf_counter()
                        post(server.url, {**variables, "after": page["pageInfo"]["endCursor"]})
                        later_page.append(time.perf_counter() - began)
                filters = {k: v for k, v in variables.items() if k != "orderBy"}
                counts, total = [], None
                for _ in range(max(3, args.iterations // 5)):
                    began = time.perf_counter()
                    total = post(server.url, filters, COUNT)["totalCount"]
                    counts.append(time.perf_counter() - began)
                line: dict[str, Any] = {"query": name, "runs": args.runs, "total": total}
                line["first_page"] = percentiles(first_page)
                if later_page:
                    line["next_page"] = percentiles(later_page)
                line["count"] = percentiles(counts)
                print(json.dumps(line), flush=True)
            if url.startswith("sqlite"):
                explain(url)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
