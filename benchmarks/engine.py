"""Engine benchmark: per-task overhead of the local engine on standard workloads.

    python benchmarks/engine.py WORKLOAD N [--executor EXECUTOR] [--repeat R]

Workloads: `chain N` (N tasks in a line), `wide N` (N independent tasks + a reduce),
`map N` (a fan-out of N mapped children + a reduce), `hello` (a whole process that imports
proctor and runs a one-task flow). Prints one JSON line per run: wall seconds of the run,
per-task overhead in microseconds (the tasks themselves do almost nothing), peak RSS.

Executors: `local` (default), `thread`, `process`, `dask` (a temporary two-worker
`LocalCluster` per run, its start included), and `dask-cluster`: an already running
cluster, `dask scheduler` + two `dask worker` processes started before the clock starts
(or the one at `--address tcp://...`), warmed up by one small run. The Dask rows also
report `submit_us_per_task`: the time Proctor spends handing chunks to Dask
(`DaskExecutor.submit`: pickling and `client.map`) per task run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("PROCTOR_LOGGING_LEVEL", "WARNING")

HELLO = """
import time
started = time.perf_counter()
import proctor
imported = time.perf_counter()
from proctor import flow, task

@task
def hello(name):
    return f"hello {name}"

@flow
def greet(name: str = "world"):
    hello(name)

assert greet.run().is_successful()
print(imported - started)
"""


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(workload: str, n: int):  # type: ignore[no-untyped-def]
    from proctor import Flow, task

    @task
    def one() -> int:
        return 1

    @task
    def inc(x: int) -> int:
        return x + 1

    @task
    def numbers(count: int) -> list[int]:
        return list(range(count))

    @task
    def total(values: list[int]) -> int:
        return sum(values)

    with Flow(f"{workload}-{n}") as flow:
        if workload == "chain":
            node = one()
            for _ in range(n - 1):
                node = inc(node)
            tasks = n
        elif workload == "wide":
            total([one() for _ in range(n)])
            tasks = n + 2  # n tasks, the list collector, the reduce
        elif workload == "map":
            total(inc.map(numbers(n)))
            tasks = n + 2  # n children, the source, the reduce
        else:
            raise SystemExit(f"unknown workload {workload!r}: chain, wide, map or hello")
    return flow, tasks


EXECUTORS = ("local", "thread", "process", "dask", "dask-cluster")


def timed_dask_executor(**kwargs):  # type: ignore[no-untyped-def]
    """A `DaskExecutor` that adds up the time its `submit` takes."""
    from proctor.executors import DaskExecutor

    class TimedDaskExecutor(DaskExecutor):
        submit_s = 0.0

        def submit(self, units):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            super().submit(units)
            self.submit_s += time.perf_counter() - started

    return TimedDaskExecutor(**kwargs)


def make_executor(name: str, address: str | None):  # type: ignore[no-untyped-def]
    from proctor import executors

    if name == "local":
        return executors.LocalExecutor()
    if name == "thread":
        return executors.ThreadExecutor()
    if name == "process":
        return executors.ProcessExecutor()
    if name == "dask":
        return timed_dask_executor(cluster_kwargs={"n_workers": 2})
    if name == "dask-cluster":
        return timed_dask_executor(address=address)
    raise SystemExit(f"unknown executor {name!r}: {', '.join(EXECUTORS)}")


@contextmanager
def running_cluster(address: str | None) -> Iterator[str]:
    """`address`, or a scheduler and two workers started for this benchmark (and stopped
    after it); warmed up, so workers have imported Proctor before any timed run."""
    from proctor import Flow, task
    from proctor.executors import DaskExecutor
    from proctor.testing import DaskCluster

    @task
    def warm_up(x: int) -> int:
        return x

    with tempfile.TemporaryDirectory(prefix="proctor-bench-dask-") as home:
        cluster = None
        if address is None:
            cluster = DaskCluster(2, home=Path(home))
            address = cluster.start()
        try:
            with Flow("warm-up") as flow:
                warm_up.map(list(range(100)))
            if not flow.run(executor=DaskExecutor(address)).is_successful():
                raise SystemExit(f"the Dask cluster at {address} cannot run Proctor tasks")
            yield address
        finally:
            if cluster is not None:
                cluster.stop()


def run_engine(
    workload: str, n: int, executor_name: str, repeat: int, address: str | None = None
) -> None:
    if executor_name == "dask-cluster":
        with running_cluster(address) as running:
            run_timed(workload, n, executor_name, repeat, running)
    else:
        run_timed(workload, n, executor_name, repeat, None)


def run_timed(workload: str, n: int, executor_name: str, repeat: int, address: str | None) -> None:
    started = time.perf_counter()
    flow, tasks = build(workload, n)
    build_s = time.perf_counter() - started
    for attempt in range(repeat):
        executor = make_executor(executor_name, address)
        started = time.perf_counter()
        state = flow.run(executor=executor)
        wall = time.perf_counter() - started
        if not state.is_successful():
            raise SystemExit(f"benchmark flow did not succeed: {state!r}")
        row = {
            "workload": workload,
            "n": n,
            "executor": executor_name,
            "run": attempt + 1,
            "tasks": tasks,
            "wall_s": round(wall, 4),
            "per_task_us": round(wall / tasks * 1e6, 2),
            "build_s": round(build_s, 4),
            "peak_rss_mb": round(peak_rss_mb(), 1),
        }
        submit_s = getattr(executor, "submit_s", None)
        if submit_s is not None:
            row["submit_us_per_task"] = round(submit_s / tasks * 1e6, 2)
        print(json.dumps(row), flush=True)


def run_hello(repeat: int) -> None:
    for attempt in range(repeat):
        started = time.perf_counter()
        output = subprocess.run(
            [sys.executable, "-c", HELLO], check=True, capture_output=True, text=True
        ).stdout
        wall = time.perf_counter() - started
        print(
            json.dumps(
                {
                    "workload": "hello",
                    "n": 1,
                    "executor": "local",
                    "run": attempt + 1,
                    "wall_s": round(wall, 4),
                    "import_s": round(float(output.strip()), 4),
                }
            ),
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workload", choices=["chain", "wide", "map", "hello"])
    parser.add_argument("n", type=int, nargs="?", default=1000)
    parser.add_argument("--executor", default="local", choices=EXECUTORS)
    parser.add_argument("--address", help="dask-cluster: a running scheduler to use")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if args.workload == "hello":
        run_hello(args.repeat)
    else:
        if args.n < 1:
            raise SystemExit("N must be at least 1")
        if args.address and args.executor != "dask-cluster":
            raise SystemExit("--address goes with --executor dask-cluster")
        run_engine(args.workload, args.n, args.executor, args.repeat, args.address)


if __name__ == "__main__":
    main()
