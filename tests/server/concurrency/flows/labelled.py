"""One task that sleeps `pause` seconds and records when it ran
(`AGENT_TEST_DIR/intervals.log`): the runs of a label limit."""

import os
import time
from pathlib import Path

from proctor import flow, task

WORK = Path(os.environ.get("AGENT_TEST_DIR", "/tmp/proctor-limits-test"))


@task
def work(pause: float) -> float:
    started = time.time()
    time.sleep(pause)
    with open(WORK / "intervals.log", "a") as log:
        log.write(f"run {os.getpid()} {started:.6f} {time.time():.6f}\n")
    return pause


@flow
def labelled(pause: float = 1.0):
    work(pause)
