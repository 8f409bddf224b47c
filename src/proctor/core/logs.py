"""Logging for flow and task runs.

`get_run_logger()` inside a task returns a logger whose records carry the flow run, task
run and map index, so handlers (the console, the server's log shipper) can attribute every
line. Outside a run it still works, without those fields.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import MutableMapping
from typing import Any

from proctor.core.context import current_task_run
from proctor.core.masking import mask_secrets

RUN_LOGGER_NAME = "proctor.run"


class RunLoggerAdapter(logging.LoggerAdapter):  # type: ignore[type-arg]
    """Adds the run's identity to every record's `extra`."""

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, Any]:
        extra = dict(self.extra or {})
        extra.update(kwargs.get("extra") or {})
        kwargs["extra"] = extra
        return msg, kwargs


def get_run_logger(name: str | None = None) -> logging.LoggerAdapter:  # type: ignore[type-arg]
    """A logger for the task (or flow) run in progress."""
    base = logging.getLogger(RUN_LOGGER_NAME if name is None else f"{RUN_LOGGER_NAME}.{name}")
    context = current_task_run.get()
    if context is None:
        return RunLoggerAdapter(base, {})
    return RunLoggerAdapter(
        base,
        {
            "flow_name": context.flow_run.flow_name,
            "flow_run_id": context.flow_run.flow_run_id,
            "task_name": context.task_name,
            "task_slug": context.task_slug,
            "map_index": context.map_index,
            "run_count": context.run_count,
        },
    )


class RunContextFilter(logging.Filter):
    """Adds the task run in progress *when the line is logged* to records that lack it.

    For loggers obtained before any run exists (a module-level `logger = ...` at import
    time, a task's own `self.logger`): their lines inside a task run still say which.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        context = current_task_run.get()
        if context is not None and not hasattr(record, "task_slug"):
            record.flow_name = context.flow_run.flow_name
            record.flow_run_id = context.flow_run.flow_run_id
            record.task_name = context.task_name
            record.task_slug = context.task_slug
            record.map_index = context.map_index
            record.run_count = context.run_count
        return True


_context_filter = RunContextFilter()


def context_logger(name: str | None = None) -> logging.Logger:
    """A plain `logging.Logger` under `proctor.run` whose lines carry the task run in
    progress at the time they are logged (none outside a run)."""
    logger = logging.getLogger(RUN_LOGGER_NAME if name is None else f"{RUN_LOGGER_NAME}.{name}")
    if _context_filter not in logger.filters:
        logger.addFilter(_context_filter)
    return logger


class TaskLogger:
    """`task.logger`: the task's `context_logger`, looked up on each access (so a renamed
    copy logs under its own name); a task may still assign its own logger."""

    def __get__(self, task: Any, owner: type | None = None) -> logging.Logger:
        if task is None:
            return context_logger()
        return context_logger(task.name)


class RunFormatter(logging.Formatter):
    """`12:00:01 INFO  etl/extract[3] | message`: who said it, at a glance."""

    def format(self, record: logging.LogRecord) -> str:
        where = getattr(record, "task_slug", None)
        if where is not None:
            index = getattr(record, "map_index", None)
            where = f"{where}[{index}]" if index is not None else where
            flow_name = getattr(record, "flow_name", None)
            where = f"{flow_name}/{where}" if flow_name else where
        else:
            where = record.name
        time_text = self.formatTime(record, "%H:%M:%S")
        line = f"{time_text} {record.levelname:<7} {where} | {record.getMessage()}"
        if record.exc_info and record.levelno >= logging.ERROR:
            line += "\n" + self.formatException(record.exc_info)
        return mask_secrets(line)


_configured = False


def configure_default_logging() -> None:
    """Print proctor's logs to stderr once, unless the application configured logging.

    `PROCTOR_LOGGING_LEVEL` sets the level (default INFO; `OFF` silences it).
    """
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger("proctor")
    if root.handlers or logging.getLogger().handlers:
        return  # the application (or the test runner) configured logging: leave it be
    level_name = os.environ.get("PROCTOR_LOGGING_LEVEL", "INFO").upper()
    if level_name == "OFF":
        root.addHandler(logging.NullHandler())
        root.propagate = False
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RunFormatter())
    root.addHandler(handler)
    root.setLevel(getattr(logging, level_name, logging.INFO))
    root.propagate = False


__all__ = [
    "RunContextFilter",
    "RunFormatter",
    "RunLoggerAdapter",
    "TaskLogger",
    "configure_default_logging",
    "context_logger",
    "get_run_logger",
]
