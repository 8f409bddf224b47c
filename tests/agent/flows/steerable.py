"""Four tasks with persisted results, each counting its runs: `first` feeds `middle` and
`side`, `middle` feeds `last`. A restart from `middle` must run `middle` and `last` again
and read `first` and `side` back.

`AGENT_TEST_DIR` holds the results and one file per task with a line per run.
"""

import os
from pathlib import Path

from proctor import flow, task
from proctor.results import LocalResult

WORK = Path(os.environ.get("AGENT_TEST_DIR", "/tmp/proctor-agent-test"))


def count(name: str) -> None:
    with (WORK / f"{name}-runs").open("a") as log:
        log.write("ran\n")


@task
def first() -> int:
    count("first")
    return 1


@task
def middle(x: int) -> int:
    count("middle")
    return x + 1


@task
def side(x: int) -> int:
    count("side")
    return x * 10


@task
def last(y: int) -> str:
    count("last")
    return f"got {y}"


@flow(result=LocalResult(dir=WORK / "results"))
def steerable():
    x = first()
    last(middle(x))
    side(x)
