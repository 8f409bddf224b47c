"""Backend benchmark: flows run by a real agent against a real server on SQLite.

    python benchmarks/backend.py map 1000
    python benchmarks/backend.py map 10000
    python benchmarks/backend.py latency 30

Each starts `proctor server start` (SQLite in a temporary folder) and `proctor agent
start`, as a user would, and prints JSON lines:

- map N: a registered flow maps a trivial task over N elements and sums them. Timed from
  the run entering Running until the server has recorded the final state of every one of
  its N + 3 task runs (polled every 50 ms), so the figure includes the engine, the
  reporter's batches and the server's writes. `per_task_ms` is that time over N; the
  engine alone (`local_seconds`, the same flow run in this process with no server) is
  printed for comparison.
- latency K: K runs scheduled 0.25 s apart, starting 2 s from now; for each, the delay from
  its scheduled time to `Running` as recorded by the server; p50, p99 and max.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("PROCTOR_LOGGING_LEVEL", "WARNING")

from proctor.client import Client
from proctor.testing import ServerProcess

FLOW_FILE = """
from proctor import flow, task


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
def bench_map(n: int = 1000):
    total(double.map(numbers(n)))


@task
def hello() -> str:
    return "hello"


@flow
def bench_hello():
    hello()
"""

FINAL = ["Success", "Failed", "Cancelled"]


def start(folder: Path) -> tuple[ServerProcess, subprocess.Popen[bytes], Path]:
    server = ServerProcess(f"sqlite+aiosqlite:///{folder / 'proctor.db'}", folder)
    server.start(timeout=60)
    flows = folder / "bench_flows.py"
    flows.write_text(FLOW_FILE)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PROCTOR_")}
    env.update(
        PROCTOR_HOME=str(folder),
        PROCTOR_API_URL=server.url,
        PROCTOR_LOGGING_LEVEL="WARNING",
        PROCTOR_AGENT_CLAIM_WAIT_SECONDS="10",
    )
    agent = subprocess.Popen(
        [sys.executable, "-m", "proctor", "agent", "start", "--name", "bench", "--max-runs", "8"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(folder / "agent.log").open("wb"),
    )
    return server, agent, flows


def stop(server: ServerProcess, agent: subprocess.Popen[bytes]) -> None:
    agent.send_signal(signal.SIGTERM)
    try:
        agent.wait(timeout=30)
    except subprocess.TimeoutExpired:
        agent.kill()
    server.stop()


def count_final(client: Client, run_id: str) -> int:
    page = client.list_task_runs(run_id, states=FINAL, first=1)
    return page.total_count or 0


def bench_map(n: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="proctor-bench-") as tmp:
        folder = Path(tmp)
        server, agent, flows = start(folder)
        try:
            from proctor.core.loader import load_flows_from_path

            flow = load_flows_from_path(flows)["bench_map"]
            local_started = time.perf_counter()
            assert flow.run(n=n).is_successful()
            local_seconds = time.perf_counter() - local_started
            registered = flow.register("bench", api_url=server.url)
            with Client(server.url) as client:
                created_at = time.time()
                run = client.create_flow_run(registered.flow.id, parameters={"n": n})
                expected = n + 4  # numbers, n, total, the mapped node + its n children
                while count_final(client, run.id) < expected:
                    time.sleep(0.05)
                recorded_at = time.time()
                run = client.get_flow_run(run.id)
                assert run.state == "Success", run.state_message
                assert run.start_time is not None
                seconds = recorded_at - run.start_time.timestamp()
                return {
                    "benchmark": "backend",
                    "workload": f"map {n}",
                    "task_runs": expected,
                    "seconds": round(seconds, 3),
                    "per_task_ms": round(seconds / n * 1000, 4),
                    "create_to_recorded_seconds": round(recorded_at - created_at, 3),
                    "local_seconds": round(local_seconds, 3),
                    "database": "sqlite",
                }
        finally:
            stop(server, agent)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def bench_latency(count: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="proctor-bench-") as tmp:
        folder = Path(tmp)
        server, agent, flows = start(folder)
        try:
            from proctor.core.loader import load_flows_from_path

            flow = load_flows_from_path(flows)["bench_hello"]
            registered = flow.register("bench", api_url=server.url)
            with Client(server.url) as client:
                time.sleep(1.0)  # let the agent register and start its long-poll
                first = datetime.now(UTC) + timedelta(seconds=2)
                runs = [
                    client.create_flow_run(
                        registered.flow.id,
                        scheduled_start_time=first + timedelta(seconds=0.25 * i),
                    )
                    for i in range(count)
                ]
                delays = []
                for run in runs:
                    while True:
                        current = client.get_flow_run(run.id)
                        if current.state in FINAL:
                            break
                        time.sleep(0.1)
                    assert current.start_time is not None
                    assert current.scheduled_start_time is not None
                    delays.append(
                        (current.start_time - current.scheduled_start_time).total_seconds()
                    )
            return {
                "benchmark": "backend",
                "workload": f"latency {count}",
                "p50_seconds": round(statistics.median(delays), 3),
                "p99_seconds": round(percentile(delays, 0.99), 3),
                "max_seconds": round(max(delays), 3),
                "database": "sqlite",
            }
        finally:
            stop(server, agent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", choices=["map", "latency"])
    parser.add_argument("n", type=int)
    args = parser.parse_args()
    result = bench_map(args.n) if args.workload == "map" else bench_latency(args.n)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
