"""The SLA watcher: records late starts, long runs and missed runs every `loop_seconds`
(see `services.alerting.slas`); each breach is recorded and published once, whatever
the number of replicas."""

from __future__ import annotations

import logging
from datetime import datetime

from proctor.server.background.base import BackgroundService
from proctor.server.database import Database
from proctor.server.services.alerting.slas import SlaReport, detect_breaches
from proctor.settings import Settings

logger = logging.getLogger("proctor.server.background")


class SlaWatcher(BackgroundService):
    name = "sla-watcher"

    def __init__(self, db: Database, *, loop_seconds: float, lookback_seconds: float) -> None:
        super().__init__(db, loop_seconds=loop_seconds)
        self.lookback_seconds = lookback_seconds

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> SlaWatcher | None:
        configured = settings.server.services.sla
        if not configured.enabled:
            return None
        return cls(
            db, loop_seconds=configured.loop_seconds, lookback_seconds=configured.lookback_seconds
        )

    async def run_once(self, now: datetime | None = None) -> SlaReport:
        report = await detect_breaches(self.db, lookback_seconds=self.lookback_seconds, now=now)
        if report.breaches:
            logger.info("sla-watcher: %d new breach(es)", len(report.breaches))
        return report


__all__ = ["SlaWatcher"]
