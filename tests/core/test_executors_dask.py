"""DaskExecutor on real clusters (no mocks).

Most tests share one in-process `LocalCluster` through `address=` (starting a cluster costs
about a second); one test lets the executor start and close its own temporary cluster.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from proctor import Flow, get_run_logger, task
from proctor.core.errors import ExecutorError
from proctor.core.executors import DaskExecutor, LocalExecutor
from proctor.core.states import Failed, Success, TimedOut
from proctor.triggers import all_finished


@task
def inc(x: int) -> int:
    return x + 1


@task
def total(values: list[int]) -> int:
    return sum(values)


@task
def boom(x: int) -> int:
    raise ValueError(f"bad input {x}")


@task
def odd_lock(x: int) -> object:
    return threading.Lock() if x % 2 else x


@task(timeout=1)
def sleepy() -> None:
    # An hour in small steps: a run that waited for it would hit the suite's 300 s
    # timeout (only a hang does); the timeout's interrupt ends the loop within a step.
    for _ in range(36_000):
        time.sleep(0.1)


@task(trigger=all_finished)
def summarize(value: object) -> str:
    return "downstream ran"


@task(retries=2, retry_delay=0.1)
def flaky(counter: str) -> int:
    path = Path(counter)
    attempts = int(path.read_text()) + 1 if path.exists() else 1
    path.write_text(str(attempts))
    if attempts < 3:
        raise RuntimeError(f"attempt {attempts} fails")
    return attempts


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    from distributed import LocalCluster

    # Even without a dashboard the scheduler serves HTTP on port 8787 by default, and warns
    # (an error here) when another cluster, e.g. a concurrent test run, holds that port.
    cluster = LocalCluster(
        n_workers=1,
        processes=False,
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def map_reduce_flow() -> tuple[Flow, object, object]:
    with Flow("map-reduce") as flow:
        ys = inc.map(list(range(200)))
        result = total(ys)
    return flow, ys, result


def test_importing_the_executor_does_not_import_distributed() -> None:
    code = (
        "import sys, proctor.core.executors.dask as d; d.DaskExecutor(); "
        "assert 'distributed' not in sys.modules, 'distributed imported eagerly'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_arguments_and_repr() -> None:
    assert repr(DaskExecutor("tcp://x:8786")) == "<DaskExecutor address='tcp://x:8786'>"
    shown = repr(DaskExecutor(cluster_kwargs={"n_workers": 3}))
    assert "cluster_class=LocalCluster" in shown
    assert "'n_workers': 3" in shown
    assert "'dashboard_address': None" in shown
    with pytest.raises(ValueError, match="not both"):
        DaskExecutor("tcp://x:8786", cluster_kwargs={"n_workers": 1})
    with pytest.raises(ValueError, match="chunk_size"):
        DaskExecutor(chunk_size=0)


@pytest.mark.slow
def test_map_reduce_on_an_existing_cluster(address: str) -> None:
    flow, ys, result = map_reduce_flow()
    local = flow.run(executor=LocalExecutor())
    state = flow.run(executor=DaskExecutor(address))
    assert state.is_successful(), state
    assert state.result[result].result == local.result[result].result == sum(range(1, 201))
    children = state.result[ys].map_states
    assert len(children) == 200
    assert all(type(child) is Success for child in children)
    assert [child.result for child in children] == list(range(1, 201))


@pytest.mark.slow
def test_retries_timeouts_and_errors_on_an_existing_cluster(address: str, tmp_path: Path) -> None:
    with Flow("mixed") as flow:
        retried = flaky(str(tmp_path / "attempts"))
        stuck = sleepy()
        after = summarize(stuck)
        failed = boom(5)
    state = flow.run(executor=DaskExecutor(address, chunk_size=1))
    assert state.result[retried].result == 3
    assert type(state.result[stuck]) is TimedOut
    assert "within 1 seconds" in state.result[stuck].message
    assert state.result[after].result == "downstream ran"
    assert type(state.result[failed]) is Failed
    assert "ValueError: bad input 5" in state.result[failed].message


@pytest.mark.slow
def test_closures_and_unpicklable_values_on_an_existing_cluster(address: str) -> None:
    offset = 100
    shift = task(lambda x: x + offset, name="shift")
    with Flow("closures") as flow:
        shifted = shift.map([1, 2, 3])
        mixed = odd_lock.map(list(range(6)))
    state = flow.run(executor=DaskExecutor(address, chunk_size=3))
    assert state.result[shifted].result == [101, 102, 103]
    children = state.result[mixed].map_states
    assert [child.is_failed() for child in children] == [x % 2 == 1 for x in range(6)]
    assert "'odd_lock' (odd_lock[1]) returned a lock value" in children[1].message


@pytest.mark.slow
def test_a_temporary_cluster_is_started_and_closed() -> None:
    flow, ys, result = map_reduce_flow()
    executor = DaskExecutor()  # two worker processes, as by default
    state = flow.run(executor=executor)
    assert state.is_successful(), state
    assert state.result[result].result == sum(range(1, 201))
    assert len(state.result[ys].map_states) == 200
    assert executor._client is None and executor._cluster is None


@task
def exit_abruptly() -> None:
    os._exit(7)


@pytest.mark.slow
def test_a_dying_worker_fails_its_task_runs_and_the_run_goes_on() -> None:
    import dask

    with Flow("dies") as flow:
        died = exit_abruptly()
        after = summarize(died)
    # Dask retries a task whose worker died on other workers (three times by default);
    # give up at once so the test does not wait for three worker restarts.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        state = flow.run(executor=DaskExecutor(cluster_kwargs={"n_workers": 1}))
    assert state.result[died].is_failed()
    assert "Dask worker running its chunk" in state.result[died].message
    assert "'exit_abruptly'" in state.result[died].message
    assert state.result[after].result == "downstream ran"


@task
def say(x: int) -> int:
    get_run_logger().info("said %d", x)
    return x


@pytest.mark.slow
def test_lines_of_an_in_process_worker_are_handled_once(address: str) -> None:
    # The fixture's workers are threads of this process: their records reach this
    # process's handlers directly, so none may come back a second time with the chunk.
    seen: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    root = logging.getLogger("proctor")
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        with Flow("in-process") as flow:
            said = say.map(list(range(5)))
        state = flow.run(executor=DaskExecutor(address, chunk_size=2))
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    assert state.result[said].result == list(range(5))
    assert sorted(line for line in seen if line.startswith("said")) == [
        f"said {x}" for x in range(5)
    ]


@pytest.mark.slow
def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    with socket.socket() as sock:  # a free port, closed again: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with Flow("unreachable") as flow:
        inc(1)
    executor = DaskExecutor(f"tcp://127.0.0.1:{port}", client_kwargs={"timeout": 2})
    with pytest.raises(ExecutorError) as raised:
        flow.run(executor=executor)
    message = str(raised.value)
    assert f"cannot reach the Dask scheduler at 'tcp://127.0.0.1:{port}'" in message
    assert "Check that `dask scheduler` runs there" in message
