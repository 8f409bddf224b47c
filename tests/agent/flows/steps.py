"""N slow mapped steps with persisted results: a run long enough to kill things under."""

import os
import time
from pathlib import Path

from proctor import flow, task, unmapped
from proctor.results import LocalResult

WORK = Path(os.environ.get("AGENT_TEST_DIR", "/tmp/proctor-agent-test"))


@task
def items(n: int) -> list[int]:
    return list(range(n))


@task(retries=2, retry_delay=0)
def step(i: int, pause: float) -> int:
    time.sleep(pause)
    return i


@task
def total(values: list[int]) -> int:
    return sum(values)


@flow(result=LocalResult(dir=WORK / "results"))
def steps(n: int = 10, pause: float = 0.5):
    total(step.map(items(n), pause=unmapped(pause)))
