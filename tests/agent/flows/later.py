"""Retries due later than the run process waits: a task retry, and a flow-level retry.

Each first attempt fails (a marker file in `AGENT_TEST_DIR` remembers it), and the retry
is due 3 s later: with `PROCTOR_FLOW_RUN_MAX_RETRY_WAIT_SECONDS=1` the run is re-queued.
"""

import os
from pathlib import Path

from proctor import flow, task
from proctor.results import LocalResult

WORK = Path(os.environ.get("AGENT_TEST_DIR", "/tmp/proctor-agent-test"))


def first_time(name: str) -> bool:
    marker = WORK / name
    if marker.exists():
        return False
    marker.touch()
    return True


@task
def steady() -> int:
    with (WORK / "steady-runs").open("a") as log:
        log.write("ran\n")
    return 1


@task(retries=1, retry_delay=3)
def flaky(x: int) -> int:
    if first_time("flaky-failed"):
        raise ConnectionError("the first attempt fails")
    return x + 1


@flow(result=LocalResult(dir=WORK / "results"))
def task_retry_later():
    flaky(steady())


@task
def fragile(x: int) -> int:
    if first_time("fragile-failed"):
        raise RuntimeError("the first flow attempt fails")
    return x + 1


@flow(retries=1, retry_delay=3, result=LocalResult(dir=WORK / "results"))
def flow_retry_later():
    fragile(steady())
