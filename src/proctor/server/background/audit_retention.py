"""Audit retention: deletes audit events and activity-feed rows older than `days`, every
`loop_seconds` (the feed is kept as long as the audit log)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from proctor.server.background.base import BackgroundService
from proctor.server.database import Database
from proctor.server.services.activity import prune_activity
from proctor.server.services.audit import prune_audit_events
from proctor.settings import Settings

logger = logging.getLogger("proctor.server.background")


class AuditRetention(BackgroundService):
    name = "audit-retention"

    def __init__(self, db: Database, *, loop_seconds: float, days: float) -> None:
        super().__init__(db, loop_seconds=loop_seconds)
        self.days = days

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> AuditRetention | None:
        configured = settings.server.services.audit_retention
        if not configured.enabled:
            return None
        return cls(db, loop_seconds=configured.loop_seconds, days=configured.days)

    async def run_once(self, now: datetime | None = None) -> int:
        cutoff = (now or datetime.now(UTC)) - timedelta(days=self.days)
        deleted = await prune_audit_events(self.db, older_than=cutoff)
        feed = await prune_activity(self.db, older_than=cutoff)
        if feed:
            logger.info("activity retention: %d row(s) older than %g days deleted", feed, self.days)
        if deleted:
            logger.info(
                "audit retention: %d event(s) older than %g days deleted", deleted, self.days
            )
        return deleted


__all__ = ["AuditRetention"]
