"""Show a flow run's progress on stderr: a live table on terminals, plain lines elsewhere.

Both views read a `ProgressTracker`. On a terminal, rich's `Live` redraws a table of the
tasks about ten times a second from the tracker's snapshot, however fast task runs
change. Where stderr is a file or a pipe (CI logs) a redrawn table would be garbage, so
`LineProgress` prints one line when a task starts and one when it ends instead, plus at
most one progress line per mapped task every few seconds: a 10,000-child map gives a few
lines, not 10,000.
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import TYPE_CHECKING

from proctor.cli.tracker import FAILED, RUNNING, SUCCEEDED, ProgressTracker, TaskProgress

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.live import Live

    from proctor.core.states import State

# State name -> (symbol, style). Unknown names fall back to the neutral look.
_LOOK: dict[str, tuple[str, str]] = {
    "Pending": ("·", "dim"),
    "Scheduled": ("·", "dim"),
    "Submitted": ("·", "dim"),
    "Queued": ("…", "blue"),
    "Running": ("▸", "yellow"),
    "Retrying": ("↻", "yellow"),
    "Paused": ("‖", "magenta"),
    "Success": ("✔", "green"),
    "Cached": ("✔", "green"),
    "Mapped": ("✔", "green"),
    "Skipped": ("↷", "cyan"),
    "Failed": ("✘", "red"),
    "TriggerFailed": ("✘", "red"),
    "TimedOut": ("✘", "red"),
    "Cancelled": ("■", "magenta"),
}


def look(task: TaskProgress) -> tuple[str, str]:
    """The symbol and style of a task's row; a Mapped task with failed children is red."""
    if task.failed:
        return "✘", "red"
    return _LOOK.get(task.state, ("•", "default"))


def format_seconds(seconds: float | None) -> str:
    """`0.42s`, `12.3s`, `4m05s`, `1h02m`: short enough for a column."""
    if seconds is None:
        return ""
    if seconds < 10:
        return f"{seconds:.2f}s"
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def children_text(task: TaskProgress) -> str:
    """`812/1000 done, 3 failed, 8 running` for a mapped task; empty otherwise."""
    if task.child_count is None:
        return ""
    done = task.count(SUCCEEDED)
    parts = [f"{done}/{task.child_count} done"]
    if task.count(FAILED):
        parts.append(f"{task.count(FAILED)} failed")
    if task.count(RUNNING):
        parts.append(f"{task.count(RUNNING)} running")
    return ", ".join(parts)


class LiveProgress:
    """A table of the flow's tasks, redrawn in place on a terminal while the run goes on.

    Use as a context manager around `flow.run(observers=[tracker])`. When the run ends the
    last frame stays on screen as the record of what ran.
    """

    def __init__(self, tracker: ProgressTracker, console: Console, title: str) -> None:
        self.tracker = tracker
        self.console = console
        self.title = title
        self._live: Live | None = None

    def __enter__(self) -> LiveProgress:
        from rich.live import Live

        self._live = Live(
            console=self.console,
            get_renderable=self.render,
            refresh_per_second=10,
            transient=False,
            # What tasks print is drawn above the table, but only when it was headed for
            # the same screen: `proctor run-local f.py > out.txt` keeps prints in out.txt.
            redirect_stdout=_is_tty(sys.stdout),
            redirect_stderr=True,
        )
        self._live.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._live is not None:
            self._live.__exit__(exc_type, exc, tb)
            self._live = None

    def render(self) -> RenderableType:
        """One frame: a row per task (as many as fit the terminal) and a totals line."""
        from rich.console import Group
        from rich.progress_bar import ProgressBar
        from rich.table import Table
        from rich.text import Text

        tasks = self.tracker.snapshot()
        now = time.time()
        shown = _rows_that_fit(tasks, max(self.console.height - 4, 5))
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True, overflow="ellipsis", max_width=40)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True, width=20)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True, justify="right")
        for task in shown:
            symbol, style = look(task)
            if task.child_count:
                finished = task.count(SUCCEEDED) + task.count(FAILED) + task.count("other")
                bar: RenderableType = ProgressBar(
                    total=task.child_count,
                    completed=finished,
                    width=20,
                    complete_style="red" if task.count(FAILED) else "green",
                    finished_style="red" if task.count(FAILED) else "green",
                )
            else:
                bar = Text("")
            table.add_row(
                Text(symbol, style=style),
                Text(task.slug, style="bold"),
                Text(task.state, style=style),
                bar,
                Text(children_text(task)),
                Text(format_seconds(task.elapsed(now)), style="dim"),
            )
        hidden = len(tasks) - len(shown)
        started = self.tracker.started_at
        footer = Text(
            f"{self.title} · {_totals(tasks) if tasks else 'starting'}"
            + (f" · {hidden} more not shown" if hidden else "")
            + (f" · {format_seconds(now - started)}" if started is not None else ""),
            style="dim",
        )
        return Group(table, footer)


def _is_tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):  # a closed or detached stream
        return False


def _rows_that_fit(tasks: list[TaskProgress], limit: int) -> list[TaskProgress]:
    """All tasks when they fit; else the running and failed first, in the flow's order."""
    if len(tasks) <= limit:
        return tasks

    def rank(task: TaskProgress) -> int:
        if not task.finished and task.started_at is not None:
            return 0
        if task.failed:
            return 1
        return 2 if not task.finished else 3

    keep = sorted(range(len(tasks)), key=lambda i: (rank(tasks[i]), i))[:limit]
    return [tasks[i] for i in sorted(keep)]


def _totals(tasks: list[TaskProgress]) -> str:
    done = sum(1 for task in tasks if task.finished and not task.failed)
    failed = sum(1 for task in tasks if task.failed)
    running = sum(1 for task in tasks if not task.finished and task.started_at is not None)
    text = f"{done}/{len(tasks)} tasks done"
    if running:
        text += f", {running} running"
    if failed:
        text += f", {failed} failed"
    return text


class LineProgress:
    """One plain line per task start and end, for logs that are files, not screens.

    Registered as the tracker's `on_task_change`. Mapped tasks also get a line at most
    every `interval` seconds while their children run, written by a small timer thread so
    that a long map shows life without a line per child.
    """

    def __init__(self, console: Console, tracker: ProgressTracker, interval: float = 10.0) -> None:
        self.console = console
        self.tracker = tracker
        self.interval = interval
        self._announced: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> LineProgress:
        self._thread = threading.Thread(
            target=self._report_maps, name="proctor-progress", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __call__(self, task: TaskProgress, state: State) -> None:
        from rich.markup import escape

        symbol, style = look(task)
        name = escape(task.slug)
        if state.is_finished():
            elapsed = format_seconds(task.elapsed())
            message = f": {escape(task.message)}" if task.message else ""
            line = f"[{style}]{symbol} {name} {task.state}[/] [dim]({elapsed})[/]{message}"
        elif state.is_paused():
            message = f": {escape(task.message)}" if task.message else ""
            line = f"[{style}]{symbol} {name} Paused[/]{message}"
        elif task.state == "Retrying":
            message = f": {escape(task.message)}" if task.message else ""
            line = f"[{style}]{symbol} {name} Retrying (attempt {task.run_count})[/]{message}"
        elif state.is_running():
            with self._lock:
                if task.slug in self._announced:
                    return
                self._announced.add(task.slug)
            detail = f" into {task.child_count} task runs" if task.child_count is not None else ""
            verb = "mapped" if task.child_count is not None else "running"
            line = f"[{style}]{symbol} {name} {verb}{detail}[/]"
        else:
            return  # Pending / Submitted: nothing worth a line
        self.console.print(line)

    def _report_maps(self) -> None:
        from rich.markup import escape

        while not self._stop.wait(self.interval):
            for task in self.tracker.snapshot():
                if task.child_count and not task.finished:
                    text = f"  … {escape(task.slug)}: {children_text(task)}"
                    self.console.print(f"[dim]{text}[/]")


__all__ = ["LineProgress", "LiveProgress", "children_text", "format_seconds", "look"]
