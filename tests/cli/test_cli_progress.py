"""The progress tracker and its two displays, the summary, the JSON report, logging, output."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
from rich.console import Console

from proctor import Flow, flow, task
from proctor.cli.logs import ConsoleHandler, console_logging
from proctor.cli.output import print_error, stderr_console, stdout_to_stderr
from proctor.cli.progress import (
    LineProgress,
    LiveProgress,
    _rows_that_fit,
    children_text,
    format_seconds,
)
from proctor.cli.report import failed_runs, json_report, json_value
from proctor.cli.summary import MAX_FAILED_ROWS, print_summary
from proctor.cli.tracker import ProgressTracker, TaskProgress, category
from proctor.core.context import FlowRunContext
from proctor.core.observers import TaskRunChange
from proctor.executors import LocalExecutor, ThreadExecutor
from proctor.states import Cancelled, Failed, Mapped, Pending, Retrying, Running, Success


@task
def numbers(n: int) -> list[int]:
    return list(range(n))


@task
def inc(x: int) -> int:
    return x + 1


@task
def picky(x: int) -> int:
    if x % 3 == 0:
        raise ValueError(f"no multiples of three: {x}")
    return x


@task
def total(values: list[int]) -> int:
    return sum(values)


@flow
def mapped(n: int = 10):
    total(inc.map(numbers(n)))


@flow
def failing(n: int = 7):
    total(picky.map(numbers(n)))


def text_console(**options: Any) -> Console:
    return Console(file=io.StringIO(), width=120, color_system=None, **options)


def output_of(console: Console) -> str:
    file = console.file
    assert isinstance(file, io.StringIO)
    return file.getvalue()


# -- the tracker -----------------------------------------------------------------------


@pytest.mark.parametrize("executor", [LocalExecutor, ThreadExecutor])
def test_tracker_counts_every_mapped_child_of_a_real_run(executor: type):
    tracker = ProgressTracker()
    state = mapped.run(executor=executor(), observers=[tracker], n=500)
    assert state.is_successful()
    rows = {row.slug: row for row in tracker.snapshot()}
    assert list(rows) == ["numbers", "inc", "total"]  # the parameter `n` is hidden
    inc_row = rows["inc"]
    assert inc_row.mapped and inc_row.child_count == 500
    assert inc_row.count("succeeded") == 500
    assert inc_row.count("running") == inc_row.count("pending") == inc_row.count("failed") == 0
    assert inc_row.state == "Mapped" and inc_row.finished and not inc_row.failed
    assert rows["total"].state == "Success"
    assert all(row.elapsed() is not None for row in rows.values())
    assert tracker.flow_name == "mapped"
    assert tracker.flow_state == "Success"


def test_tracker_marks_a_mapped_task_with_failed_children_as_failed():
    tracker = ProgressTracker()
    failing.run(observers=[tracker])
    rows = {row.slug: row for row in tracker.snapshot()}
    assert rows["picky"].failed
    assert rows["picky"].count("failed") == 3  # 0, 3, 6
    assert rows["picky"].count("succeeded") == 4
    assert rows["total"].state == "TriggerFailed" and rows["total"].failed


def test_tracker_is_consistent_under_concurrent_changes():
    tracker = ProgressTracker()
    context = FlowRunContext("f", "id", {})
    tracker.task_run_state(
        context, TaskRunChange("work", "work", None, Running("Mapped"), child_count=4000)
    )

    def worker(start: int) -> None:
        for index in range(start, 4000, 8):
            tracker.task_run_state(context, TaskRunChange("work", "work", index, Running()))
            state = Failed("x") if index % 100 == 0 else Success()
            tracker.task_run_state(context, TaskRunChange("work", "work", index, state))

    threads = [threading.Thread(target=worker, args=(start,)) for start in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (row,) = tracker.snapshot()
    assert row.count("succeeded") == 3960
    assert row.count("failed") == 40
    assert row.count("running") == 0


def test_tracker_follows_retries_and_repeated_states_of_a_child():
    tracker = ProgressTracker()
    context = FlowRunContext("f", "id", {})
    for state in (Pending(), Running(), Retrying("again"), Running(), Running(), Success()):
        tracker.task_run_state(context, TaskRunChange("t", "t", 0, state))
    (row,) = tracker.snapshot()
    assert row.children == {"pending": 0, "running": 0, "succeeded": 1}


def test_tracker_reports_task_changes_but_not_child_changes_to_its_listener():
    seen: list[tuple[str, str]] = []
    tracker = ProgressTracker(on_task_change=lambda row, state: seen.append((row.slug, state.name)))
    mapped.run(observers=[tracker], n=50)
    assert ("inc", "Running") in seen
    assert ("inc", "Mapped") in seen
    assert len([item for item in seen if item[0] == "inc"]) == 2


def test_category_of_states():
    assert category(Pending()) == "pending"
    assert category(Retrying()) == "pending"
    assert category(Running()) == "running"
    assert category(Success()) == "succeeded"
    assert category(Failed()) == "failed"
    assert category(Cancelled()) == "other"
    assert category(Mapped(map_states=[Failed()])) == "failed"
    assert category(Mapped(map_states=[Success()])) == "succeeded"


# -- rendering ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, ""), (0.123, "0.12s"), (12.34, "12.3s"), (245, "4m05s"), (3725, "1h02m")],
)
def test_format_seconds(seconds: float | None, text: str):
    assert format_seconds(seconds) == text


def test_children_text():
    row = TaskProgress("t", "t", child_count=10, children={"succeeded": 6, "failed": 1})
    assert children_text(row) == "6/10 done, 1 failed"
    row.children["running"] = 3
    assert children_text(row) == "6/10 done, 1 failed, 3 running"
    assert children_text(TaskProgress("u", "u")) == ""


def test_live_progress_leaves_the_final_table_on_a_terminal():
    console = Console(file=io.StringIO(), width=120, height=40, force_terminal=True)
    tracker = ProgressTracker()
    with LiveProgress(tracker, console, "failing · run 1"):
        failing.run(observers=[tracker], executor=ThreadExecutor())
    frame = text_console()
    frame.print(LiveProgress(tracker, frame, "failing · run 1").render())
    text = output_of(frame)
    assert "numbers" in text and "Success" in text
    assert "picky" in text and "4/7 done, 3 failed" in text
    assert "total" in text and "TriggerFailed" in text
    assert "1/3 tasks done, 2 failed" in text
    assert "\x1b[" in output_of(console)  # it was drawn live, with cursor control


def test_live_progress_shows_running_and_failed_tasks_first_when_they_do_not_fit():
    rows = [TaskProgress(f"t{i}", "t", state="Success", finished=True) for i in range(30)]
    rows[20] = TaskProgress("busy", "t", state="Running", started_at=time.time())
    rows[25] = TaskProgress("bad", "t", state="Failed", finished=True, failed=True)
    shown = _rows_that_fit(rows, 5)
    assert [row.slug for row in shown] == ["t0", "t1", "t2", "busy", "bad"]
    assert _rows_that_fit(rows, 30) == rows


def test_live_frame_of_a_large_flow_fits_the_terminal():
    with Flow("wide") as wide:
        for _ in range(60):
            inc(1)
    tracker = ProgressTracker()
    wide.run(observers=[tracker])
    console = text_console(height=20)
    console.print(LiveProgress(tracker, console, "wide").render())
    text = output_of(console)
    assert len(text.splitlines()) <= 20
    assert "more not shown" in text


def test_line_progress_prints_one_line_per_task_start_and_end():
    console = text_console()
    tracker = ProgressTracker()
    lines = LineProgress(console, tracker)
    tracker.on_task_change = lines
    with lines:
        failing.run(observers=[tracker], n=30)
    text = output_of(console)
    assert "▸ numbers running" in text
    assert "✔ numbers Success" in text
    assert "▸ picky mapped into 30 task runs" in text
    assert "✘ picky Mapped" in text and "10 failed" in text
    assert "✘ total TriggerFailed" in text
    assert len(text.splitlines()) == 5  # `total` never ran: no start line


def test_line_progress_reports_retries():
    attempts: list[int] = []

    @task(retries=1)
    def flaky() -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("first try fails")
        return 1

    with Flow("retrying") as retrying:
        flaky()
    console = text_console()
    tracker = ProgressTracker()
    lines = LineProgress(console, tracker)
    tracker.on_task_change = lines
    with lines:
        assert retrying.run(observers=[tracker]).is_successful()
    text = output_of(console)
    assert "↻ flaky Retrying (attempt 2):" in text
    assert "RuntimeError: first try fails" in text
    assert text.count("flaky running") == 1
    assert "✔ flaky Success" in text


def test_line_progress_reports_long_maps_now_and_then():
    @task
    def slow(x: int) -> int:
        time.sleep(0.01)
        return x

    with Flow("slow") as slow_flow:
        slow.map(numbers(40))
    console = text_console()
    tracker = ProgressTracker()
    lines = LineProgress(console, tracker, interval=0.05)
    tracker.on_task_change = lines
    with lines:
        slow_flow.run(observers=[tracker])
    text = output_of(console)
    assert "… slow: " in text
    assert text.count("… slow: ") < 40


# -- summary, report ---------------------------------------------------------------------


def test_summary_lists_failures_and_cuts_long_lists():
    state = failing.run(n=3 * (MAX_FAILED_ROWS + 5))
    console = text_console()
    print_summary(console, failing, state, 1.5)
    text = output_of(console)
    assert "✘ Flow 'failing' finished Failed in 1.50s" in text
    assert "picky[0]" in text and "no multiples of three: 0" in text
    assert "… and 6 more failed task runs" in text  # 25 children + `total`, 20 shown


def test_summary_of_a_success_is_one_line():
    state = mapped.run()
    console = text_console()
    print_summary(console, mapped, state, 0.25)
    assert output_of(console) == (
        "✔ Flow 'mapped' finished Success in 0.25s: All reference tasks succeeded\n"
    )


def test_failed_runs_in_flow_order():
    state = failing.run(n=4)
    assert [run.label for run in failed_runs(failing, state)] == ["picky[0]", "picky[3]", "total"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([1, "a", None], (True, [1, "a", None])),
        ({"k": (1, 2)}, (True, {"k": (1, 2)})),
        (float("nan"), (False, "nan")),
        ({1, 2}, (False, "{1, 2}")),
        (ValueError("x"), (False, "ValueError('x')")),
    ],
)
def test_json_value(value: Any, expected: tuple[bool, Any]):
    assert json_value(value) == expected


def test_json_value_survives_a_broken_repr():
    class Broken:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    assert json_value(Broken()) == (False, "<Broken object>")


def test_json_report_of_a_run():
    state = mapped.run(n=2)
    report = json_report(mapped, state, duration=0.5, flow_run_id="abc")
    assert report["parameters"] == {"n": 2}
    assert [task["slug"] for task in report["tasks"]] == ["numbers", "inc", "total"]
    assert report["tasks"][1]["children"]["total"] == 2


# -- logging and output ------------------------------------------------------------------


def test_console_logging_routes_proctor_logs_and_restores_the_setup(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.delenv("PROCTOR_LOGGING_LEVEL", raising=False)
    root = logging.getLogger("proctor")
    before = (list(root.handlers), root.level, root.propagate)
    console = text_console()
    with console_logging(console):
        assert isinstance(root.handlers[0], ConsoleHandler)
        logging.getLogger("proctor.run").info("hello [bold]there[/]")
        logging.getLogger("proctor.flow_runner").info("not shown: the CLI says it itself")
        logging.getLogger("proctor.flow_runner").warning("shown")
    assert (list(root.handlers), root.level, root.propagate) == before
    text = output_of(console)
    assert "hello [bold]there[/]" in text  # printed as text, not as markup
    assert "not shown" not in text
    assert "shown" in text


@pytest.mark.parametrize(("env", "quiet"), [("OFF", False), ("INFO", True)])
def test_console_logging_quiet_and_off(monkeypatch: pytest.MonkeyPatch, env: str, quiet: bool):
    monkeypatch.setenv("PROCTOR_LOGGING_LEVEL", env)
    console = text_console()
    with console_logging(console, quiet=quiet):
        logging.getLogger("proctor.run").info("chatter")
    assert output_of(console) == ""


def test_print_error_is_one_escaped_line(capsys: pytest.CaptureFixture[str]):
    print_error("bad value [1, 2] for [bold]x[/bold]")
    err = capsys.readouterr().err
    assert err == "Error: bad value [1, 2] for [bold]x[/bold]\n"
    assert stderr_console() is stderr_console()


def test_stdout_to_stderr_moves_file_descriptor_one():
    code = (
        "import os, sys\n"
        "from proctor.cli.output import stdout_to_stderr\n"
        "with stdout_to_stderr() as real:\n"
        "    print('from python')\n"
        "    os.write(1, b'from a child process\\n')\n"
        "    real.write('the json\\n')\n"
        "print('after')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout == "the json\nafter\n"
    assert sorted(result.stderr.splitlines()) == ["from a child process", "from python"]


def test_stdout_to_stderr_without_file_descriptors(capsys: pytest.CaptureFixture[str]):
    with stdout_to_stderr() as real:
        print("from python")
        real.write("the json\n")
    print("after")
    out, err = capsys.readouterr()
    assert out == "the json\nafter\n"
    assert err == "from python\n"
