"""Activity feed benchmark: reading the feed over a large table, and what writing it
costs a run's state changes.

    python benchmarks/activity.py reads  [--database-url URL] [--runs 100000]
    python benchmarks/activity.py writes [--database-url URL] [--changes 1000]

- reads: seeds (bulk insert) the rows 100,000 runs leave in the feed (scheduled,
  running, finished: three each, over 30 days and 50 flows, plus agent events), then
  times the first page of the feed (50 rows) unfiltered, by family, by flow, by family
  and flow, since an hour ago, and the fifth page; p50/p95 over 30 reads each.
- writes: flow-run state changes one per transaction through the service (what the
  API does for each run's Running and final state), with the feed written and with its
  writer switched off, in alternating rounds: changes per second and the ratio.

SQLite in a temporary folder unless `--database-url` names another database (which must
be empty: the benchmark migrates it). Prints JSON lines.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database import engine as engine_module
from proctor.server.database.models import Activity
from proctor.server.services.activity import list_activity
from proctor.server.services.flow_runs import create_flow_run
from proctor.server.services.flows import register_flow

READS = 30
FLOWS = 50


def _url(given: str | None, folder: Path) -> str:
    return given or f"sqlite+aiosqlite:///{folder / 'activity.db'}"


async def _seed(db: Database, runs: int) -> int:
    start = datetime.now(UTC) - timedelta(days=30)
    step = timedelta(days=30) / max(runs, 1)
    batch: list[dict[str, Any]] = []
    written = 0
    for index in range(runs):
        moment = start + step * index
        run_id = uuid.uuid4()
        flow = f"flow-{index % FLOWS}"
        for offset, (kind, state) in enumerate(
            (("flow_run.created", "Scheduled"), ("flow_run.state", "Running"),
             ("flow_run.state", "Success" if index % 10 else "Failed"))
        ):  # fmt: skip
            batch.append(
                {"id": uuid.uuid4(), "tenant_id": DEFAULT_TENANT_ID, "kind": kind,
                 "family": "flow_run",
                 "occurred": moment + timedelta(seconds=offset), "flow_run_id": run_id,
                 "flow_name": flow, "data": {"state": state}}
            )  # fmt: skip
        if index % 500 == 0:
            batch.append(
                {"id": uuid.uuid4(), "tenant_id": DEFAULT_TENANT_ID, "kind": "agent.healthy",
                 "family": "agent",
                 "occurred": moment, "flow_run_id": None, "flow_name": None,
                 "data": {"name": "agent-1"}}
            )  # fmt: skip
        if len(batch) >= 5000:
            async with db.transaction() as session:
                await session.execute(sa.insert(Activity), batch)
            written += len(batch)
            batch = []
    if batch:
        async with db.transaction() as session:
            await session.execute(sa.insert(Activity), batch)
        written += len(batch)
    return written


async def _timed(read: Callable[[], Awaitable[Any]]) -> dict[str, float]:
    await read()  # warm
    took = []
    for _ in range(READS):
        started = time.perf_counter()
        await read()
        took.append((time.perf_counter() - started) * 1000)
    took.sort()
    return {
        "p50_ms": round(statistics.median(took), 2),
        "p95_ms": round(took[int(READS * 0.95) - 1], 2),
    }


async def reads(url: str, runs: int) -> None:
    db = Database(url)
    await db.connect()
    try:
        await db.upgrade()
        started = time.perf_counter()
        rows = await _seed(db, runs)
        print(json.dumps({"seeded_rows": rows, "runs": runs,
                          "seconds": round(time.perf_counter() - started, 1)}))  # fmt: skip
        hour_ago = datetime.now(UTC) - timedelta(hours=1)

        async def fifth_page() -> None:
            after = None
            for _ in range(5):
                page = await list_activity(db, DEFAULT_TENANT_ID, first=50, after=after)
                after = page.end_cursor

        cases: dict[str, Callable[[], Awaitable[Any]]] = {
            "newest": lambda: list_activity(db, DEFAULT_TENANT_ID, first=50),
            "family flow_run": lambda: list_activity(db, DEFAULT_TENANT_ID, kinds=["flow_run"]),
            "family agent (rare)": lambda: list_activity(db, DEFAULT_TENANT_ID, kinds=["agent"]),
            "one flow": lambda: list_activity(db, DEFAULT_TENANT_ID, flow="flow-7"),
            "flow + kind": lambda: list_activity(
                db, DEFAULT_TENANT_ID, flow="flow-7", kinds=["flow_run.created"]
            ),
            "since an hour ago": lambda: list_activity(db, DEFAULT_TENANT_ID, since=hour_ago),
            "fifth page": fifth_page,
        }
        for name, read in cases.items():
            print(json.dumps({"read": name, "rows": rows, **(await _timed(read))}))
    finally:
        await db.dispose()


async def writes(url: str, changes: int) -> None:
    from proctor.core.states import Running, Success

    db = Database(url)
    await db.connect()
    original = engine_module.write_activity

    async def nothing(*_args: Any) -> int:
        return 0

    try:
        await db.upgrade()
        spec = _spec()
        flow = (await register_flow(db, DEFAULT_TENANT_ID, "bench", spec, create_project=True)).flow
        rates: dict[str, list[float]] = {"with feed": [], "without feed": []}
        for round_ in range(4):
            for label in ("with feed", "without feed") if round_ % 2 == 0 else (
                "without feed", "with feed"
            ):  # fmt: skip
                engine_module.write_activity = original if label == "with feed" else nothing  # type: ignore[assignment]
                rates[label].append(
                    await _state_changes(db, flow.id, changes // 4, Running, Success)
                )
        engine_module.write_activity = original  # type: ignore[assignment]
        with_feed = statistics.median(rates["with feed"])
        without = statistics.median(rates["without feed"])
        print(json.dumps({"changes_per_second_with_feed": round(with_feed),
                          "changes_per_second_without_feed": round(without),
                          "ratio": round(with_feed / without, 3)}))  # fmt: skip
    finally:
        engine_module.write_activity = original  # type: ignore[assignment]
        await db.dispose()


async def _state_changes(
    db: Database, flow_id: Any, count: int, running: Any, success: Any
) -> float:
    from proctor.server.services.flow_run_states import set_flow_run_states

    runs = [
        (await create_flow_run(db, DEFAULT_TENANT_ID, flow_id=flow_id)).id
        for _ in range(count // 2)
    ]
    started = time.perf_counter()
    for run_id in runs:
        for state in (running(), success()):
            await set_flow_run_states(
                db, DEFAULT_TENANT_ID, [{"flow_run_id": str(run_id), "state": state.to_dict()}]
            )
    return (2 * len(runs)) / (time.perf_counter() - started)


def _spec() -> dict[str, Any]:
    from proctor import Flow, task

    @task
    def one() -> int:
        return 1

    with Flow("activity-bench") as flow:
        one()
    return dict(flow.serialize())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["reads", "writes"])
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = _url(args.database_url, Path(folder))
        if args.what == "reads":
            asyncio.run(reads(url, args.runs))
        else:
            asyncio.run(writes(url, args.changes))


if __name__ == "__main__":
    main()
