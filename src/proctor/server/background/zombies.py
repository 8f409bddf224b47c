"""The zombie-killer service: retries or fails task runs whose flow run's process is
gone (see `services.zombies` for the rules), every `loop_seconds`."""

from __future__ import annotations

import logging
from datetime import datetime

from proctor.server.background.base import BackgroundService
from proctor.server.database import Database
from proctor.server.services.zombies import ZombieReport, kill_zombies
from proctor.settings import Settings

logger = logging.getLogger("proctor.server.background")


class ZombieKiller(BackgroundService):
    name = "zombie-killer"

    def __init__(self, db: Database, *, loop_seconds: float, after_seconds: float) -> None:
        super().__init__(db, loop_seconds=loop_seconds)
        self.after_seconds = after_seconds

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> ZombieKiller | None:
        configured = settings.server.services.zombie
        if not configured.enabled:
            return None
        return cls(db, loop_seconds=configured.loop_seconds, after_seconds=configured.after_seconds)

    async def run_once(self, now: datetime | None = None) -> ZombieReport:
        report = await kill_zombies(self.db, after=self.after_seconds, now=now)
        if report.total:
            logger.info(
                "zombie-killer: %d task run(s) retrying, %d failed, %d cancelled",
                report.retrying,
                report.failed,
                report.cancelled,
            )
        return report


__all__ = ["ZombieKiller"]
