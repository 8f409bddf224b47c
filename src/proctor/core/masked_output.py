"""Masking on every output path of a run process, not only what it sends to the server.

`mask_secrets` covers what Proctor formats itself (its log lines, state messages). A run
process also writes where Proctor formats nothing: a task's `sys.stderr.write(token)`, a
plain `print()`, a third-party library's logger (`logging.getLogger("urllib3")`), a
`logging.FileHandler` the flow sets up, a traceback printed on the way out. With an agent,
stdout and stderr end in the run's log file under the agent's home. `install()` masks
them all, in this process, from then on:

- `sys.stdout` and `sys.stderr` become `MaskingStream`s: text is written line by line with
  every registered secret value replaced (a value written in two pieces is still masked);
  a flush sends a pending partial line;
- every log record, of any logger, is masked when it is made (a record factory): its
  message, its formatted exception and its stack, so any handler, wherever it writes,
  gets masked text.

Not covered: bytes written around Python's text layer (`sys.stdout.buffer`, `os.write`
on descriptors 1 and 2, a subprocess writing to the inherited descriptors). With no
secret read, each path costs one truth test.
"""

from __future__ import annotations

import io
import logging
import sys
import threading
from typing import Any, TextIO

from proctor.core.masking import has_secret_values, mask_secrets


class MaskingStream(io.TextIOBase):
    """A text stream that writes secret values masked (see the module docstring)."""

    def __init__(self, wrapped: TextIO) -> None:
        self.wrapped = wrapped
        self._pending: list[str] = []
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        if not self._pending and not has_secret_values():
            return self.wrapped.write(text)
        with self._lock:
            if "\n" not in text:
                self._pending.append(text)
                return len(text)
            whole = "".join(self._pending) + text
            complete, _, rest = whole.rpartition("\n")
            self._pending = [rest] if rest else []
            self.wrapped.write(mask_secrets(complete + "\n"))
        return len(text)

    def flush(self) -> None:
        with self._lock:
            if self._pending:
                text, self._pending = "".join(self._pending), []
                self.wrapped.write(mask_secrets(text))
        self.wrapped.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.wrapped.isatty()

    def fileno(self) -> int:
        return self.wrapped.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.wrapped.encoding

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)


_format_exception = logging.Formatter().formatException
_installed = False
_install_lock = threading.Lock()


def _masking_factory(make: Any) -> Any:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = make(*args, **kwargs)
        if not has_secret_values():
            return record
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info[0] is not None:
            # Formatters reuse `exc_text` when it is set: they never format it again.
            record.exc_text = mask_secrets(_format_exception(record.exc_info))
        if record.stack_info:
            record.stack_info = mask_secrets(record.stack_info)
        return record

    return factory


def install() -> None:
    """Mask stdout, stderr and every log record of this process from now on (once)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        _installed = True
        if sys.stdout is not None and not isinstance(sys.stdout, MaskingStream):
            sys.stdout = MaskingStream(sys.stdout)
        if sys.stderr is not None and not isinstance(sys.stderr, MaskingStream):
            sys.stderr = MaskingStream(sys.stderr)
        logging.setLogRecordFactory(_masking_factory(logging.getLogRecordFactory()))


__all__ = ["MaskingStream", "install"]
