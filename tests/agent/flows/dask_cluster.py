"""Flows on an existing Dask cluster (its address in `DASK_TEST_ADDRESS`), for the tests of
`DaskExecutor(address=...)` with a real server, agent and run process.

`gated_map`: each mapped child marks that it started (a file named after its index and
its worker's pid), logs a line, and waits until the file `open` exists in the gate
folder: a test can see every worker busy, kill one, then let the map go on.
`worker_secret`: reads a secret that only the workers have, logs it and fails with it.
"""

import os
import time
import uuid
from pathlib import Path

from proctor import Flow, Parameter, Secret, get_run_logger, task, unmapped
from proctor.executors import DaskExecutor

EXECUTOR = DaskExecutor(os.environ.get("DASK_TEST_ADDRESS", "tcp://127.0.0.1:8786"))


@task
def numbers(n: int) -> list[int]:
    return list(range(n))


@task
def gated_square(x: int, gate: str) -> int:
    folder = Path(gate)
    (folder / "started" / f"{x}-{os.getpid()}-{uuid.uuid4().hex[:8]}").touch()
    get_run_logger().info("square of %d", x)
    while not (folder / "open").exists():
        time.sleep(0.02)
    return x * x


@task
def total(values: list[int]) -> int:
    result = sum(values)
    get_run_logger().info("total is %d", result)
    return result


with Flow("gated-map", executor=EXECUTOR) as gated_map:
    squares = gated_square.map(
        numbers(Parameter("n", default=100, type=int)), unmapped(Parameter("gate", type=str))
    )
    total(squares)


@task
def leaky() -> None:
    value = Secret("DASK_WORKER_TOKEN").get()
    get_run_logger().warning("the worker read %s", value)
    raise RuntimeError(f"refused with {value}")


with Flow("worker-secret", executor=EXECUTOR) as worker_secret:
    leaky()
