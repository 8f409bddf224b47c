"""ProcessExecutor: a real process pool, real pickling, real worker deaths (no mocks)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from proctor import Flow, task
from proctor.core.executors import LocalExecutor, ProcessExecutor
from proctor.core.executors.process import (
    MAX_CHUNK_SIZE,
    default_start_method,
    run_chunk,
    split_batch,
)
from proctor.core.runner.unit import TaskRunUnit
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
def make_lock() -> threading.Lock:
    return threading.Lock()


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


@task
def exit_abruptly() -> None:
    os._exit(7)


@task(retries=1, retry_delay=0.1)
def exit_once(counter: str) -> str:
    path = Path(counter)
    if not path.exists():
        path.write_text("died")
        os._exit(7)
    return "second attempt"


@task
def identity(value: object) -> object:
    return value


class NeedsTwoArguments(Exception):
    """Pickles, but does not unpickle: `Exception` pickles only `args`."""

    def __init__(self, code: int, detail: str) -> None:
        super().__init__(f"{code}: {detail}")


@task
def odd_error(x: int) -> int:
    if x % 2:
        raise NeedsTwoArguments(x, "custom")
    return x


@task
def odd_lock(x: int) -> object:
    return threading.Lock() if x % 2 else x


def map_reduce_flow() -> tuple[Flow, object, object]:
    with Flow("map-reduce") as flow:
        ys = inc.map(list(range(200)))
        result = total(ys)
    return flow, ys, result


# -- chunking (no processes) ------------------------------------------------------------


def units(count: int) -> list[TaskRunUnit]:
    return [TaskRunUnit(0, inc, "inc", {"x": i}, [], i) for i in range(count)]


@pytest.mark.parametrize(
    ("count", "workers", "expected_chunks"),
    [(1, 4, 1), (3, 8, 3), (20, 2, 8), (200, 2, 8), (10_000, 2, 20), (10_000, 16, 64)],
)
def test_split_batch_sizes(count: int, workers: int, expected_chunks: int) -> None:
    batch = units(count)
    chunks = split_batch(batch, workers)
    assert len(chunks) == expected_chunks
    assert [unit for chunk in chunks for unit in chunk] == batch  # order kept, none lost
    sizes = [len(chunk) for chunk in chunks]
    assert min(sizes) >= 1
    assert max(sizes) <= MAX_CHUNK_SIZE
    assert max(sizes) - min(sizes) <= 1  # even


def test_split_batch_fixed_size() -> None:
    assert [len(chunk) for chunk in split_batch(units(7), 4, chunk_size=3)] == [3, 3, 1]
    assert split_batch([], 4) == []


def test_run_chunk_reports_unloadable_payload() -> None:
    import cloudpickle

    assert cloudpickle.loads(run_chunk(b"not a pickle")).startswith(
        "The worker could not load the task runs"
    )


def test_defaults_and_repr() -> None:
    assert default_start_method() in {"forkserver", "spawn"}
    assert repr(ProcessExecutor(2, "spawn")) == "<ProcessExecutor max_workers=2 mp_context='spawn'>"
    with pytest.raises(ValueError, match="max_workers"):
        ProcessExecutor(0)
    with pytest.raises(ValueError):
        ProcessExecutor(mp_context="teleport")


# -- real pools ---------------------------------------------------------------------------


@pytest.mark.slow
def test_map_reduce_matches_local_executor_and_returns_every_child_state() -> None:
    flow, ys, result = map_reduce_flow()
    local = flow.run(executor=LocalExecutor())
    state = flow.run(executor=ProcessExecutor(max_workers=2))
    assert state.is_successful(), state
    assert state.result[result].result == local.result[result].result == sum(range(1, 201))
    children = state.result[ys].map_states
    assert len(children) == 200
    assert all(type(child) is Success for child in children)
    assert [child.result for child in children] == list(range(1, 201))
    assert all(child.created > 0 for child in children)


@pytest.mark.slow
def test_retries_run_again_in_a_worker(tmp_path: Path) -> None:
    counter = tmp_path / "attempts"
    with Flow("retry") as flow:
        value = flaky(str(counter))
    state = flow.run(executor=ProcessExecutor(max_workers=2))
    assert state.is_successful(), state.result[value]
    assert state.result[value].result == 3
    assert counter.read_text() == "3"


@pytest.mark.slow
def test_timeout_ends_timed_out_and_downstream_still_runs() -> None:
    with Flow("timeout") as flow:
        stuck = sleepy()
        after = summarize(stuck)
    state = flow.run(executor=ProcessExecutor(max_workers=1))
    assert type(state.result[stuck]) is TimedOut
    assert "within 1 seconds" in state.result[stuck].message
    assert state.result[after].result == "downstream ran"


@pytest.mark.slow
def test_lambdas_and_closures_defined_here_run_in_workers() -> None:
    factor = 3
    triple = task(lambda x: x * factor, name="triple")

    def make_adder(amount: int):  # a closure over `amount`, unknown to any module
        @task(name="add")
        def add(x: int) -> int:
            return x + amount

        return add

    add_ten = make_adder(10)
    with Flow("closures") as flow:
        tripled = triple.map([1, 2, 3])
        added = add_ten.map(tripled)
    state = flow.run(executor=ProcessExecutor(max_workers=2))
    assert state.is_successful(), state
    assert state.result[added].result == [13, 16, 19]


@pytest.mark.slow
def test_errors_become_failed_states_with_their_message() -> None:
    with Flow("errors") as flow:
        failed = boom(5)
        # One worker, ten children: four chunks, so failures share chunks with successes.
        odd = odd_error.map(list(range(10)))
        fine = inc(1)
        after = summarize(failed)
    state = flow.run(executor=ProcessExecutor(max_workers=1))
    assert state.is_failed()
    failure = state.result[failed]
    assert type(failure) is Failed
    assert "ValueError: bad input 5" in failure.message
    assert isinstance(failure.result, ValueError)
    # The exception pickles but cannot be unpickled: each such state says so, alone.
    children = state.result[odd].map_states
    assert [child.is_failed() for child in children] == [x % 2 == 1 for x in range(10)]
    assert "NeedsTwoArguments: 3: custom" in children[3].message
    assert [child.result for child in children[::2]] == [0, 2, 4, 6, 8]
    assert state.result[fine].result == 2
    assert state.result[after].result == "downstream ran"


@pytest.mark.slow
def test_values_that_cannot_be_pickled_fail_only_their_task_run() -> None:
    lock = threading.Lock()
    with Flow("unpicklable") as flow:
        returned = make_lock()
        passed = identity(lock)  # an input that cannot be sent to a worker
        fine = inc.map([1, 2, 3])
        mixed = odd_lock.map(list(range(10)))  # chunks mixing good and bad values
    state = flow.run(executor=ProcessExecutor(max_workers=1))
    message = state.result[returned].message
    assert state.result[returned].is_failed()
    assert "'make_lock'" in message
    assert "cannot be pickled" in message
    assert state.result[passed].is_failed()
    assert "'identity'" in state.result[passed].message
    assert state.result[fine].result == [2, 3, 4]
    children = state.result[mixed].map_states
    assert [child.is_failed() for child in children] == [x % 2 == 1 for x in range(10)]
    assert "'odd_lock' (odd_lock[1]) returned a lock value" in children[1].message


@pytest.mark.slow
def test_a_dying_worker_fails_its_task_runs_and_the_run_goes_on(tmp_path: Path) -> None:
    with Flow("dies") as flow:
        died = exit_abruptly()
        after = summarize(died)
    executor = ProcessExecutor(max_workers=1)
    state = flow.run(executor=executor)  # a run that waited for the dead worker would hang
    assert state.result[died].is_failed()
    assert "worker process died" in state.result[died].message
    assert "'exit_abruptly'" in state.result[died].message
    assert state.result[after].result == "downstream ran"  # a new pool served the rest

    # A lost attempt counts as a failed one: a task with retries left runs again.
    with Flow("dies-once") as flow_once:
        recovered = exit_once(str(tmp_path / "died-once"))
    state = flow_once.run(executor=executor)  # the executor is reusable across runs
    assert state.result[recovered].result == "second attempt"


WORKER_LOGS_SCRIPT = """
import os
from proctor import Flow, Secret, get_run_logger, task
from proctor.core.executors import ProcessExecutor

@task
def say(x):
    get_run_logger().info("said %d", x)
    return x

@task
def leak():
    get_run_logger().warning("worker read %s", Secret("WORKER_ONLY").get())

if __name__ == "__main__":
    import logging
    logging.basicConfig(format="FLOW %(message)s", level=logging.INFO)  # this process only
    with Flow("worker-logs") as flow:
        say.map(list(range(8)))
        leak()
    assert flow.run(executor=ProcessExecutor(max_workers=2)).is_successful()
    # Read in a worker only; the flow's process was told, so it masks it now too.
    from proctor.core.masking import mask_secrets
    print(mask_secrets(os.environ["PROCTOR_SECRETS_WORKER_ONLY"]))
"""


@pytest.mark.slow
def test_worker_log_lines_are_printed_once_by_the_flow_process(tmp_path: Path) -> None:
    script = tmp_path / "worker_logs.py"
    script.write_text(WORKER_LOGS_SCRIPT)
    secret = "only-the-workers-read-this"
    env = {key: text for key, text in os.environ.items() if not key.startswith("PROCTOR_")}
    env.update(PROCTOR_SECRETS_WORKER_ONLY=secret, PROCTOR_LOGGING_LEVEL="INFO")
    done = subprocess.run(
        [sys.executable, str(script)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    # The workers share this stderr but print nothing of their own: each line once, by
    # the flow's process, through the logging it configured.
    for x in range(8):
        assert [line for line in lines if line.endswith(f"said {x}")] == [f"FLOW said {x}"]
    assert [line for line in lines if "worker read" in line] == ["FLOW worker read ****"]
    assert secret not in done.stderr
    assert done.stdout.strip() == "****"


@task
def secret_prefix(token: str) -> tuple[str, int]:
    return token[:7], os.getpid()


@task
def reads_server_secret() -> str:
    from proctor import Secret

    return Secret("ONLY_ON_THE_SERVER").get()


@pytest.mark.parametrize("method", ["fork", default_start_method()])
def test_workers_never_ask_the_runs_secret_resolver(method: str) -> None:
    # A forked worker inherits the run's resolver (in a real run: a client holding the
    # run's key); it must not use it. `asked` lives in this process: a worker's calls
    # would land in its own copy, so the worker's failure message is checked too.
    from proctor import Secret
    from proctor.core.masking import forget_secret_values
    from proctor.core.secrets import set_secret_resolver

    asked: list[tuple[str, int]] = []

    def server(name: str) -> str:
        asked.append((name, os.getpid()))
        return "s3cret-from-the-server"

    previous = set_secret_resolver(server)
    try:
        with Flow("process-secrets") as flow:
            used = secret_prefix(Secret("API_TOKEN"))
            refused = reads_server_secret()
        state = flow.run(executor=ProcessExecutor(max_workers=2, mp_context=method))
    finally:
        set_secret_resolver(previous)
        forget_secret_values()
    assert asked == [("API_TOKEN", os.getpid())]
    prefix, pid = state.result[used].result
    assert prefix == "s3cret-" and pid != os.getpid()
    message = state.result[refused].message
    assert state.result[refused].is_failed()
    assert "No secret 'ONLY_ON_THE_SERVER' on this worker" in message
