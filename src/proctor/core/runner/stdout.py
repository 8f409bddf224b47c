"""Send what tasks `print()` to their run logger when they ask for it (`log_stdout=True`).

`sys.stdout` is process-wide, but several task runs may print at once on a thread
executor, so instead of swapping it per task we install one proxy that looks up which
task run (if any) the printing thread is in.

`print("a", "b")` reaches the proxy as several writes ("a", " ", "b", "\n"): each task
run's capture keeps a line buffer, so one printed line is one log record. A record is
sent at each newline, at `flush()` (`print(..., flush=True)`), and for what is left when
the task returns.
"""

from __future__ import annotations

import contextlib
import io
import sys
import threading
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any, TextIO

_install_lock = threading.Lock()


class _LineBuffer:
    """What one task run printed since its last complete line."""

    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        if "\n" not in text:
            self.parts.append(text)
            return
        head, *lines, tail = text.split("\n")
        self._emit("".join(self.parts) + head)
        for line in lines:
            self._emit(line)
        self.parts = [tail] if tail else []

    def flush(self) -> None:
        if self.parts:
            text, self.parts = "".join(self.parts), []
            self._emit(text)

    @staticmethod
    def _emit(line: str) -> None:
        if line.strip():
            from proctor.core.logs import get_run_logger

            get_run_logger().info(line.rstrip("\r"))


_capture: ContextVar[_LineBuffer | None] = ContextVar("proctor_capture_stdout", default=None)


class _StdoutProxy(io.TextIOBase):
    def __init__(self, original: TextIO) -> None:
        self.original = original

    def write(self, text: str) -> int:
        buffer = _capture.get()
        if buffer is not None:
            buffer.write(text)
            return len(text)
        return self.original.write(text)

    def flush(self) -> None:
        buffer = _capture.get()
        if buffer is not None:
            buffer.flush()
            return
        self.original.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.original, name)


@contextlib.contextmanager
def capture_stdout() -> Iterator[None]:
    with _install_lock:
        if not isinstance(sys.stdout, _StdoutProxy):
            sys.stdout = _StdoutProxy(sys.stdout)
    buffer = _LineBuffer()
    token = _capture.set(buffer)
    try:
        yield
    finally:
        buffer.flush()  # a last line printed without its newline
        _capture.reset(token)


__all__ = ["capture_stdout"]
