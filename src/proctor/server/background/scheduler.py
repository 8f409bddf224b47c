"""The scheduler service: materialises upcoming runs of every active schedule.

The work is `services.schedules.schedule_runs` (idempotent by schedule key, so replicas
may all run it); this loop runs it every `loop_seconds`, and at once when a flow is
registered or a schedule turned on. A schedule that cannot be used (malformed, or its
clock's parameters do not fit the flow) is logged once, not at every pass. A clock that
can never fire is searched once and then remembered (`services.plumbing.schedule_memory`), so
such schedules, which an older server may have stored, cost nothing on later passes.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from proctor.server.background.base import BackgroundService
from proctor.server.database import Database
from proctor.server.services.plumbing.schedule_memory import ScheduleMemory
from proctor.server.services.schedules import SchedulerReport, schedule_runs
from proctor.settings import Settings

logger = logging.getLogger("proctor.server.background")


class Scheduler(BackgroundService):
    name = "scheduler"
    wake_on = frozenset({"flow.registered", "flow_group.schedule"})

    def __init__(
        self, db: Database, *, loop_seconds: float, max_runs: int, horizon_seconds: float
    ) -> None:
        super().__init__(db, loop_seconds=loop_seconds)
        self.max_runs = max_runs
        self.horizon_seconds = horizon_seconds
        self._reported: dict[uuid.UUID, str] = {}
        self.memory = ScheduleMemory()

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> Scheduler | None:
        configured = settings.server.services.scheduler
        if not configured.enabled:
            return None
        return cls(
            db,
            loop_seconds=configured.loop_seconds,
            max_runs=configured.max_runs,
            horizon_seconds=configured.horizon_seconds,
        )

    async def run_once(self, now: datetime | None = None) -> SchedulerReport:
        report = await schedule_runs(
            self.db,
            now=now,
            max_runs=self.max_runs,
            horizon_seconds=self.horizon_seconds,
            memory=self.memory,
        )
        for group, problem in report.errors.items():
            if self._reported.get(group) != problem:
                logger.warning(
                    "scheduler: skipping the schedule of flow group %s: %s", group, problem
                )
        self._reported = dict(report.errors)
        return report


__all__ = ["Scheduler"]
