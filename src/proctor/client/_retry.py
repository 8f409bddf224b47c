"""When the client tries again, and how long it waits in between.

Two kinds of failure are told apart, because they are not equally safe to repeat:

- *never sent*: the connection was refused or could not be opened in time. The server saw
  nothing, so every operation may be sent again.
- *maybe applied*: the request went out but the answer was lost (read timeout, dropped
  connection) or the server answered 5xx. Only operations marked idempotent are repeated:
  queries, the batched state changes (each change carries the version it expects, so a
  repeat cannot apply twice), `createTaskRuns` (keyed by task slug and map index),
  `registerFlow` (keyed by the spec's fingerprint) and `createFlowRun` when it carries an
  idempotency key. Everything else surfaces the error at once.

Waits grow exponentially with full jitter and are capped, and the total number of attempts
is bounded, so a client never hangs forever on a dead server.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

import httpx

#: Raised before the request reached the server: always safe to try again.
NEVER_SENT: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)
#: Raised after the request may have reached the server.
MAYBE_APPLIED: tuple[type[Exception], ...] = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)
#: Statuses worth another try: the server (or a proxy in front of it) is overloaded or
#: restarting. Any other status is an answer.
RETRY_STATUSES = frozenset({500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff: `attempts` tries in all, waits capped at `max_delay`."""

    attempts: int = 5
    base_delay: float = 0.1
    max_delay: float = 3.0
    jitter: bool = True

    def delays(self) -> Iterator[float]:
        """The waits between consecutive attempts (`attempts - 1` of them)."""
        for attempt in range(max(self.attempts, 1) - 1):
            delay = min(self.max_delay, self.base_delay * (2**attempt))
            yield random.uniform(0, delay) if self.jitter else delay

    def should_retry(self, error: Exception, *, idempotent: bool) -> bool:
        """Whether `error` from one attempt allows another one."""
        if isinstance(error, NEVER_SENT):
            return True
        return idempotent and isinstance(error, MAYBE_APPLIED)


NO_RETRY = RetryPolicy(attempts=1)

__all__ = ["MAYBE_APPLIED", "NEVER_SENT", "NO_RETRY", "RETRY_STATUSES", "RetryPolicy"]
