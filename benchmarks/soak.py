"""Soak test (not in CI): a server, an agent and UI-like readers for a long while.

    python benchmarks/soak.py [--minutes 30] [--database-url URL] [--map-size 10000]
                              [--readers 20] [--schedule-seconds 10] [--every-minutes 5]

For `--minutes` it keeps going at once:
- a flow scheduled every `--schedule-seconds` (one task);
- a `--map-size`-task map run every `--every-minutes` (created through the API);
- `--readers` UI-like clients, each reading the runs list, a run's task runs, its logs
  and the run counts, about once a second;
- a restart of the agent every `--every-minutes` (SIGTERM, as a deployment does, then a
  new agent process).

Then it stops the schedule, lets what is in flight finish (up to 10 minutes) and prints
JSON lines: lost task runs (a finished map run or tick with fewer task runs recorded
than its graph has), stuck runs (not finished although due more than two minutes before
the end), the server's resident memory (first sample after warm-up, last, peak, growth),
and p50/p95 of each UI query. SQLite in a temporary folder unless `--database-url` names
e.g. a PostgreSQL database (which should be empty).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from proctor.client import Client
from proctor.testing import ServerProcess

FLOWS = """
from proctor import flow, task
from proctor.schedules import IntervalSchedule


@task
def tick() -> str:
    return "tick"


@flow(schedule=IntervalSchedule({seconds}))
def ticker():
    tick()


@task
def numbers(n: int) -> list[int]:
    return list(range(n))


@task
def double(x: int) -> int:
    return 2 * x


@task
def total(values: list[int]) -> int:
    return sum(values)


@flow
def big_map(n: int = 10):
    total(double.map(numbers(n)))
"""

FINISHED = {"Success", "Failed", "Cancelled", "Finished"}
QUERIES = {
    "runs_list": (
        "{ flowRuns(first: 50) { nodes { id name state scheduledStartTime startTime endTime"
        " flowId } pageInfo { hasNextPage endCursor } } }"
    ),
    "task_runs_of_run": (
        "query ($id: ID!) { taskRuns(flowRunId: $id, first: 200) { nodes { id taskSlug"
        " mapIndex state startTime endTime } pageInfo { hasNextPage } } }"
    ),
    "logs_of_run": (
        "query ($id: ID!) { logs(flowRunId: $id, first: 100) { nodes { timestamp level"
        " message } } }"
    ),
    "run_counts": "{ runCounts { state count } }",
}


def emit(**fields: Any) -> None:
    print(json.dumps({"benchmark": "soak", **fields}), flush=True)


class DrainedServer(ServerProcess):
    """Reads the server's output all along, so the server never blocks writing it."""

    def start(self, timeout: float = 60.0) -> str:
        url = super().start(timeout)
        assert self.process is not None and self.process.stdout is not None
        stream = self.process.stdout

        def drain() -> None:
            with stream:
                for line in stream:
                    self.output.append(line)
                    del self.output[:-2000]

        threading.Thread(target=drain, daemon=True).start()
        return url


def agent_env(home: Path, api_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROCTOR_")}
    env.update({"PROCTOR_HOME": str(home), "PROCTOR_API_URL": api_url})
    return env


class Agent:
    def __init__(self, home: Path, api_url: str, number: int) -> None:
        log = (home / f"agent-{number}.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "proctor", "agent", "start", "--name", "soak"],
            env=agent_env(home, api_url),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return int(self.process.returncode)


class Readers:
    """UI-like clients: each reads a page's worth of queries about once a second."""

    def __init__(self, api_url: str, count: int) -> None:
        self.api_url = api_url
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._read, daemon=True) for _ in range(count)]
        self.lock = threading.Lock()

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def _timed(self, client: Client, name: str, variables: dict[str, Any]) -> Any:
        started = time.perf_counter()
        try:
            answer = client.query(QUERIES[name], variables)
        except Exception as error:  # counted, the reader goes on
            with self.lock:
                self.errors.append(f"{name}: {error!r}"[:300])
            return None
        with self.lock:
            self.samples[name].append(time.perf_counter() - started)
        return answer

    def _read(self) -> None:
        client = Client(self.api_url, timeout=120)
        try:
            while not self.stopping.is_set():
                listed = self._timed(client, "runs_list", {})
                runs = (listed or {}).get("flowRuns", {}).get("nodes", [])
                if runs:
                    run_id = runs[int(time.monotonic() * 1000) % len(runs)]["id"]
                    self._timed(client, "task_runs_of_run", {"id": run_id})
                    self._timed(client, "logs_of_run", {"id": run_id})
                self._timed(client, "run_counts", {})
                self.stopping.wait(1.0)
        finally:
            client.close()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=120)


def rss_mb(server: ServerProcess) -> float:
    import psutil

    assert server.process is not None
    return float(psutil.Process(server.process.pid).memory_info().rss / 2**20)


def percentiles(samples: list[float]) -> dict[str, Any]:
    ordered = sorted(samples)
    if not ordered:
        return {"calls": 0}
    return {
        "calls": len(ordered),
        "p50_ms": round(ordered[len(ordered) // 2] * 1000, 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1),
    }


def all_runs(client: Client) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = []
    after = None
    while True:
        page = client.query(
            "query ($after: String) { flowRuns(first: 500, after: $after) { nodes { id name"
            " state flowId parameters scheduledStartTime } pageInfo { hasNextPage endCursor } } }",
            {"after": after},
        )["flowRuns"]
        runs.extend(page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            return runs
        after = page["pageInfo"]["endCursor"]


def task_run_count(client: Client, run_id: str) -> tuple[int, int]:
    """(task runs recorded, of which Success)."""
    total = succeeded = 0
    after = None
    while True:
        page = client.query(
            "query ($id: ID!, $after: String) { taskRuns(flowRunId: $id, first: 1000,"
            " after: $after) { nodes { state } pageInfo { hasNextPage endCursor } } }",
            {"id": run_id, "after": after},
        )["taskRuns"]
        total += len(page["nodes"])
        succeeded += sum(1 for node in page["nodes"] if node["state"] == "Success")
        if not page["pageInfo"]["hasNextPage"]:
            return total, succeeded
        after = page["pageInfo"]["endCursor"]


def run_soak(args: argparse.Namespace, home: Path) -> None:
    flows_file = home / "soak_flows.py"
    flows_file.write_text(FLOWS.replace("{seconds}", str(args.schedule_seconds)))
    url = args.database_url or f"sqlite+aiosqlite:///{home / 'soak.db'}"
    dialect = "sqlite" if url.startswith("sqlite") else "postgresql"
    server = DrainedServer(url, home / "server")
    api_url = server.start(timeout=120)
    client = Client(api_url, timeout=300)
    registered = subprocess.run(
        [sys.executable, "-m", "proctor", "register", str(flows_file), "--project", "soak",
         "--json"],
        env=agent_env(home, api_url), capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    flows = {item["name"]: item for item in _registered(registered.stdout)}
    big_map_id = flows["big_map"]["id"]
    agent_number = 0
    agent = Agent(home, api_url, agent_number)
    readers = Readers(api_url, args.readers)
    readers.start()
    memory: list[tuple[float, float]] = []
    started = time.monotonic()
    end = started + args.minutes * 60
    every = args.every_minutes * 60
    next_map = started
    next_restart = started + every
    map_runs: list[str] = []
    restarts: list[int] = []
    try:
        while time.monotonic() < end:
            now = time.monotonic()
            if now >= next_map:
                run = client.create_flow_run(big_map_id, parameters={"n": args.map_size})
                map_runs.append(str(run.id))
                next_map += every
            if now >= next_restart:
                restarts.append(agent.stop())
                agent_number += 1
                agent = Agent(home, api_url, agent_number)
                next_restart += every
            memory.append((now - started, rss_mb(server)))
            time.sleep(min(10.0, max(0.5, end - time.monotonic())))
        ended_at = time.time()
        # No more ticks; what is in flight may finish.
        client.query(
            "mutation ($id: ID!) { setScheduleActive(flowId: $id, active: false) { id } }",
            {"id": flows["ticker"]["id"]},
        )
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            pending = [r for r in all_runs(client) if r["state"] not in FINISHED
                       and _due_before(r, ended_at)]  # fmt: skip
            if not pending:
                break
            time.sleep(5)
        readers.stop()
        runs = all_runs(client)
        _report(args, dialect, client, runs, map_runs, flows, ended_at, memory, readers,
                restarts, started)  # fmt: skip
    finally:
        readers.stop()
        agent.stop()
        client.close()
        server.stop()


def _registered(stdout: str) -> list[dict[str, Any]]:
    data = json.loads(stdout)
    items = data if isinstance(data, list) else data.get("flows", [data])
    return [
        {
            "name": item.get("name") or item["flow"]["name"],
            "id": item.get("id") or item["flow"]["id"],
        }
        for item in items
    ]


def _due_before(run: dict[str, Any], moment: float) -> bool:
    from datetime import datetime

    scheduled = datetime.fromisoformat(run["scheduledStartTime"]).timestamp()
    return scheduled < moment


def _report(
    args: argparse.Namespace,
    dialect: str,
    client: Client,
    runs: list[dict[str, Any]],
    map_runs: list[str],
    flows: dict[str, dict[str, Any]],
    ended_at: float,
    memory: list[tuple[float, float]],
    readers: Readers,
    restarts: list[int],
    started: float,
) -> None:
    stuck = [r for r in runs if r["state"] not in FINISHED and _due_before(r, ended_at - 120)]
    lost = 0
    checked = 0
    failed_runs = 0
    for run in runs:
        if run["state"] not in FINISHED:
            continue
        if run["state"] != "Success":
            failed_runs += 1
        expected = args.map_size + 2 if run["id"] in map_runs else 1
        _, succeeded = task_run_count(client, run["id"])
        checked += 1
        if run["state"] == "Success":
            lost += max(0, expected - succeeded)
    warm = [mb for at, mb in memory if at >= min(300.0, args.minutes * 60 / 3)]
    first = warm[0] if warm else (memory[0][1] if memory else 0.0)
    last = memory[-1][1] if memory else 0.0
    emit(
        figure="runs",
        database=dialect,
        minutes=args.minutes,
        runs=len(runs),
        map_runs=len(map_runs),
        finished_checked=checked,
        not_successful=failed_runs,
        lost_task_runs=lost,
        stuck_runs=len(stuck),
        stuck=[{"name": r["name"], "state": r["state"]} for r in stuck[:10]],
        agent_restarts=len(restarts),
        agent_exit_codes=sorted(set(restarts)),
    )
    emit(
        figure="memory",
        database=dialect,
        rss_first_after_warmup_mb=round(first, 1),
        rss_last_mb=round(last, 1),
        rss_peak_mb=round(max((mb for _, mb in memory), default=0.0), 1),
        growth_pct=round((last - first) / first * 100, 1) if first else None,
    )
    for name, samples in readers.samples.items():
        emit(figure="ui_query", database=dialect, query=name, **percentiles(samples))
    emit(figure="ui_errors", database=dialect, count=len(readers.errors),
         first=readers.errors[:5])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--map-size", type=int, default=10_000)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--schedule-seconds", type=int, default=10)
    parser.add_argument("--every-minutes", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="proctor-soak-") as folder:
        run_soak(args, Path(folder))


if __name__ == "__main__":
    main()
