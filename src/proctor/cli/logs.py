"""Route Proctor's log records through the CLI's stderr console.

The engine would otherwise attach a plain stderr handler of its own. Printing through the
rich console instead keeps task logs above the live progress table rather than tearing
through it, and lets `--quiet` turn the chatter down without touching warnings.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


class ConsoleHandler(logging.Handler):
    """Print each formatted record on a rich console, as plain text (no markup)."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
            style = "red" if record.levelno >= logging.ERROR else None
            if record.levelno == logging.WARNING:
                style = "yellow"
            self.console.print(text, markup=False, highlight=False, style=style)
        except Exception:
            self.handleError(record)


@contextlib.contextmanager
def console_logging(console: Console, *, quiet: bool = False) -> Iterator[None]:
    """Send `proctor.*` logs to `console` while the block runs, then restore the setup.

    The level comes from `PROCTOR_LOGGING_LEVEL` (default INFO, `OFF` for none); `quiet`
    raises it to WARNING. The flow runner's own start/finish lines are dropped below
    WARNING because the CLI prints the same facts itself. Restoring matters when a command
    runs inside another program (tests, notebooks) that has its own logging.
    """
    from proctor.core.logs import RunFormatter

    root = logging.getLogger("proctor")
    runner = logging.getLogger("proctor.flow_runner")
    saved = (list(root.handlers), root.level, root.propagate, runner.level)
    level_name = os.environ.get("PROCTOR_LOGGING_LEVEL", "INFO").upper()
    handler: logging.Handler
    if level_name == "OFF":
        handler, level = logging.NullHandler(), logging.CRITICAL + 1
    else:
        found = logging.getLevelName(level_name)
        level = found if isinstance(found, int) else logging.INFO
        if quiet:
            level = max(level, logging.WARNING)
        handler = ConsoleHandler(console)
        handler.setFormatter(RunFormatter())
    root.handlers = [handler]
    root.setLevel(level)
    root.propagate = False
    runner.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        root.handlers, _, root.propagate, _ = saved
        root.setLevel(saved[1])
        runner.setLevel(saved[3])


__all__ = ["ConsoleHandler", "console_logging"]
