"""DaskExecutor(address=...) against a cluster started separately: `dask scheduler` and two
`dask worker` processes on loopback (proctor.testing.DaskCluster), as an operator runs one.

The flow runs in this process; its task runs in the worker processes. (The kill -9 test,
with every task run checked on a real server, is tests/agent/test_dask_cluster.py.)
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from proctor import Flow, Secret, get_run_logger, task
from proctor.core.executors import DaskExecutor
from proctor.core.masking import forget_secret_values, mask_secrets
from proctor.core.secrets import set_secret_resolver
from proctor.core.states import Success
from proctor.testing import DaskCluster

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# Only the workers have it, in their environment: the flow's process never reads it.
TOKEN = f"worker-only-{uuid.uuid4().hex}"


@task
def tagged_inc(x: int) -> tuple[int, int]:
    return x + 1, os.getpid()


@task
def total(values: list[tuple[int, int]]) -> int:
    return sum(value for value, _pid in values)


@task(log_stdout=True)
def chatty(x: int) -> int:
    logger = get_run_logger()
    logger.debug("debug line %d (below the run's level)", x)
    logger.info("info line %d", x)
    print(f"printed line {x}")
    return x


@task
def leaky() -> int:
    value = Secret("DASK_WORKER_TOKEN").get()
    get_run_logger().warning("read the token %s on a worker", value)
    raise RuntimeError(f"refused with {value}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskCluster]:
    env = {
        # The workers import this module by name to unpickle its tasks.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PROCTOR_SECRETS_DASK_WORKER_TOKEN": TOKEN,
    }
    running = DaskCluster(2, home=tmp_path_factory.mktemp("dask-cluster"), env=env)
    running.start()
    try:
        yield running
    finally:
        running.stop()


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def run_logs() -> Iterator[list[logging.LogRecord]]:
    """The `proctor` loggers' records in this process, at INFO like a run process."""
    handler = Collect()
    root = logging.getLogger("proctor")
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        forget_secret_values()


def test_map_10000_on_two_worker_processes(cluster: DaskCluster) -> None:
    with Flow("cluster-map") as flow:
        pairs = tagged_inc.map(list(range(10_000)))
        result = total(pairs)
    state = flow.run(executor=DaskExecutor(cluster.address))
    assert state.is_successful(), state
    children = state.result[pairs].map_states
    assert len(children) == 10_000
    assert all(type(child) is Success for child in children)
    assert [child.result[0] for child in children] == list(range(1, 10_001))
    assert state.result[result].result == sum(range(1, 10_001))
    # Both workers ran chunks, and nothing ran in this process.
    pids = {child.result[1] for child in children}
    assert pids == set(cluster.worker_pids().values())
    assert os.getpid() not in pids


def test_worker_log_lines_come_back_to_the_flow_process(
    cluster: DaskCluster, run_logs: list[logging.LogRecord]
) -> None:
    with Flow("cluster-logs") as flow:
        mapped = chatty.map(list(range(6)))
    state = flow.run(executor=DaskExecutor(cluster.address, chunk_size=2))
    assert state.is_successful(), state
    assert state.result[mapped].result == list(range(6))

    workers = set(cluster.worker_pids().values())
    lines = [r for r in run_logs if getattr(r, "task_slug", None) == "chatty"]
    # Each line once, with the task run that logged it and the worker it came from; the
    # workers' own level is WARNING, the run's INFO: INFO lines come, DEBUG lines do not.
    info = sorted((r.getMessage(), r.map_index) for r in lines if "info line" in r.msg)
    assert info == [(f"info line {x}", x) for x in range(6)]
    printed = sorted((r.getMessage(), r.map_index) for r in lines if "printed" in r.msg)
    assert printed == [(f"printed line {x}", x) for x in range(6)]
    assert not [r for r in lines if "debug line" in r.msg]
    assert {r.process for r in lines} <= workers
    # Stamped on arrival here, the worker's time kept beside it.
    assert all(r.worker_created <= r.created for r in lines)  # type: ignore[attr-defined]
    assert len({r.flow_run_id for r in lines}) == 1  # type: ignore[attr-defined]


def test_a_secret_read_on_a_worker_is_masked_in_what_the_flow_process_ships(
    cluster: DaskCluster, run_logs: list[logging.LogRecord]
) -> None:
    assert mask_secrets(f"x {TOKEN}") == f"x {TOKEN}"  # this process never read it
    with Flow("cluster-secret") as flow:
        failed = leaky()
    state = flow.run(executor=DaskExecutor(cluster.address))
    assert state.result[failed].is_failed()

    lines = [r.getMessage() for r in run_logs if getattr(r, "task_slug", None) == "leaky"]
    assert "read the token **** on a worker" in lines
    assert any(
        line.startswith("Task leaky failed: RuntimeError: refused with ****") for line in lines
    )
    assert all(TOKEN not in line for line in lines)
    # The value came back with the chunk: this process now masks it wherever it reports
    # (the state message a run process sends, its console).
    assert mask_secrets(state.result[failed].message) == "RuntimeError: refused with ****"
    # The worker printed its warning too (masked: it read the value), as Python would
    # have without Proctor's handler there; a line lost with a worker is still there.
    output = cluster.log("worker-1") + cluster.log("worker-2")
    assert "cluster-secret/leaky | read the token **** on a worker" in output
    assert TOKEN not in output


SERVER_VALUE = f"server-only-{uuid.uuid4().hex}"


@task
def use_token(token: str) -> int:
    get_run_logger().warning("using %s on a worker", token)
    return os.getpid()


@task
def reads_itself() -> str:
    return Secret("SERVER_ONLY").get()


def test_a_runs_secrets_are_read_in_the_flow_process_and_reach_workers_as_values(
    cluster: DaskCluster, run_logs: list[logging.LogRecord]
) -> None:
    # The run's resolver, as an agent's run process installs one (it asks the server with
    # the run's key): who asks it, from which process, is what this test is about.
    asked: list[tuple[str, int]] = []

    def server(name: str) -> str:
        asked.append((name, os.getpid()))
        return SERVER_VALUE

    previous = set_secret_resolver(server)
    try:
        with Flow("cluster-server-secret") as flow:
            used = use_token(Secret("SERVER_TOKEN"))
            refused = reads_itself()
        state = flow.run(executor=DaskExecutor(cluster.address))
    finally:
        set_secret_resolver(previous)

    # Read once, here; the task ran on a worker with the value as its input.
    assert asked == [("SERVER_TOKEN", os.getpid())]
    assert state.result[used].is_successful(), state.result[used]
    assert state.result[used].result in set(cluster.worker_pids().values())
    # A task that reads a secret itself on a worker does not get the server's: it is told
    # how to have it.
    failed = state.result[refused]
    assert failed.is_failed()
    assert "No secret 'SERVER_ONLY' on this worker" in failed.message
    assert "Pass Secret('SERVER_ONLY') to the task as an argument" in failed.message
    # Masked in the lines that came back, and in the worker's own output.
    lines = [r.getMessage() for r in run_logs if getattr(r, "task_slug", None) == "use_token"]
    assert lines == ["using **** on a worker"]
    output = cluster.log("worker-1") + cluster.log("worker-2")
    assert "cluster-server-secret/use_token | using **** on a worker" in output
    assert SERVER_VALUE not in output
