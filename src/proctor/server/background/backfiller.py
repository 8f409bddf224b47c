"""The backfiller service: tops every running backfill up to its concurrency limit.

The work is `services.backfills.top_up_backfills` (each backfill under its row lock, so
replicas may all run it). A backfill's run finishing frees a slot, so the loop wakes on
every flow-run state change, not only every `loop_seconds`.
"""

from __future__ import annotations

from datetime import datetime

from proctor.server.background.base import BackgroundService
from proctor.server.database import Database
from proctor.server.services.backfills import TopUpReport, top_up_backfills
from proctor.settings import Settings


class Backfiller(BackgroundService):
    name = "backfill"
    wake_on = frozenset({"flow_run.state", "flow_run.deleted", "backfill.created"})

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> Backfiller | None:
        configured = settings.server.services.backfill
        if not configured.enabled:
            return None
        return cls(db, loop_seconds=configured.loop_seconds)

    async def run_once(self, now: datetime | None = None) -> TopUpReport:
        return await top_up_backfills(self.db, now)


__all__ = ["Backfiller"]
