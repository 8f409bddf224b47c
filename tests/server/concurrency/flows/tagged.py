"""Mapped `query` children tagged "db" on a ThreadExecutor with more threads than the
limit; each records when its body ran (`AGENT_TEST_DIR/intervals.log`)."""

import os
import time
from pathlib import Path

from proctor import flow, task, unmapped
from proctor.executors import ThreadExecutor

WORK = Path(os.environ.get("AGENT_TEST_DIR", "/tmp/proctor-limits-test"))


def record(kind: str, started: float) -> None:
    line = f"{kind} {os.getpid()} {started:.6f} {time.time():.6f}\n"
    with open(WORK / "intervals.log", "a") as log:  # one O_APPEND write per line
        log.write(line)


@task
def items(n: int) -> list[int]:
    return list(range(n))


@task(tags=["db"])
def query(i: int, pause: float) -> int:
    started = time.time()
    time.sleep(pause)
    record("db", started)
    return i


@task
def total(values: list[int]) -> int:
    return sum(values)


@flow(executor=ThreadExecutor(max_workers=6))
def tagged(n: int = 8, pause: float = 0.3):
    total(query.map(items(n), pause=unmapped(pause)))
