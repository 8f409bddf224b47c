"""Fails until a marker file exists; persists results so a restart reuses them.

`AGENT_TEST_DIR` (given to run processes with `proctor agent start --env`) holds the
results, the marker and a count of how often `expensive` ran.
"""

import os
from pathlib import Path

from proctor import flow, task
from proctor.results import LocalResult

WORK = Path(os.environ.get("AGENT_TEST_DIR", "/tmp/proctor-agent-test"))


@task
def expensive() -> int:
    with (WORK / "expensive-runs").open("a") as log:
        log.write("ran\n")
    return 21


@task
def fragile(x: int) -> int:
    if not (WORK / "fixed").exists():
        raise RuntimeError("not fixed yet: create the marker file")
    return 2 * x


@task
def report(y: int) -> str:
    return f"answer {y}"


@flow(result=LocalResult(dir=WORK / "results"))
def restartable():
    report(fragile(expensive()))
