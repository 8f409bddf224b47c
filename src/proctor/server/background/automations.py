"""The automation matcher: turns events into notifications, off the event bus.

It listens to every event on this replica's bus (on PostgreSQL that includes the other
replicas' events) through its own large buffer, so whoever published the event (a state
change, the SLA watcher, the agent monitor) never waits for alerting. Each event is
matched by `services.alerting.matching.handle_event`, whose inserts are idempotent: all
replicas may match the same event and each action is still recorded once.

A bus buffer that overflows drops its oldest events (counted in `dropped`): size
`QUEUE_SIZE` generously, since a dropped event here is a missed alert.
"""

from __future__ import annotations

import asyncio
import logging

from proctor.server.background.base import BackgroundService
from proctor.server.database import Database
from proctor.server.errors import Unavailable
from proctor.server.events import ALL_TOPICS, Event, Subscription
from proctor.server.services.alerting.matching import AutomationCache, handle_event
from proctor.settings import Settings

logger = logging.getLogger("proctor.server.background")

QUEUE_SIZE = 50_000
#: Attempts at matching one event while the database is unavailable.
ATTEMPTS = 3


class AutomationMatcher(BackgroundService):
    name = "automation-matcher"

    def __init__(self, db: Database, *, loop_seconds: float = 5.0) -> None:
        super().__init__(db, loop_seconds=loop_seconds)
        self.cache = AutomationCache(db)
        self.matched = 0
        self._events: Subscription | None = None

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> AutomationMatcher | None:
        if not settings.server.services.notifier.enabled:
            return None
        return cls(db)

    @property
    def dropped(self) -> int:
        return self._events.dropped if self._events is not None else 0

    async def start(self) -> None:
        # Subscribed before the loop task first runs: no event published after start()
        # returns can be missed.
        if self._events is None or self._events.closed:
            self._events = self.db.events.subscribe(ALL_TOPICS, maxsize=QUEUE_SIZE)
        await super().start()

    async def _loop(self) -> None:
        events = self._events
        assert events is not None
        self._subscription = events  # stop() closes it, which ends the loop
        try:
            while not self._stopping.is_set():
                event = await events.get(self.loop_seconds)
                if event is None:
                    if events.closed:
                        return
                    continue
                await self.handle(event)
        finally:
            events.close()
            self._subscription = None

    async def handle(self, event: Event) -> int:
        """Match one event; how many notifications it recorded. Never raises."""
        for attempt in range(ATTEMPTS):
            try:
                created = await handle_event(self.db, event, self.cache)
            except Unavailable as error:
                if attempt + 1 == ATTEMPTS:
                    self.failures += 1
                    logger.warning("%s: event %s not matched: %s", self.name, event.kind, error)
                    return 0
                await asyncio.sleep(0.5 * (attempt + 1))
                continue
            except Exception:
                self.failures += 1
                logger.exception("%s: matching event %s failed", self.name, event.kind)
                return 0
            self.matched += created
            self.passes += 1
            return created
        return 0

    async def run_once(self) -> int:
        """Match every event waiting in the buffer (tests call it to drain it)."""
        events = self._events
        created = 0
        while events is not None and (event := events.get_nowait()) is not None:
            created += await self.handle(event)
        return created


__all__ = ["AutomationMatcher"]
