"""Promises of the runner's small modules (caching, unit, stdout, templates, timeouts) that
mutation testing found no test holding (benchmarks/mutation-engine.md, "Runner modules").

Each test here failed against the mutant it is named for and passes on the code as it is.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from proctor import Flow, task, triggers
from proctor.core.context import FlowRunContext
from proctor.core.executors import LocalExecutor
from proctor.core.observers import RunObserver, TaskRunChange
from proctor.core.runner import caching, task_runner
from proctor.core.runner.flow_runner import FlowRunner
from proctor.core.runner.unit import TaskRunUnit
from proctor.results import LocalResult
from proctor.states import Paused, Submitted, TimedOut, TriggerFailed


class CountingResult(LocalResult):
    """A local store that counts what is read from it (shared by its copies)."""

    reads: list[str] = []

    def read(self, location: str) -> Any:
        CountingResult.reads.append(location)
        return super().read(location)


def test_a_cache_entry_loaded_from_the_store_is_kept_in_memory(tmp_path: Path) -> None:
    CountingResult.reads = []
    calls: list[int] = []

    @task(cache_for=3600, result=CountingResult(dir=str(tmp_path)))
    def expensive(x: int) -> int:
        calls.append(x)
        return 2 * x

    with Flow("kept") as flow:
        node = expensive(21)
    assert flow.run().result[node].result == 42
    # As a new process would: the entry is only in the store.
    caching.clear_memory_cache()
    assert flow.run().result[node].result == 42
    read_from_store = list(CountingResult.reads)
    assert read_from_store, "the second run did not read the cache from the store"
    assert flow.run().result[node].result == 42
    assert CountingResult.reads == read_from_store, "the third run read the store again"
    assert calls == [21]
    caching.clear_memory_cache()


def test_a_cached_task_that_does_not_checkpoint_writes_nothing_to_its_store(
    tmp_path: Path,
) -> None:
    @task(cache_for=3600, result=LocalResult(dir=str(tmp_path)), checkpoint=False)
    def unsaved(x: int) -> int:
        return x + 1

    with Flow("no checkpoint") as flow:
        node = unsaved(1)
    assert flow.run().result[node].result == 2
    assert sorted(tmp_path.rglob("*")) == []
    caching.clear_memory_cache()


def test_a_unit_is_not_resumed_unless_told() -> None:
    @task(trigger=triggers.manual_only)
    def approve() -> str:
        return "approved"

    state = task_runner.run_task(
        TaskRunUnit(0, approve, "approve", {}, []), FlowRunContext("f", "run-id", {})
    )
    assert type(state) is Paused


class Recorder(RunObserver):
    def __init__(self) -> None:
        self.changes: list[TaskRunChange] = []

    def task_run_state(self, context: FlowRunContext, change: TaskRunChange) -> None:
        self.changes.append(change)


class StartsUnreported(LocalExecutor):
    """A local executor that, like a process pool, leaves reporting starts to the walk."""

    reports_start = False

    def start(self, flow_context, on_start) -> None:  # type: ignore[no-untyped-def]
        super().start(flow_context, None)


def test_a_task_run_that_never_started_is_not_reported_running() -> None:
    @task
    def broken() -> None:
        raise ValueError("no")

    @task
    def after(value: None) -> str:
        return "never"

    with Flow("never started") as flow:
        after(broken())
    recorder = Recorder()
    final = FlowRunner(flow, executor=StartsUnreported(), observers=[recorder]).run()
    assert final.is_failed()
    heard = [change.state for change in recorder.changes if change.task_slug == "after"]
    assert [type(state) for state in heard] == [Submitted, TriggerFailed]


def test_printed_lines_keep_their_trailing_spaces(caplog: Any) -> None:
    @task(log_stdout=True)
    def table() -> None:
        print("name   value   ")
        print("windows line\r")

    with Flow("spaces") as flow:
        table()
    with caplog.at_level(logging.INFO, logger="proctor"):
        assert flow.run().is_successful()
    lines = [
        record.getMessage()
        for record in caplog.records
        if getattr(record, "task_slug", None) == "table"
    ]
    assert lines == ["name   value   ", "windows line"]


def test_an_unknown_template_name_lists_the_known_ones_one_by_one(tmp_path: Path) -> None:
    @task(result=LocalResult(dir=str(tmp_path)), target="{nope}.pkl")
    def compute(x: int) -> int:
        return x

    with Flow("bad target") as flow:
        node = compute(1)
    message = flow.run().result[node].message
    listed = message.split("available: ", 1)[1].rstrip(".").split(", ")
    assert {"flow_name", "task_name", "today", "x"} <= set(listed)
    assert listed == sorted(listed)


def test_a_task_with_a_timeout_runs_in_a_named_daemon_thread() -> None:
    # A daemon thread: a task stuck in C past its timeout cannot keep the process alive.
    @task(timeout=60)
    def where() -> tuple[str, bool]:
        thread = threading.current_thread()
        return thread.name, thread.daemon

    with Flow("thread") as flow:
        node = where()
    assert flow.run().result[node].result == ("proctor-timeout", True)


def test_a_timed_out_task_is_stopped_even_if_it_catches_every_exception() -> None:
    stopped = threading.Event()
    swallowed: list[str] = []

    @task(timeout=0.2)
    def stubborn() -> None:
        try:
            while True:
                try:
                    while True:
                        pass
                except Exception as error:  # what a careless task does
                    swallowed.append(type(error).__name__)
        finally:
            stopped.set()

    with Flow("stubborn") as flow:
        node = stubborn()
    assert type(flow.run().result[node]) is TimedOut
    # A deadline for a hang, not a speed bound: the thread stops at its next bytecode.
    assert stopped.wait(60), f"the task's thread is still running (swallowed: {swallowed})"
    assert swallowed == []
