"""Log lines and secret values that travel back from worker processes with a chunk.

A task run on a process-pool or Dask worker logs in that worker, where no handler of the
flow run is listening: the run process's reporter (which ships lines to the server) and
its console live in the flow's process. So while a worker runs a chunk, a handler on the
`proctor` logger collects the chunk's records (as plain dicts, message formatted and
masked); they return with the chunk's states and `replay` hands them to the same loggers
in the flow's process, where every handler sees them as if the task had logged there.

The secret values a task run reads in a worker come back the same way and are registered
for masking in the flow's process before its lines and states are shipped: a value read
in the worker is masked in the run's logs and state messages, not only in the worker's
own output. (They travel where the task's results already do.)

Collection is per chunk and per thread (a context variable), so a Dask worker running
chunks of several flow runs at once keeps them apart, and tasks that log nothing pay
nothing. Lines of a chunk whose worker dies are lost with it; the chunk's second run, if
Dask reruns it elsewhere, sends its own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from proctor.core.masking import collecting_secret_values, mask_secrets, register_secret_value

# Record attributes that travel: the standard ones handlers and the wire format read, and
# the run identity `get_run_logger()` / `RunContextFilter` add.
_STANDARD = ("name", "levelno", "levelname", "created", "process", "processName")
_RUN_IDENTITY = ("flow_name", "flow_run_id", "task_name", "task_slug", "map_index", "run_count")

_format_exception = logging.Formatter().formatException


class LogCollector:
    """The records of one chunk (at or above `level`) and the secrets its tasks read."""

    __slots__ = ("level", "records", "secrets")

    def __init__(self, level: int) -> None:
        self.level = level
        self.records: list[dict[str, Any]] = []
        self.secrets: set[str] = set()


_current: ContextVar[LogCollector | None] = ContextVar("proctor_worker_logs", default=None)

# Names this interpreter among all processes a chunk may reach, with the pid: pids alone
# repeat across machines and containers (each container's pid 1), and a forked child
# keeps its parent's token but not its pid.
_TOKEN = uuid.uuid4().hex


def this_process() -> str:
    """This process's identity for `collecting`'s `origin`."""
    return f"{_TOKEN}:{os.getpid()}"


def portable(record: logging.LogRecord) -> dict[str, Any]:
    """`record` as a dict that pickles anywhere: the message is formatted now (with its
    traceback), because its arguments and exception may not survive the trip, and masked
    with the secret values this process knows."""
    message = record.getMessage()
    if record.exc_info and record.exc_info[0] is not None:
        message = f"{message}\n{_format_exception(record.exc_info)}"
    elif record.exc_text:
        message = f"{message}\n{record.exc_text}"
    if record.stack_info:
        message = f"{message}\n{record.stack_info}"
    data: dict[str, Any] = {key: getattr(record, key, None) for key in _STANDARD}
    data["msg"] = mask_secrets(message)
    for key in _RUN_IDENTITY:
        value = getattr(record, key, None)
        if value is not None:
            data[key] = value
    return data


class ChunkLogHandler(logging.Handler):
    """On the `proctor` logger of a worker process: a record logged while a chunk runs
    (in that chunk's thread) is collected for the flow's process; others go to `local`,
    if any, and with `echo` collected ones too."""

    def __init__(self, local: logging.Handler | None = None, *, echo: bool = False) -> None:
        super().__init__()
        self.local = local
        self.echo = echo

    def emit(self, record: logging.LogRecord) -> None:
        collector = _current.get()
        if collector is not None and record.levelno >= collector.level:
            try:
                collector.records.append(portable(record))
            except Exception:
                self.handleError(record)
        local = self.local
        if local is not None and (collector is None or self.echo) and record.levelno >= local.level:
            local.handle(record)


_handler: ChunkLogHandler | None = None


def _stderr_handler(level: int) -> logging.Handler:
    from proctor.core.logs import RunFormatter

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RunFormatter())
    handler.setLevel(level)
    return handler


def _has_handlers(logger: logging.Logger) -> bool:
    """Whether a record of `logger` reaches any handler (else Python prints WARNING and
    above through its last-resort handler)."""
    current: logging.Logger | None = logger
    while current is not None:
        if current.handlers:
            return True
        current = current.parent if current.propagate else None
    return False


def install(*, exclusive: bool = False) -> None:
    """Collect chunk records in this worker process (once; later calls do nothing).

    `exclusive` (process-pool workers, whose stderr is the flow's own): collected lines
    are not also printed here, since the flow's process prints them when they come back;
    lines outside any chunk go to stderr as `configure_default_logging` would print them.
    Otherwise (Dask workers) the handler is added beside the worker's own handlers, and
    where there are none, it prints WARNING and above to stderr itself, as Python's
    last-resort handler did before this one existed (collected lines included: a line
    lost with its worker is then at least in the worker's output).
    """
    global _handler
    if _handler is not None:
        return
    root = logging.getLogger("proctor")
    if not exclusive:
        local = None if _has_handlers(root) else _stderr_handler(logging.WARNING)
        _handler = ChunkLogHandler(local, echo=True)
        root.addHandler(_handler)
        return
    level_name = os.environ.get("PROCTOR_LOGGING_LEVEL", "INFO").upper()
    local = None
    level = logging.INFO
    if level_name != "OFF":
        found = logging.getLevelName(level_name)
        level = found if isinstance(found, int) else logging.INFO
        local = _stderr_handler(level)
    _handler = ChunkLogHandler(local)
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(_handler)
    root.setLevel(level)
    root.propagate = False


@contextlib.contextmanager
def collecting(level: int, origin: str) -> Iterator[LogCollector | None]:
    """Collect what the task runs of one chunk log (at `level` and above) and the secret
    values they read. Nothing is collected in the flow's own process (`origin`, its
    `this_process()`: an in-process Dask worker), whose handlers see the records directly."""
    if origin == this_process():
        yield None
        return
    install()
    root = logging.getLogger("proctor")
    if root.getEffectiveLevel() > level:
        # A Dask worker's `proctor` logger inherits the root's WARNING: let the flow's
        # level through. (Lowering only: chunks of several runs may share the worker.)
        root.setLevel(level)
    collector = LogCollector(level)
    token = _current.set(collector)
    try:
        with collecting_secret_values(collector.secrets):
            yield collector
    finally:
        _current.reset(token)


def replay(records: list[dict[str, Any]], secrets: set[str] | frozenset[str]) -> None:
    """Flow side: register the worker's secret values, then hand its records to the
    loggers they were logged on, so this process's handlers ship and print them.

    A record is stamped with the time it arrives here; the worker's time stays in
    `worker_created`. Log views follow a run by time: a line stamped minutes ago (a long
    chunk), or by a worker whose clock runs behind, would land behind their position and
    never be shown to them.
    """
    for value in secrets:
        register_secret_value(value)
    for data in records:
        shipped = dict(data)
        shipped["worker_created"] = shipped.pop("created", None)
        shipped.pop("msecs", None)
        record = logging.makeLogRecord(shipped)
        record.msg = mask_secrets(record.msg)
        logging.getLogger(record.name).handle(record)


__all__ = [
    "ChunkLogHandler",
    "LogCollector",
    "collecting",
    "install",
    "portable",
    "replay",
    "this_process",
]
