"""Send what tasks `print()` to their run logger when they ask for it (`log_stdout=True`).

`sys.stdout` is process-wide, but several task runs may print at once on a thread
executor, so instead of swapping it per task we install one proxy that looks up which
task run (if any) the printing thread is in.
"""

from __future__ import annotations

import contextlib
import io
import sys
import threading
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any, TextIO

_capturing: ContextVar[bool] = ContextVar("proctor_capture_stdout", default=False)
_install_lock = threading.Lock()


class _StdoutProxy(io.TextIOBase):
    def __init__(self, original: TextIO) -> None:
        self.original = original

    def write(self, text: str) -> int:
        if _capturing.get():
            stripped = text.rstrip("\n")
            if stripped:
                from proctor.core.logs import get_run_logger

                get_run_logger().info(stripped)
            return len(text)
        return self.original.write(text)

    def flush(self) -> None:
        self.original.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.original, name)


@contextlib.contextmanager
def capture_stdout() -> Iterator[None]:
    with _install_lock:
        if not isinstance(sys.stdout, _StdoutProxy):
            sys.stdout = _StdoutProxy(sys.stdout)
    token = _capturing.set(True)
    try:
        yield
    finally:
        _capturing.reset(token)


__all__ = ["capture_stdout"]
