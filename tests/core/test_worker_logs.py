"""worker_logs in one process: what a chunk collects, and how the flow side replays it.

(The real trips, through process-pool and Dask workers, are in test_executors_process.py,
test_executors_dask*.py and tests/agent/test_dask_cluster.py.)
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Iterator

import pytest

from proctor.core.executors import worker_logs
from proctor.core.masking import forget_secret_values, mask_secrets, register_secret_value
from proctor.core.secrets import Secret

NOT_THIS_PROCESS = "another-process:1"  # an origin not ours: collect as a worker would


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def proctor_logger() -> Iterator[logging.Logger]:
    """The `proctor` logger, put back as it was (handlers, level, the installed handler)."""
    logger = logging.getLogger("proctor")
    handlers, level, installed = list(logger.handlers), logger.level, worker_logs._handler
    try:
        yield logger
    finally:
        logger.handlers[:] = handlers
        logger.setLevel(level)
        worker_logs._handler = installed
        forget_secret_values()


def test_nothing_is_collected_in_the_flow_process_itself(proctor_logger: logging.Logger) -> None:
    with worker_logs.collecting(logging.INFO, worker_logs.this_process()) as collected:
        logging.getLogger("proctor.run").warning("seen here directly")
    assert collected is None


# Python 3.12+ warns about fork() in a process with threads; this child only answers.
@pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")
def test_a_worker_with_the_same_pid_elsewhere_or_a_forked_child_still_collects(
    proctor_logger: logging.Logger,
) -> None:
    # Another machine or container can have this very pid (each container's pid 1).
    with worker_logs.collecting(logging.INFO, f"another-token:{os.getpid()}") as collected:
        logging.getLogger("proctor.run").warning("from a namesake")
    assert collected is not None and [r["msg"] for r in collected.records] == ["from a namesake"]
    # A forked pool worker inherits this process's token, not its identity.
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    child = context.Process(target=lambda: answers.put(worker_logs.this_process()))
    child.start()
    forked = answers.get(timeout=60)
    child.join(timeout=60)
    assert forked != worker_logs.this_process()
    assert forked.split(":")[0] == worker_logs.this_process().split(":")[0]


def test_a_chunk_collects_its_lines_at_its_level_with_run_identity_and_tracebacks(
    proctor_logger: logging.Logger,
) -> None:
    proctor_logger.setLevel(logging.WARNING)  # as in a Dask worker
    logger = logging.getLogger("proctor.run.extract")
    identity = {"flow_run_id": "run-1", "task_slug": "extract", "map_index": 3}
    with worker_logs.collecting(logging.INFO, NOT_THIS_PROCESS) as collected:
        logger.debug("below the run's level")
        logger.info("rows: %d", 12, extra=identity)
        try:
            raise KeyError("missing")
        except KeyError:
            logger.exception("failed", extra=identity)
    assert collected is not None
    assert proctor_logger.level == logging.INFO  # lowered so the run's INFO lines exist
    first, second = collected.records
    assert first["msg"] == "rows: 12" and first["levelname"] == "INFO"
    assert (first["flow_run_id"], first["task_slug"], first["map_index"]) == ("run-1", "extract", 3)
    assert first["process"] == os.getpid() and first["name"] == "proctor.run.extract"
    assert second["msg"].startswith("failed\nTraceback (most recent call last):")
    assert second["msg"].endswith("KeyError: 'missing'")


def test_lines_of_other_threads_are_not_collected(proctor_logger: logging.Logger) -> None:
    # A Dask worker runs several chunks at once, one per thread: each keeps its own.
    with worker_logs.collecting(logging.INFO, NOT_THIS_PROCESS) as collected:
        other = threading.Thread(
            target=lambda: logging.getLogger("proctor.run").warning("another chunk's line")
        )
        other.start()
        other.join()
        logging.getLogger("proctor.run").warning("this chunk's line")
    assert collected is not None
    assert [record["msg"] for record in collected.records] == ["this chunk's line"]


def test_secret_values_read_in_a_chunk_are_collected_and_masked_in_its_lines(
    proctor_logger: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCTOR_SECRETS_CHUNK_TOKEN", "chunk-token-value")
    register_secret_value("chunk-token-value")  # known here already: still sent back
    with worker_logs.collecting(logging.INFO, NOT_THIS_PROCESS) as collected:
        value = Secret("CHUNK_TOKEN").get()
        logging.getLogger("proctor.run").warning("token %s", value)
    assert collected is not None
    assert collected.secrets == {"chunk-token-value"}
    assert [record["msg"] for record in collected.records] == ["token ****"]


def test_replay_registers_the_secrets_first_and_stamps_lines_on_arrival(
    proctor_logger: logging.Logger,
) -> None:
    seen = Collect()
    proctor_logger.addHandler(seen)
    record = {
        "name": "proctor.run.load",
        "levelno": logging.INFO,
        "levelname": "INFO",
        "created": 1_000.0,
        "process": 4242,
        "processName": "worker",
        "msg": "loaded with worker-secret-value",  # a worker that did not know the value
        "task_slug": "load",
        "map_index": 0,
    }
    assert mask_secrets("worker-secret-value") == "worker-secret-value"
    worker_logs.replay([record], {"worker-secret-value"})
    [line] = seen.records
    assert line.getMessage() == "loaded with ****"
    assert mask_secrets("worker-secret-value") == "****"  # states reported next are masked
    assert line.name == "proctor.run.load" and line.process == 4242
    assert (line.task_slug, line.map_index) == ("load", 0)  # type: ignore[attr-defined]
    assert line.worker_created == 1_000.0  # type: ignore[attr-defined]
    assert line.created > 1_000.0
