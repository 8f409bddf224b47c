"""`HealthProber`: the database checked in the background, so `/health` costs nothing.

`/health` used to run the database check on the request path (under a 5 s timeout). On a
loaded machine (a hostile client keeping the event loop busy, the pool drained) that check
could time out on a server that was fine, and a load balancer would take it out of
rotation. Now one task, started with the app, runs the check every `interval` seconds
(`Database.health()`, which uses a connection of its own, outside the shared pool) and
keeps the last result; `/health` answers from it.

The record is trusted only while it is fresh and good. `/health` is 503 when:
- the instant check (`quick`: no connection or SQLite file gone, no I/O on the pool) says
  so, so these are seen at once, not up to `interval` later;
- the last check failed (then `/health` checks again itself, once for all concurrent
  callers, so a recovered database is seen at once too);
- no check has succeeded for `stale_after` seconds: a check that hangs, or an event loop
  so busy that the prober cannot run, is a server that is not answering.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger("proctor.server.health")

HealthCheck = Callable[[], Awaitable[Any]]
QuickCheck = Callable[[], "dict[str, Any] | None"]


@dataclass(frozen=True)
class Probe:
    """One finished database check."""

    healthy: bool
    finished: float  # the prober's clock (monotonic) when it finished
    latency_ms: float
    detail: dict[str, Any] | None = None  # what the check returned, when it returned
    error: str | None = None  # why it raised or timed out, when it did


@dataclass(frozen=True)
class Verdict:
    """What `/health` answers: up or down, the check behind it, and how old it is."""

    healthy: bool
    probe: Probe | None
    age_seconds: float | None = None
    detail: dict[str, Any] | None = None
    error: str | None = None


def judge(detail: Any) -> bool:
    """Whether a check's answer means up: anything but `False` or a dict whose
    `database` is something else than "ok"."""
    return not (
        detail is False or (isinstance(detail, dict) and detail.get("database") not in (None, "ok"))
    )


class HealthProber:
    """Runs `check` every `interval` s in a task of its own; see the module docstring."""

    def __init__(
        self,
        check: HealthCheck,
        *,
        quick: QuickCheck | None = None,
        interval: float = 1.0,
        stale_after: float = 15.0,
        timeout: float = 30.0,
        inline_timeout: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.check = check
        self.quick = quick
        self.interval = interval
        self.stale_after = stale_after
        self.timeout = timeout
        self.inline_timeout = inline_timeout
        self.clock = clock
        self.last: Probe | None = None
        self.last_success: Probe | None = None
        self._task: asyncio.Task[None] | None = None
        self._inline: asyncio.Task[Probe] | None = None
        self._stopping = False

    async def start(self) -> None:
        """Check once (so the first `/health` has an answer), then keep checking."""
        await self.probe(self.timeout)
        self._task = asyncio.create_task(self._loop(), name="proctor-health-prober")

    async def stop(self) -> None:
        # Python 3.11's wait_for can swallow a cancellation that lands as the check
        # finishes: the loop then ends on this flag instead of ticking forever.
        self._stopping = True
        for task in (self._task, self._inline):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        self._task = self._inline = None

    async def _loop(self) -> None:
        while not self._stopping:
            await asyncio.sleep(self.interval)
            await self.probe(self.timeout)

    async def probe(self, timeout: float) -> Probe:
        """Run the check once and record its result (never raises but on cancel)."""
        started = self.clock()
        try:
            detail = await asyncio.wait_for(self.check(), timeout)
        except Exception as error:
            reason = str(error) or type(error).__name__
            result = Probe(False, self.clock(), _ms(self.clock() - started), error=reason)
        else:
            result = Probe(
                judge(detail),
                self.clock(),
                _ms(self.clock() - started),
                detail=detail if isinstance(detail, dict) else None,
            )
        # Said once when it changes, not every second while the database is down.
        was_healthy = self.last is None or self.last.healthy
        if was_healthy and not result.healthy:
            logger.warning("database health check failed: %s", result.error or result.detail)
        elif not was_healthy and result.healthy:
            logger.warning("database health check succeeds again")
        self.last = result
        if result.healthy:
            self.last_success = result
        return result

    async def _probe_inline(self) -> Probe:
        """A check on behalf of `/health` callers: one at a time, shared by all."""
        if self._inline is None or self._inline.done():
            self._inline = asyncio.create_task(self.probe(self.inline_timeout))
        return await asyncio.shield(self._inline)

    async def verdict(self) -> Verdict:
        """What `/health` should answer now."""
        if self.quick is not None:
            problem = self.quick()
            if problem is not None:
                return Verdict(False, self.last, detail=problem)
        last = self.last
        if last is None or not last.healthy:
            last = await self._probe_inline()
        now = self.clock()
        if not last.healthy:
            return Verdict(False, last, now - last.finished, last.detail, last.error)
        age = now - last.finished
        if age > self.stale_after:
            return Verdict(
                False,
                last,
                age,
                last.detail,
                f"no database check has finished for {age:.0f} s (the database or the "
                "server is not answering)",
            )
        return Verdict(True, last, age, last.detail)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


__all__ = ["HealthProber", "Probe", "Verdict", "judge"]
