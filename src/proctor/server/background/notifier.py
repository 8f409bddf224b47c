"""The notifier: delivers due notifications (see `services.alerting.notifications`).

Every `loop_seconds`, and at once when a matcher recorded new notifications, it claims
up to `batch_size` due notifications, delivers them concurrently (each bounded by
`timeout_seconds`), and records every attempt; failures are retried with exponential
backoff up to `max_attempts`. Claims make it safe to run in several replicas.
"""

from __future__ import annotations

import logging
from datetime import datetime

from proctor.server.background.base import BackgroundService
from proctor.server.database import Database
from proctor.server.services.alerting.delivery import DeliveryConfig
from proctor.server.services.alerting.matching import CREATED_EVENT
from proctor.server.services.alerting.notifications import (
    DeliveryReport,
    RetryPolicy,
    deliver_due,
)
from proctor.settings import Settings

logger = logging.getLogger("proctor.server.background")

#: Claim-and-deliver rounds per pass while every round fills a whole batch.
MAX_ROUNDS = 10


class Notifier(BackgroundService):
    name = "notifier"
    wake_on = frozenset({CREATED_EVENT})

    def __init__(
        self,
        db: Database,
        *,
        loop_seconds: float,
        config: DeliveryConfig,
        policy: RetryPolicy,
        batch_size: int = 20,
    ) -> None:
        super().__init__(db, loop_seconds=loop_seconds)
        self.config = config
        self.policy = policy
        self.batch_size = batch_size

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> Notifier | None:
        configured = settings.server.services.notifier
        if not configured.enabled:
            return None
        return cls(
            db,
            loop_seconds=configured.loop_seconds,
            config=DeliveryConfig.from_settings(settings),
            policy=RetryPolicy(
                max_attempts=configured.max_attempts,
                base_seconds=configured.retry_base_seconds,
                max_seconds=configured.retry_max_seconds,
            ),
            batch_size=configured.batch_size,
        )

    async def run_once(self, now: datetime | None = None) -> DeliveryReport:
        total = DeliveryReport()
        for _ in range(MAX_ROUNDS):
            report = await deliver_due(
                self.db, self.config, self.policy, limit=self.batch_size, now=now
            )
            total.delivered += report.delivered
            total.retrying += report.retrying
            total.failed += report.failed
            total.outcomes += report.outcomes
            if len(report.outcomes) < self.batch_size:
                break
        if total.retrying or total.failed:
            logger.info(
                "notifier: %d delivered, %d to retry, %d failed",
                total.delivered,
                total.retrying,
                total.failed,
            )
        return total


__all__ = ["Notifier"]
