"""`log_stdout=True`: one printed line is one log record, whatever number of writes
`print()` makes for it, on one thread or on several tasks printing at once."""

from __future__ import annotations

import logging
import sys
import threading

from proctor import Flow, task
from proctor.executors import ThreadExecutor


def records_of(caplog, slug: str) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if getattr(record, "task_slug", None) == slug
    ]


def test_a_line_printed_in_parts_is_one_record(caplog):
    @task(log_stdout=True)
    def chatty():
        print("several", "parts", 3, sep=" ")
        print("no newline yet", end="")
        print(" ... now", 42)
        sys.stdout.write("written ")
        sys.stdout.write("in two\n")
        print("two lines\nin one print")
        print()  # an empty line carries nothing
        print("flushed early", end="", flush=True)
        print("left without a newline", end="")
        return 1

    with Flow("lines") as flow:
        chatty()
    with caplog.at_level(logging.INFO, logger="proctor"):
        assert flow.run().is_successful()
    assert records_of(caplog, "chatty") == [
        "several parts 3",
        "no newline yet ... now 42",
        "written in two",
        "two lines",
        "in one print",
        "flushed early",
        "left without a newline",
    ]


def test_tasks_printing_at_once_keep_their_own_lines(caplog):
    barrier = threading.Barrier(2, timeout=10)

    def printer(name: str) -> None:
        for index in range(20):
            print(name, "line", end="")
            if index == 0:
                barrier.wait()  # both tasks are in the middle of a line together
            print("", index)

    @task(log_stdout=True)
    def left():
        printer("left")

    @task(log_stdout=True)
    def right():
        printer("right")

    with Flow("together") as flow:
        left()
        right()
    with caplog.at_level(logging.INFO, logger="proctor"):
        assert flow.run(executor=ThreadExecutor(max_workers=2)).is_successful()
    assert records_of(caplog, "left") == [f"left line {index}" for index in range(20)]
    assert records_of(caplog, "right") == [f"right line {index}" for index in range(20)]
