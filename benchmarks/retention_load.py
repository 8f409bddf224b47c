"""The `retention` mode of benchmarks/server.py: a retention pass on a large database while
a flow run writes.

    python benchmarks/server.py retention [--database-url URL] [--runs 10000]
        [--task-runs 1000000] [--log-lines 10000000] [--write-seconds 30]
        [--during-seconds 300]

PROCTOR_SERVER_RETENTION_* variables set for the benchmark reach its server (e.g.
BATCH_SIZE, PAUSE_RATIO, QUIET_SECONDS to try another pace).

1. Seeds `--runs` finished runs with `--task-runs` task runs and `--log-lines` log lines
   between them by bulk SQL (rows generated inside the database: a recursive CTE on
   SQLite, generate_series on PostgreSQL), half of the runs 60 days old (past the
   default 30-day policy), half of them from the last hours.
2. Starts a server with retention off and times a running flow's write path (task-run
   state batches and log batches through the GraphQL API, a new run every 10,000 task
   runs so that every phase writes to runs of the same size): the baseline.
3. Starts a server with retention on: its first pass begins a second after start-up;
   the same writes are timed while the pass runs (its first `--during-seconds`: a pass
   that gives way to writes can take far longer, and then finishes alone), then again
   after it.
4. Seeds new, young history as large as what the pass removed (half of it) and measures
   the database again: with the policy applied, it is back near its size before the
   pass instead of growing by that much.

Prints JSON lines: seeding time; write latency p50/p95 without the pass, during it and
after it (and the ratio during/without); the rows the pass removed (from /metrics) and
how long it took; the database size before the pass, after it, and after the second
fill (SQLite: file + WAL; PostgreSQL: pg_database_size).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sqlite3
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from proctor.client import Client
from proctor.testing import ServerProcess

RUN_PREFIX = "b0"
TASK_PREFIX = "c0"
OLD_DAYS = 60
CHUNK = 500_000
WRITE_BATCH = 50
# Task runs of one writer run before the next: a running flow of a usual size, so that a
# long phase is not timed on a run hundreds of times larger than a short one's.
RUN_TASK_RUNS = 10_000
_METRIC = re.compile(r'^proctor_retention_removed_total\{kind="(\w+)"\} ([0-9.e+]+)$', re.M)
_PASSES = re.compile(r"^proctor_retention_passes_total ([0-9.e+]+)$", re.M)


def _emit(**fields: Any) -> None:
    print(json.dumps({"benchmark": "retention", **fields}), flush=True)


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- seeding ---------------------------------------------------------------------------


def _sqlite_path(url: str) -> Path:
    return Path(url.split("///", 1)[1])


def _sqlite_seed(
    url: str, ids: dict[str, str], generation: int, runs: int, task_runs: int, log_lines: int
) -> None:
    """Rows made by SQLite itself (no Python per row), CHUNK rows per transaction."""
    path = _sqlite_path(url)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA cache_size = -200000")
    tenant, flow, group = (uuid.UUID(ids[k]).hex for k in ("tenant", "flow", "group"))
    gen = f"{generation:02x}"
    per_run = max(1, task_runs // runs)
    lines_per_run = max(1, log_lines // runs)
    old = runs // 2 if generation == 0 else 0
    # Run i: 60 days old (i < old) or i seconds before now; its children share its time.
    run_time = (
        "strftime('%Y-%m-%d %H:%M:%f', 'now', "
        "CASE WHEN {r} < :old THEN '-{days} days' ELSE '-0 days' END, "
        "'-' || ({r} % 86400) || ' seconds') || '000'"
    )

    def fill(total: int, statement: str, extra: dict[str, Any]) -> None:
        for first in range(0, total, CHUNK):
            last = min(first + CHUNK, total) - 1
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(
                "WITH RECURSIVE seq(i) AS (SELECT :first UNION ALL SELECT i + 1 FROM seq "
                "WHERE i < :last) " + statement,
                {"first": first, "last": last, "old": old, **extra},
            )
            connection.execute("COMMIT")
            _progress(f"  {statement.split()[2]}: {last + 1}/{total}")

    run_id = "printf('" + RUN_PREFIX + gen + "%028x', {r})"
    fill(
        runs,
        "INSERT INTO flow_run (id, tenant_id, flow_id, flow_group_id, name, state, state_type,"
        " state_timestamp, version, run_count, start_time, end_time, parameters, context,"
        " labels, scheduled_start_time, auto_scheduled, lazarus_count, created, updated)"
        f" SELECT {run_id.format(r='i')}, :tenant, :flow, :group, 'seeded-' || i,"
        " 'Success', 'Success', t, 3, 1, t, t, '{}', '{}', '[]', t, 0, 0, t, t"
        f" FROM (SELECT i, {run_time.format(r='i', days=OLD_DAYS)} AS t FROM seq)",
        {"tenant": tenant, "flow": flow, "group": group},
    )
    fill(
        runs * per_run,
        "INSERT INTO task_run (id, tenant_id, flow_run_id, task_slug, map_index, state,"
        " state_type, state_timestamp, version, run_count, start_time, end_time, created,"
        " updated)"
        f" SELECT printf('{TASK_PREFIX}{gen}%028x', i), :tenant, {run_id.format(r='r')},"
        " 'step', i % :per, 'Success', 'Success', t, 2, 1, t, t, t, t"
        f" FROM (SELECT i, i / :per AS r, {run_time.format(r='(i / :per)', days=OLD_DAYS)}"
        " AS t FROM seq)",
        {"tenant": tenant, "per": per_run},
    )
    fill(
        runs * lines_per_run,
        "INSERT INTO log (tenant_id, flow_run_id, task_slug, map_index, timestamp, level,"
        " message, extra, created)"
        f" SELECT :tenant, {run_id.format(r='r')}, 'step', i % 100, t, 20,"
        " 'seeded line ' || i || ' of a benchmark run: rows read, rows written, all fine',"
        " '{}', t"
        f" FROM (SELECT i, i / :per AS r, {run_time.format(r='(i / :per)', days=OLD_DAYS)}"
        " AS t FROM seq)",
        {"tenant": tenant, "per": lines_per_run},
    )
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


async def _postgres_seed(
    url: str, ids: dict[str, str], generation: int, runs: int, task_runs: int, log_lines: int
) -> None:
    import asyncpg

    plain = url.replace("postgresql+asyncpg://", "postgresql://", 1)
    connection = await asyncpg.connect(plain)
    gen = f"{generation:02x}"
    per_run = max(1, task_runs // runs)
    lines_per_run = max(1, log_lines // runs)
    old = runs // 2 if generation == 0 else 0
    run_time = (
        "now() - CASE WHEN {r} < $1 THEN interval '" + str(OLD_DAYS) + " days' "
        "ELSE interval '0' END - ({r} % 86400) * interval '1 second'"
    )
    run_id = "('" + RUN_PREFIX + gen + "' || lpad(to_hex({r}), 28, '0'))::uuid"

    async def fill(total: int, statement: str, *extra: Any) -> None:
        for first in range(0, total, CHUNK):
            last = min(first + CHUNK, total) - 1
            await connection.execute(
                statement.replace("SEQ", f"generate_series({first}, {last}) AS i"), old, *extra
            )
            _progress(f"  {statement.split()[2]}: {last + 1}/{total}")

    try:
        await fill(
            runs,
            "INSERT INTO flow_run (id, tenant_id, flow_id, flow_group_id, name, state,"
            " state_type, state_timestamp, version, run_count, start_time, end_time,"
            " parameters, context, labels, scheduled_start_time, auto_scheduled,"
            " lazarus_count, created, updated)"
            f" SELECT {run_id.format(r='i')}, $2::uuid, $3::uuid, $4::uuid, 'seeded-' || i,"
            " 'Success', 'Success', t, 3, 1, t, t, '{}', '{}', '[]', t, false, 0, t, t"
            f" FROM (SELECT i, {run_time.format(r='i')} AS t FROM SEQ) AS s",
            ids["tenant"],
            ids["flow"],
            ids["group"],
        )
        await fill(
            runs * per_run,
            "INSERT INTO task_run (id, tenant_id, flow_run_id, task_slug, map_index, state,"
            " state_type, state_timestamp, version, run_count, start_time, end_time,"
            " created, updated)"
            f" SELECT ('{TASK_PREFIX}{gen}' || lpad(to_hex(i), 28, '0'))::uuid, $2::uuid,"
            f" {run_id.format(r='r')}, 'step', i % $3, 'Success', 'Success', t, 2, 1, t, t,"
            f" t, t FROM (SELECT i, i / $3 AS r, {run_time.format(r='(i / $3)')} AS t"
            " FROM SEQ) AS s",
            ids["tenant"],
            per_run,
        )
        await fill(
            runs * lines_per_run,
            "INSERT INTO log (tenant_id, flow_run_id, task_slug, map_index, timestamp,"
            " level, message, extra, created)"
            f" SELECT $2::uuid, {run_id.format(r='r')}, 'step', i % 100, t, 20,"
            " 'seeded line ' || i || ' of a benchmark run: rows read, rows written, all fine',"
            " '{}', t"
            f" FROM (SELECT i, i / $3 AS r, {run_time.format(r='(i / $3)')} AS t"
            " FROM SEQ) AS s",
            ids["tenant"],
            lines_per_run,
        )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


def seed(url: str, ids: dict[str, str], generation: int, args: argparse.Namespace) -> float:
    """Generation 0: the whole history, half of it old. Later generations: as much new
    history as the pass removed (half), which is what a steady state adds back."""
    started = time.perf_counter()
    _progress(f"seeding generation {generation}")
    share = 1 if generation == 0 else 2
    figures = (args.runs // share, args.task_runs // share, args.log_lines // share)
    if url.startswith("sqlite"):
        _sqlite_seed(url, ids, generation, *figures)
    else:
        asyncio.run(_postgres_seed(url, ids, generation, *figures))
    return time.perf_counter() - started


async def _delete_writer_runs(url: str) -> None:
    import sqlalchemy as sa

    from proctor.server.database import Database
    from proctor.server.database.models import FlowRun, FlowRunState, Log, TaskRun, TaskRunState

    async with Database(url, listen=False) as db, db.transaction() as session:
        writers = sa.select(FlowRun.id).where(~FlowRun.name.like("seeded-%"))
        their_task_runs = sa.select(TaskRun.id).where(TaskRun.flow_run_id.in_(writers))
        await session.execute(sa.delete(Log).where(Log.flow_run_id.in_(writers)))
        await session.execute(
            sa.delete(TaskRunState).where(TaskRunState.task_run_id.in_(their_task_runs))
        )
        await session.execute(sa.delete(TaskRun).where(TaskRun.flow_run_id.in_(writers)))
        await session.execute(sa.delete(FlowRunState).where(FlowRunState.flow_run_id.in_(writers)))
        await session.execute(sa.delete(FlowRun).where(FlowRun.id.in_(writers)))


async def _database_size(url: str) -> int:
    from proctor.server.database import Database
    from proctor.server.services.retention_policy import database_size

    async with Database(url, listen=False) as db:
        return await database_size(db)


def database_size(url: str) -> dict[str, int]:
    """The size the API reports; on SQLite (after folding the WAL in) also its free pages."""
    figures: dict[str, int] = {}
    if url.startswith("sqlite"):
        connection = sqlite3.connect(_sqlite_path(url), isolation_level=None)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        figures["free_pages"] = connection.execute("PRAGMA freelist_count").fetchone()[0]
        connection.close()
    return {"bytes": asyncio.run(_database_size(url)), **figures}


# -- the write path ----------------------------------------------------------------------


class Writer(threading.Thread):
    """A running flow's writes: `WRITE_BATCH` mapped task runs Running, then Success, then
    `WRITE_BATCH` log lines, over and over, in a new run every `RUN_TASK_RUNS` task runs;
    each call's latency is kept per phase (starting a run is not timed)."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.client = Client(url, timeout=300)
        self.flow_id = _writer_flow(self.client)
        self.run_id = _running_run(self.client, self.flow_id)
        self.phase = "warm-up"
        self.samples: dict[str, list[float]] = {}
        self.stopping = threading.Event()
        self.next_index = 0
        self.error: BaseException | None = None

    def _timed(self, document: str, variables: dict[str, Any]) -> None:
        started = time.perf_counter()
        self.client.query(document, variables)
        self.samples.setdefault(self.phase, []).append(time.perf_counter() - started)

    def run(self) -> None:
        try:
            self._write()
        except BaseException as exc:  # reported by stop(): a failed write ends the benchmark
            self.error = exc

    def _write(self) -> None:
        states = "mutation ($c: [JSON!]!) { setTaskRunStates(changes: $c) { accepted } }"
        logs = "mutation ($l: [JSON!]!) { writeLogs(logs: $l) { count } }"
        while not self.stopping.is_set():
            if self.next_index >= RUN_TASK_RUNS:
                self.run_id, self.next_index = _running_run(self.client, self.flow_id), 0
            indexes = range(self.next_index, self.next_index + WRITE_BATCH)
            self.next_index += WRITE_BATCH
            for state in ("Running", "Success"):
                changes = [
                    {"flowRunId": self.run_id, "taskSlug": "step", "mapIndex": i,
                     "state": {"type": state}}
                    for i in indexes
                ]  # fmt: skip
                self._timed(states, {"c": changes})
            lines = [
                {"flowRunId": self.run_id, "message": f"task {i} wrote a line", "level": 20}
                for i in indexes
            ]
            self._timed(logs, {"l": lines})

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=300)
        self.client.close()
        if self.error is not None:
            raise SystemExit(f"a write of the running flow failed: {self.error!r}")


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    if not ordered:
        return {"calls": 0}
    return {
        "calls": len(ordered),
        "p50_ms": round(ordered[len(ordered) // 2] * 1000, 2),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 2),
    }


def _writer_flow(client: Client) -> str:
    from proctor import Flow, task

    @task
    def step(x: int) -> int:
        return x

    with Flow("retention-writer") as flow:
        step.map([1, 2, 3])
    return str(client.register_flow("bench", flow.serialize(), create_project=True).flow.id)


def _running_run(client: Client, flow_id: str) -> str:
    run = client.create_flow_run(flow_id)
    client.query(
        "mutation ($c: [JSON!]!) { setFlowRunStates(changes: $c) { accepted reason } }",
        {"c": [{"flowRunId": run.id, "state": {"type": "Running"}, "version": run.version}]},
    )
    return str(run.id)


def _metrics(url: str) -> tuple[int, dict[str, int]]:
    text = httpx.get(f"{url}/metrics", timeout=60).text
    passes = _PASSES.search(text)
    removed = {kind: int(float(value)) for kind, value in _METRIC.findall(text)}
    return (int(float(passes.group(1))) if passes else 0), removed


def _server(url: str, home: Path, retention: bool) -> tuple[ServerProcess, str]:
    # The server process gets no PROCTOR_ variables of ours but these: the retention
    # settings given to the benchmark (e.g. PROCTOR_SERVER_RETENTION_BATCH_SIZE) try a pace.
    env = {
        key: value
        for key, value in os.environ.items()
        if key.startswith("PROCTOR_SERVER_RETENTION_")
    }
    env["PROCTOR_SERVER_RETENTION_ENABLED"] = "true" if retention else "false"
    env["PROCTOR_SERVER_RETENTION_LOOP_SECONDS"] = "86400"
    server = _DrainedServer(url, home, env=env)
    return server, server.start(timeout=120)


class _DrainedServer(ServerProcess):
    """Reads the server's output all along, so the server never blocks writing it."""

    def start(self, timeout: float = 60.0) -> str:
        url = super().start(timeout)
        assert self.process is not None and self.process.stdout is not None
        stream = self.process.stdout

        def drain() -> None:
            with stream:
                for line in stream:
                    self.output.append(line)
                    del self.output[:-1000]

        threading.Thread(target=drain, daemon=True).start()
        return url


async def _flow_ids(url: str) -> dict[str, str]:
    """Migrate the database and register the seeded runs' flow; its ids."""
    from proctor.server.database import DEFAULT_TENANT_ID, Database
    from proctor.server.services.flows import register_flow

    async with Database(url, listen=False) as db:
        await db.upgrade()
        registered = await register_flow(
            db, DEFAULT_TENANT_ID, "bench", _seeded_spec(), create_project=True
        )
    return {
        "tenant": str(DEFAULT_TENANT_ID),
        "flow": str(registered.flow.id),
        "group": str(registered.flow.flow_group_id),
    }


def _seeded_spec() -> dict[str, Any]:
    from proctor import Flow, task

    @task
    def step(x: int) -> int:
        return x

    with Flow("seeded") as flow:
        step.map([1])
    return dict(flow.serialize())


def _time_the_pass(
    url: str, home: Path, args: argparse.Namespace
) -> tuple[list[float], list[float], float, float, dict[str, int]]:
    """Write latencies during the pass and after it, the pass's seconds, the seconds of
    writes timed during it, and what it removed (from /metrics)."""
    # A server whose first retention pass starts a second after start-up.
    server, api = _server(url, home, retention=True)
    try:
        first = Writer(api)
        first.phase = "during_pass"
        started = time.perf_counter()
        first.start()
        # The writes are timed for the first `--during-seconds` of the pass; a pass that
        # gives way to them may take far longer than that, and then finishes alone.
        while _metrics(api)[0] < 1 and time.perf_counter() - started < args.during_seconds:
            time.sleep(0.5)
        timed_during_s = time.perf_counter() - started
        writer = first
        if _metrics(api)[0] < 1:
            first.stop()
            while _metrics(api)[0] < 1:
                time.sleep(0.5)
            writer = Writer(api)
            writer.start()
        pass_s = time.perf_counter() - started
        writer.phase = "after_pass"
        time.sleep(args.write_seconds)
        writer.stop()
        _, removed = _metrics(api)
    finally:
        server.stop()
    return (
        first.samples.get("during_pass", []),
        writer.samples.get("after_pass", []),
        pass_s,
        timed_during_s,
        removed,
    )


def run_retention(args: argparse.Namespace, home: Path) -> None:
    url = args.database_url or f"sqlite+aiosqlite:///{home / 'bench.db'}"
    dialect = "sqlite" if url.startswith("sqlite") else "postgresql"
    ids = asyncio.run(_flow_ids(url))
    seed_s = seed(url, ids, 0, args)
    size_before = database_size(url)
    _emit(
        figure="seed",
        database=dialect,
        runs=args.runs,
        task_runs=args.task_runs,
        log_lines=args.log_lines,
        seed_s=round(seed_s, 1),
        size=size_before,
    )

    # Baseline: the same writes on a server without retention.
    server, api = _server(url, home, retention=False)
    try:
        writer = Writer(api)
        writer.start()
        time.sleep(3)  # warm-up
        writer.phase = "without_pass"
        time.sleep(args.write_seconds)
        writer.stop()
    finally:
        server.stop()
    baseline = writer.samples.get("without_pass", [])

    during_samples, after_samples, pass_s, timed_during_s, removed = _time_the_pass(url, home, args)
    # The writer's own runs are not part of the seeded history: delete them (their pages
    # become free, reused by the second fill) so that the sizes compare like with like.
    asyncio.run(_delete_writer_runs(url))
    size_after = database_size(url)
    without, during, after = (
        _percentiles(baseline),
        _percentiles(during_samples),
        _percentiles(after_samples),
    )
    for phase, figures in (("without_pass", without), ("during_pass", during),
                           ("after_pass", after)):  # fmt: skip
        _emit(figure="write_latency", database=dialect, phase=phase, **figures)
    if during.get("calls") and without.get("calls"):
        _emit(
            figure="write_latency_ratio",
            database=dialect,
            p50_during_over_without=round(during["p50_ms"] / without["p50_ms"], 3),
            p95_during_over_without=round(during["p95_ms"] / without["p95_ms"], 3),
        )
    _emit(
        figure="pass",
        database=dialect,
        pass_s=round(pass_s, 1),
        writes_timed_during_s=round(timed_during_s, 1),
        removed=removed,
    )

    second_s = seed(url, ids, 1, args)
    size_second = database_size(url)
    _emit(
        figure="size",
        database=dialect,
        before_pass=size_before,
        after_pass=size_after,
        after_second_fill=size_second,
        second_fill_seed_s=round(second_s, 1),
    )


__all__ = ["run_retention"]
