"""`BackgroundService`: one async loop in the server process, started and stopped with
the app.

A service does one *pass* (`run_once`) every `loop_seconds`; a pass that fails is logged
and the loop goes on (a database that is briefly unavailable must not kill the
scheduler). A service may also list event kinds (`wake_on`) that start the next pass at
once instead of at the end of the interval: the scheduler reacts to a registration or a
schedule turned on within milliseconds, not seconds.

Subclasses set `name`, read their settings in `from_settings`, and implement `run_once`.
Tests call `run_once()` directly, with a `now` when they need to travel in time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from proctor.server.database import Database
from proctor.server.errors import Unavailable
from proctor.server.events import ALL_TOPICS, Subscription
from proctor.settings import Settings

logger = logging.getLogger("proctor.server.background")

#: How long `stop()` lets a pass in progress finish before cancelling it.
STOP_TIMEOUT = 10.0
#: The first pass waits this long (or `loop_seconds` if shorter, or a `wake_on` event):
#: a server that just started answers its first requests before the services compile
#: and run their queries.
START_DELAY = 1.0


class BackgroundService(ABC):
    """A periodic pass over the database, with start/stop."""

    name: ClassVar[str]
    wake_on: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, db: Database, *, loop_seconds: float) -> None:
        self.db = db
        self.loop_seconds = loop_seconds
        self.passes = 0
        self.failures = 0
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._subscription: Subscription | None = None

    @classmethod
    @abstractmethod
    def from_settings(cls, db: Database, settings: Settings) -> BackgroundService | None:
        """The service configured by `settings`, or None when it is disabled."""

    @abstractmethod
    async def run_once(self) -> Any:
        """One pass; returns a report (for tests and logs)."""

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        """Start the loop (the first pass begins at once, in the background)."""
        if self._task is None:
            self._stopping.clear()
            self._task = asyncio.create_task(self._loop(), name=f"proctor-{self.name}")

    async def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Stop the loop: a pass in progress may finish (passes are short transactions;
        cancelling one half way through would leave its connection to the garbage
        collector), and is cancelled only if it takes longer than `timeout`."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping.set()
        if self._subscription is not None:
            self._subscription.close()  # wakes a loop waiting for events
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            logger.warning("%s: pass still running after %.0f s; cancelling it", self.name, timeout)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _loop(self) -> None:
        subscription = self.db.events.subscribe(ALL_TOPICS, maxsize=16) if self.wake_on else None
        self._subscription = subscription
        try:
            await self._wait(subscription, min(START_DELAY, self.loop_seconds))
            while not self._stopping.is_set():
                await self._pass()
                await self._wait(subscription, self.loop_seconds)
        finally:
            if subscription is not None:
                subscription.close()
            self._subscription = None

    async def _pass(self) -> None:
        started = time.monotonic()
        try:
            report = await self.run_once()
        except Unavailable as exc:
            self.failures += 1
            logger.warning("%s: database unavailable, will retry: %s", self.name, exc)
        except Exception:
            self.failures += 1
            logger.exception("%s: pass failed", self.name)
        else:
            self.passes += 1
            logger.debug("%s: %r in %.3f s", self.name, report, time.monotonic() - started)

    async def _wait(self, subscription: Subscription | None, seconds: float) -> None:
        """Sleep `seconds`, or less when an event in `wake_on` arrives or the service is
        stopped (`stop()` sets the event and closes the subscription)."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0 and not self._stopping.is_set():
            if subscription is None or subscription.closed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), remaining)
                return
            event = await subscription.get(remaining)
            if event is not None and event.kind in self.wake_on:
                return

    def __repr__(self) -> str:
        return f"<{type(self).__name__} every {self.loop_seconds:g} s>"


__all__ = ["START_DELAY", "STOP_TIMEOUT", "BackgroundService"]
