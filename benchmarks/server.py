"""Server benchmark: batched state writes, list queries on a large database, idle memory.

    python benchmarks/server.py writes  [--database-url URL] [--task-runs 20000] [--batch 1000]
                                        [--clients 1]
    python benchmarks/server.py queries [--database-url URL] [--runs 100000] [--task-runs 1000000]
    python benchmarks/server.py idle
    python benchmarks/server.py startup [--database-url URL] [--starts 7] [--new-database]
    python benchmarks/server.py retention [--database-url URL] [--runs 10000]
                                [--task-runs 1000000] [--log-lines 10000000] [--write-seconds 30]
                                [--during-seconds 300]

Each starts a real `proctor server start` process (SQLite in a temporary folder unless
`--database-url` names e.g. a PostgreSQL database) and prints JSON lines:
- writes: task-run state changes per second through the GraphQL API, `batch` per call,
  from one flow run (or `--clients` flow runs reporting at the same time);
- queries: p50/p95 of the runs list and of one run's task runs, over a database seeded
  (by bulk insert, outside the API) with that many runs and task runs;
- idle: the server's resident memory after start-up and after a burst of requests;
- startup: seconds from launching `proctor server start` to the first `/health` 200
  (median, min and max over several starts on an already migrated database, which is
  what a restart finds), and to its first GraphQL answer; with `--new-database`, every
  start is on a new, empty database (a first start: SQLite files, or PostgreSQL
  databases created next to the one `--database-url` names, dropped afterwards);
- retention: a retention pass over a bulk-seeded history while a flow run writes: write
  latency with and without the pass, rows removed, database size before/after the pass
  and after a second fill (see `retention_load.py`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("PROCTOR_LOGGING_LEVEL", "WARNING")

from proctor import Flow, task
from proctor.client import Client
from proctor.testing import ServerProcess


@task
def step(x: int) -> int:
    return x


def benchmark_flow() -> Flow:
    with Flow("server-benchmark") as flow:
        step.map([1, 2, 3])
    return flow


def start_server(database_url: str | None, home: Path) -> tuple[ServerProcess, Client]:
    url = database_url or f"sqlite+aiosqlite:///{home / 'bench.db'}"
    server = ServerProcess(url, home)
    api = server.start(timeout=60)
    return server, Client(api, timeout=120)


def server_rss_mb(server: ServerProcess) -> float:
    import psutil

    assert server.process is not None
    return psutil.Process(server.process.pid).memory_info().rss / 2**20


def new_run(client: Client) -> str:
    registered = client.register_flow("bench", benchmark_flow().serialize(), create_project=True)
    run = client.create_flow_run(registered.flow.id)
    client.query(
        "mutation ($c: [JSON!]!) { setFlowRunStates(changes: $c) { accepted reason } }",
        {"c": [{"flowRunId": run.id, "state": {"type": "Running"}, "version": run.version}]},
    )
    return run.id


def report_task_runs(client: Client, run_id: str, task_runs: int, batch_size: int) -> int:
    """Every task run of `run_id` Running, then Success, `batch_size` changes per call."""
    document = "mutation ($c: [JSON!]!) { setTaskRunStates(changes: $c) { accepted } }"
    changes = 0
    for first in range(0, task_runs, batch_size):
        indexes = range(first, min(first + batch_size, task_runs))
        for state in ("Running", "Success"):
            batch = [
                {
                    "flowRunId": run_id,
                    "taskSlug": "step",
                    "mapIndex": index,
                    "state": {"type": state},
                }
                for index in indexes
            ]
            results = client.query(document, {"c": batch})["setTaskRunStates"]
            if not all(result["accepted"] for result in results):
                raise SystemExit("the server rejected a state change")
            changes += len(batch)
    return changes


def run_writes(args: argparse.Namespace, home: Path) -> None:
    """One flow run reporting (`--clients 1`), or several at once, each its own client."""
    from concurrent.futures import ThreadPoolExecutor

    server, client = start_server(args.database_url, home)
    clients = [client] + [Client(server.url, timeout=120) for _ in range(args.clients - 1)]
    try:
        run_ids = [new_run(client) for _ in clients]
        started = time.perf_counter()
        with ThreadPoolExecutor(len(clients)) as pool:
            counts = pool.map(
                lambda pair: report_task_runs(pair[0], pair[1], args.task_runs, args.batch),
                zip(clients, run_ids, strict=True),
            )
            changes = sum(counts)
        wall = time.perf_counter() - started
        print(
            json.dumps(
                {
                    "benchmark": "writes",
                    "database": "postgresql" if args.database_url else "sqlite",
                    "batch": args.batch,
                    "clients": args.clients,
                    "changes": changes,
                    "wall_s": round(wall, 3),
                    "changes_per_s": round(changes / wall),
                }
            ),
            flush=True,
        )
    finally:
        for each in clients:
            each.close()
        server.stop()


async def seed(database_url: str, flow_id: str, runs: int, task_runs: int) -> list[str]:
    """Bulk-insert runs and task runs (the API would take minutes to create a million)."""
    import sqlalchemy as sa

    from proctor.server.database import DEFAULT_TENANT_ID, Database
    from proctor.server.database.ids import new_id
    from proctor.server.database.models.flows import Flow as FlowRow
    from proctor.server.database.models.runs import FlowRun, FlowRunState, TaskRun

    db = Database(database_url)
    await db.connect()
    run_ids: list[str] = []
    try:
        async with db.session() as session:
            flow = (
                await session.execute(sa.select(FlowRow).where(FlowRow.id == uuid.UUID(flow_id)))
            ).scalar_one()
            group_id = flow.flow_group_id
        now = datetime.now(UTC)
        per_run = max(1, task_runs // max(runs, 1))
        states = ["Success", "Failed", "Running", "Scheduled"]
        for first in range(0, runs, 2000):
            run_rows = []
            state_rows: list[dict[str, Any]] = []
            task_rows: list[dict[str, Any]] = []
            for index in range(first, min(first + 2000, runs)):
                run_id = new_id()
                run_ids.append(str(run_id))
                state = states[index % len(states)]
                when = now - timedelta(minutes=index)
                run_rows.append(
                    {
                        "id": run_id,
                        "tenant_id": DEFAULT_TENANT_ID,
                        "flow_id": flow.id,
                        "flow_group_id": group_id,
                        "name": f"seeded-{index}",
                        "state": state,
                        "state_type": state,
                        "state_timestamp": when,
                        "version": 1,
                        "scheduled_start_time": when,
                        "parameters": {},
                        "context": {},
                        "labels": [],
                    }
                )
                # Each run's history holds its state (read by recentFailures).
                state_rows.append(
                    {
                        "id": new_id(),
                        "tenant_id": DEFAULT_TENANT_ID,
                        "flow_run_id": run_id,
                        "state": state,
                        "state_type": state,
                        "timestamp": when,
                        "version": 1,
                        "data": {},
                    }
                )
                for map_index in range(per_run):
                    task_rows.append(
                        {
                            "tenant_id": DEFAULT_TENANT_ID,
                            "flow_run_id": run_id,
                            "task_slug": "step",
                            "map_index": map_index,
                            "state": "Success",
                            "state_type": "Success",
                            "state_timestamp": when,
                            "version": 2,
                            "run_count": 1,
                        }
                    )
            async with db.transaction() as session:
                await session.execute(sa.insert(FlowRun), run_rows)
                await session.execute(sa.insert(FlowRunState), state_rows)
                for chunk in range(0, len(task_rows), 20000):
                    await session.execute(sa.insert(TaskRun), task_rows[chunk : chunk + 20000])
            print(f"seeded {min(first + 2000, runs)}/{runs} runs", file=sys.stderr, flush=True)
    finally:
        await db.dispose()
    return run_ids


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
    }


def run_queries(args: argparse.Namespace, home: Path) -> None:
    database_url = args.database_url or f"sqlite+aiosqlite:///{home / 'bench.db'}"
    server, client = start_server(database_url, home)
    try:
        registered = client.register_flow(
            "bench", benchmark_flow().serialize(), create_project=True
        )
        flow_id = registered.flow.id
    finally:
        client.close()
        server.stop()
    started = time.perf_counter()
    run_ids = asyncio.run(seed(database_url, flow_id, args.runs, args.task_runs))
    seed_s = time.perf_counter() - started
    server, client = start_server(database_url, home)
    try:
        runs_list = (
            "query ($after: String) { flowRuns(first: 50, after: $after) {"
            " nodes { id name state scheduledStartTime } pageInfo { endCursor hasNextPage } } }"
        )
        task_runs = (
            "query ($id: ID!) { taskRuns(flowRunId: $id, first: 200) {"
            " nodes { taskSlug mapIndex state } pageInfo { endCursor hasNextPage } } }"
        )
        filtered = 'query { flowRuns(first: 50, states: ["Failed"]) { nodes { id state } } }'
        failures = "query { recentFailures(first: 8) { failedAt state attempt } }"
        for name, document, variables in (
            ("runs_list", runs_list, lambda i: {"after": None}),
            ("runs_list_failed", filtered, lambda i: {}),
            ("recent_failures", failures, lambda i: {}),
            ("task_runs_of_run", task_runs, lambda i: {"id": run_ids[(i * 7919) % len(run_ids)]}),
        ):
            samples = []
            for iteration in range(args.iterations):
                began = time.perf_counter()
                client.query(document, variables(iteration))
                samples.append(time.perf_counter() - began)
            print(
                json.dumps(
                    {
                        "benchmark": "queries",
                        "query": name,
                        "database": "postgresql" if args.database_url else "sqlite",
                        "runs": args.runs,
                        "task_runs": args.task_runs,
                        "seed_s": round(seed_s, 1),
                        **percentiles(samples),
                    }
                ),
                flush=True,
            )
    finally:
        client.close()
        server.stop()


def run_idle(args: argparse.Namespace, home: Path) -> None:
    started = time.perf_counter()
    server, client = start_server(args.database_url, home)
    ready_s = time.perf_counter() - started
    try:
        time.sleep(1)
        idle = server_rss_mb(server)
        for _ in range(200):
            client.query("query { flowRuns(first: 20) { nodes { id } } }")
        print(
            json.dumps(
                {
                    "benchmark": "idle",
                    "ready_s": round(ready_s, 2),
                    "idle_rss_mb": round(idle, 1),
                    "after_200_queries_rss_mb": round(server_rss_mb(server), 1),
                }
            ),
            flush=True,
        )
    finally:
        client.close()
        server.stop()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def time_one_start(database_url: str, home: Path) -> tuple[float, float, float]:
    """Seconds from `Popen` to /health 200, the server's CPU seconds by then (less
    sensitive than the wall time to other work on the machine), and seconds to the first
    GraphQL answer."""
    import subprocess

    import httpx
    import psutil

    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PROCTOR_")}
    env |= {"PROCTOR_HOME": str(home), "PROCTOR_LOGGING_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "proctor", "server", "start", "--port", str(port)]
    command += ["--no-open", "--database-url", database_url]
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        with httpx.Client(timeout=5) as http:
            healthy, cpu = None, 0.0
            while healthy is None:
                if process.poll() is not None:
                    raise SystemExit("the server exited during start-up")
                if time.perf_counter() - started > 60:
                    raise SystemExit("the server was not ready after 60 s")
                try:
                    if http.get(f"{base}/health").status_code == 200:
                        healthy = time.perf_counter() - started
                        times = psutil.Process(process.pid).cpu_times()
                        cpu = times.user + times.system
                except httpx.TransportError:
                    time.sleep(0.005)
            answer = http.post(f"{base}/graphql", json={"query": "{ __typename }"})
            answer.raise_for_status()
            graphql = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=30)
    return healthy, cpu, graphql


async def postgres_admin(url: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url.replace("+asyncpg", ""), timeout=10)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def new_database_url(args: argparse.Namespace, home: Path, number: int) -> str:
    """An empty database for one first start."""
    if not args.database_url:
        return f"sqlite+aiosqlite:///{home / f'new-{number}.db'}"
    name = f"proctor_bench_new_{os.getpid()}_{number}"
    asyncio.run(postgres_admin(args.database_url, f"CREATE DATABASE {name}"))
    return args.database_url.rsplit("/", 1)[0] + f"/{name}"


def drop_new_databases(args: argparse.Namespace, urls: list[str]) -> None:
    for url in urls if args.database_url else []:
        name = url.rsplit("/", 1)[1]
        asyncio.run(postgres_admin(args.database_url, f"DROP DATABASE {name} WITH (FORCE)"))


def run_startup(args: argparse.Namespace, home: Path) -> None:
    database_url = args.database_url or f"sqlite+aiosqlite:///{home / 'bench.db'}"
    # Compiled bytecode is cached, as it is for an installed package (pip compiles it);
    # in a private folder, so a source checkout is left as it is.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    server, client = start_server(database_url, home)  # creates and migrates the database
    client.close()
    server.stop()
    if args.new_database:
        urls = [new_database_url(args, home, number) for number in range(args.starts)]
        try:
            timings = [time_one_start(url, home) for url in urls]
        finally:
            drop_new_databases(args, urls)
    else:
        timings = [time_one_start(database_url, home) for _ in range(args.starts)]
    health = [healthy for healthy, _cpu, _graphql in timings]
    cpu = [used for _healthy, used, _graphql in timings]
    graphql = [answered for _healthy, _cpu, answered in timings]
    print(
        json.dumps(
            {
                "benchmark": "startup",
                "database": "postgresql" if args.database_url else "sqlite",
                "starts": args.starts,
                "new_database": args.new_database,
                "health_s": round(statistics.median(health), 2),
                "health_min_s": round(min(health), 2),
                "health_max_s": round(max(health), 2),
                "health_cpu_s": round(statistics.median(cpu), 2),
                "first_graphql_s": round(statistics.median(graphql), 2),
            }
        ),
        flush=True,
    )


def run_retention(args: argparse.Namespace, home: Path) -> None:
    from retention_load import run_retention as run  # beside this script

    run(args, home)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("benchmark", choices=["writes", "queries", "idle", "startup", "retention"])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--task-runs", type=int, default=None)
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--starts", type=int, default=7)
    parser.add_argument(
        "--new-database", action="store_true", help="startup: every start on an empty database"
    )
    parser.add_argument(
        "--clients", type=int, default=1, help="writes: flow runs reporting at the same time"
    )
    parser.add_argument(
        "--log-lines", type=int, default=10_000_000, help="retention: log lines seeded"
    )
    parser.add_argument(
        "--write-seconds", type=float, default=30.0, help="retention: seconds of writes timed"
    )
    parser.add_argument(
        "--during-seconds",
        type=float,
        default=300.0,
        help="retention: the pass's first seconds during which writes are timed",
    )
    args = parser.parse_args()
    if args.benchmark == "retention" and "--runs" not in sys.argv:
        args.runs = 10_000
    if args.task_runs is None:
        args.task_runs = 20_000 if args.benchmark == "writes" else 1_000_000
    with tempfile.TemporaryDirectory(prefix="proctor-bench-") as folder:
        home = Path(folder)
        benchmarks = {
            "writes": run_writes,
            "queries": run_queries,
            "idle": run_idle,
            "startup": run_startup,
            "retention": run_retention,
        }
        benchmarks[args.benchmark](args, home)


if __name__ == "__main__":
    main()
