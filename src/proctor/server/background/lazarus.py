"""The Lazarus service: re-queues in-flight runs whose process is gone (see
`services.lazarus` for the rules), every `loop_seconds`."""

from __future__ import annotations

import logging
from datetime import datetime

from proctor.server.background.base import BackgroundService
from proctor.server.database import Database
from proctor.server.services.lazarus import LazarusReport, revive_lost_runs
from proctor.settings import Settings

logger = logging.getLogger("proctor.server.background")


class Lazarus(BackgroundService):
    name = "lazarus"

    def __init__(
        self, db: Database, *, loop_seconds: float, after_seconds: float, max_requeues: int
    ) -> None:
        super().__init__(db, loop_seconds=loop_seconds)
        self.after_seconds = after_seconds
        self.max_requeues = max_requeues

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> Lazarus | None:
        configured = settings.server.services.lazarus
        if not configured.enabled:
            return None
        return cls(
            db,
            loop_seconds=configured.loop_seconds,
            after_seconds=configured.after_seconds,
            max_requeues=configured.max_requeues,
        )

    async def run_once(self, now: datetime | None = None) -> LazarusReport:
        report = await revive_lost_runs(
            self.db, after=self.after_seconds, max_requeues=self.max_requeues, now=now
        )
        if report.total:
            logger.info(
                "lazarus: %d run(s) re-queued, %d failed, %d cancelled",
                report.requeued,
                report.failed,
                report.cancelled,
            )
        return report


__all__ = ["Lazarus"]
