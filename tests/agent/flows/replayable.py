"""Fails on one input (`n == 0`: a division by zero), persists results, and counts how
often `load` ran, so a replay can show it reused the run's result instead of running it.

`AGENT_TEST_DIR` holds the results and the count (the run's processes and the replaying
CLI get the same one)."""

import os
from pathlib import Path

from proctor import flow, task
from proctor.results import LocalResult

WORK = Path(os.environ.get("AGENT_TEST_DIR", "/tmp/proctor-agent-test"))


@task
def load(n: int) -> list[int]:
    with (WORK / "load-runs").open("a") as log:
        log.write("ran\n")
    return [10 * n, 20 * n, 30 * n]


@task
def share(values: list[int], n: int) -> list[float]:
    total = sum(values)
    return [value / total for value in values]  # n == 0: every value is 0


@task
def publish(shares: list[float]) -> str:
    return ", ".join(f"{share:.2f}" for share in shares)


@flow(result=LocalResult(dir=WORK / "results"))
def replayable(n: int = 1):
    publish(share(load(n), n))
