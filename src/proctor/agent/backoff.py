"""Keep trying while the server is away: the waits between attempts, and what is worth it.

The client already retries a request a few times within a few seconds. A run process must
outlast longer outages (a server restarting, a deploy, a kill -9), so the agent's loops
wrap their calls in `Backoff`: exponential waits with jitter, capped, for as long as the
caller wants, and only for errors that another attempt can fix.
"""

from __future__ import annotations

import random
import threading

from proctor.client import GraphQLError, ProctorClientError, ServerUnavailable

# Codes that mean "the server could not do it now", not "the request is wrong".
_TRANSIENT_CODES = frozenset({"INTERNAL_ERROR", "UNAVAILABLE"})


def is_transient(error: BaseException) -> bool:
    """Whether sending the same request later may succeed."""
    if isinstance(error, ServerUnavailable):
        return True
    if isinstance(error, GraphQLError):
        return error.code in _TRANSIENT_CODES
    return isinstance(error, ProctorClientError)  # a garbled answer from a proxy


class Backoff:
    """Waits of `first`, 2x, 4x ... seconds up to `cap`, each with +-50 % jitter.

    `wait()` sleeps the next wait (cut short when `stop` is set) and returns False once
    `stop` is set; `reset()` after a success starts again from `first`.
    """

    def __init__(
        self, first: float = 0.2, cap: float = 5.0, stop: threading.Event | None = None
    ) -> None:
        self.first = first
        self.cap = cap
        self.stop = stop or threading.Event()
        self.attempt = 0

    def next_delay(self) -> float:
        delay = min(self.cap, self.first * 2**self.attempt)
        self.attempt += 1
        jittered: float = delay * random.uniform(0.5, 1.5)
        return jittered

    def wait(self) -> bool:
        return not self.stop.wait(self.next_delay())

    def reset(self) -> None:
        self.attempt = 0


__all__ = ["Backoff", "is_transient"]
