"""Run a function with a deadline, and stop waiting for it when the deadline passes.

Python cannot kill a thread, so the function runs in a daemon thread that we stop
waiting for. We also ask the thread to stop by raising `TaskTimeout` inside it: pure-Python
code stops at its next bytecode; code blocked in C (a `sleep`, a socket) stops as soon as
it returns. Either way the task run ends `TimedOut` on time and the flow goes on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextvars import copy_context
from typing import Any


class TaskTimeout(BaseException):
    """Raised inside a task's thread when its timeout has passed.

    A BaseException so that the task's own `except Exception:` blocks don't swallow it.
    """


class TimeoutExpired(Exception):
    """The call did not finish within its timeout."""


class TaskTimeoutSignal(TimeoutExpired):
    """What a timed-out task run's state holds as result: 1.x's name for the same error,
    so code (and comparisons) written for 1.x find it; still a `TimeoutExpired`."""


def call_with_timeout(fn: Callable[..., Any], kwargs: dict[str, Any], timeout: float) -> Any:
    """Return `fn(**kwargs)`, or raise TaskTimeoutSignal after `timeout` seconds."""
    outcome: list[Any] = []
    failure: list[BaseException] = []
    context = copy_context()

    def target() -> None:
        try:
            outcome.append(context.run(fn, **kwargs))
        except BaseException as exc:  # handed to the waiting thread, which re-raises it
            failure.append(exc)

    worker = threading.Thread(target=target, name="proctor-timeout", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        _interrupt(worker)
        raise TaskTimeoutSignal(f"Task did not finish within {timeout:g} seconds")
    if failure:
        raise failure[0]
    return outcome[0]


def _interrupt(thread: threading.Thread) -> None:
    import ctypes

    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(thread.ident), ctypes.py_object(TaskTimeout)
        )


__all__ = ["TaskTimeout", "TaskTimeoutSignal", "TimeoutExpired", "call_with_timeout"]
