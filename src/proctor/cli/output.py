"""Consoles, exit codes and the one way the CLI reports a user's mistake.

Every command shares these so that all of them behave alike for scripts: progress and
messages go to stderr, machine output (`--json`) alone goes to stdout, and the exit code
says what happened (0 success, 1 the flow run failed, 2 the command could not do what was
asked). A user error is one red line saying what to do, never a traceback: tracebacks are
for bugs in Proctor, not for a mistyped file name.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, NoReturn, TextIO

if TYPE_CHECKING:
    from rich.console import Console

EXIT_OK = 0
EXIT_FLOW_FAILED = 1
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130


class UserError(Exception):
    """Something the user can fix (a path, a parameter, a flow name): exit code 2."""


_stderr: tuple[TextIO, Console] | None = None


def stderr_console() -> Console:
    """The console for everything humans read: progress, logs, summaries, errors.

    It writes to the `sys.stderr` of the moment it was made (rebuilt when that changes, as
    test runners do), so that while a live display redirects `sys.stderr`, the display and
    the log lines still reach the real stream. `soft_wrap` keeps a long error or log line
    one line in files and pipes, where rich would otherwise hard-wrap it at 80 columns.
    """
    global _stderr
    stream = sys.stderr
    if _stderr is None or _stderr[0] is not stream:
        from rich.console import Console

        _stderr = (stream, Console(file=stream, soft_wrap=True, highlight=False))
    return _stderr[1]


def print_error(message: str) -> None:
    """Print `message` as one red line on stderr, escaped so `[...]` in it stays text."""
    from rich.markup import escape

    stderr_console().print(f"[bold red]Error:[/] [red]{escape(message)}[/]")


def fail(message: str, code: int = EXIT_USER_ERROR) -> NoReturn:
    """Report a user error and leave with `code` (2 unless said otherwise)."""
    import typer

    print_error(message)
    raise typer.Exit(code)


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[TextIO]:
    """Send everything written to stdout meanwhile to stderr; yield the real stdout.

    `--json` promises one JSON document on stdout, but tasks print, and libraries they
    call print. Redirecting file descriptor 1 catches worker processes and C code too;
    where stdout has no descriptor (a test runner's buffer) `sys.stdout` alone is swapped.
    """
    real = sys.stdout
    real.flush()
    try:
        out_fd, err_fd = real.fileno(), sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        out_fd = err_fd = -1
    if out_fd < 0:
        with contextlib.redirect_stdout(sys.stderr):
            yield real
        return
    saved = os.dup(out_fd)
    try:
        os.dup2(err_fd, out_fd)
        with os.fdopen(os.dup(saved), "w", encoding="utf-8") as original:
            yield original
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()  # what tasks printed belongs to stderr: send it before restoring
        os.dup2(saved, out_fd)
        os.close(saved)


__all__ = [
    "EXIT_FLOW_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USER_ERROR",
    "UserError",
    "fail",
    "print_error",
    "stderr_console",
    "stdout_to_stderr",
]
