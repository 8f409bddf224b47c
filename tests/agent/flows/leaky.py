"""Reads a team secret, then writes it everywhere a run process can write without
Proctor formatting it: stderr (in two pieces), plain stdout, a third-party logger, a log
file of its own, a traceback. The masked-output test checks each shows `****`."""

import logging
import os
import sys
from pathlib import Path

from proctor import Secret, flow, task

WORK = Path(os.environ.get("AGENT_TEST_DIR", "/tmp/proctor-agent-test"))


@task
def spill() -> int:
    value = Secret("LEAKY_TOKEN").get()
    half = len(value) // 2
    sys.stderr.write(f"stderr got {value[:half]}")
    sys.stderr.write(f"{value[half:]} in two writes\n")
    sys.stderr.write(f"stderr without a newline {value}")
    sys.stderr.flush()
    sys.stderr.write("\n")
    print(f"stdout got {value}")
    logging.getLogger("urllib3").warning("urllib3 got %s", value)
    own = logging.getLogger("leaky.file")
    own.addHandler(logging.FileHandler(WORK / "own.log"))
    own.propagate = False
    own.error("own file got %s", value)
    try:
        raise ValueError(f"a problem with {value}")
    except ValueError:
        own.exception("own file traceback")
    return len(value)


@task
def crash(length: int) -> None:
    raise RuntimeError(f"crashed holding {Secret('LEAKY_TOKEN').get()} ({length})")


@flow
def leaky():
    crash(spill())
