"""Logs as it goes and waits for a marker file before its last step: a run that is
certainly still running while a test follows its logs (`proctor runs logs --follow`)."""

import os
import time
from pathlib import Path

from proctor import flow, get_run_logger, task

WORK = Path(os.environ.get("AGENT_TEST_DIR", "/tmp/proctor-agent-test"))


@task
def items(n: int) -> list[int]:
    return list(range(n))


@task
def enrich(i: int) -> int:
    logger = get_run_logger()
    logger.info("enriching item %d", i)
    if i == 1:
        logger.warning("item 1 looks odd")
    return i


@task
def wait_for_go(values: list[int]) -> int:
    logger = get_run_logger()
    logger.info("waiting for go")
    while not (WORK / "go").exists():
        time.sleep(0.1)
    for step in range(3):
        logger.info("after go %d", step)
    return sum(values)


@flow
def chatty(n: int = 3):
    wait_for_go(enrich.map(items(n)))
