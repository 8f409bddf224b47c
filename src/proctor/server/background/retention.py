"""The retention service: prunes run history by each team's policy every `loop_seconds`
(see `services.retention` for the rules and how replicas share the work).

Per pass and team: delete finished runs past the policy, trim the logs of runs that
finished since the last pass, write one audit event when something was removed, and on
SQLite give the freed pages back to the file system (`services.plumbing.sqlite_space`). What it
removed adds up in `RetentionTotals`, which `/metrics` reports as counters.
"""

from __future__ import annotations

import logging
import uuid
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from proctor.server.background.base import BackgroundService
from proctor.server.database import Database
from proctor.server.services.audit import AuditRecord, write_audit_events
from proctor.server.services.plumbing.sqlite_space import reclaim_space
from proctor.server.services.retention import Pace, Removed, prune_runs, trim_logs
from proctor.server.services.retention_policy import Policy, policies_by_tenant
from proctor.settings import Settings

logger = logging.getLogger("proctor.server.background")

AUDIT_ACTION = "retention.pruned"


@dataclass(slots=True)
class RetentionTotals:
    """What the retention services of one database removed since the process started."""

    removed: Removed = field(default_factory=Removed)
    passes: int = 0
    sqlite_pages_released: int = 0


_TOTALS: weakref.WeakKeyDictionary[Database, RetentionTotals] = weakref.WeakKeyDictionary()


def retention_totals(db: Database) -> RetentionTotals:
    """The running totals of `db`'s retention service(s) in this process."""
    totals = _TOTALS.get(db)
    if totals is None:
        totals = _TOTALS[db] = RetentionTotals()
    return totals


@dataclass(slots=True)
class RetentionReport:
    """One pass: rows removed per team, and SQLite pages released."""

    by_team: dict[uuid.UUID, Removed] = field(default_factory=dict)
    pages_released: int = 0

    @property
    def removed(self) -> Removed:
        total = Removed()
        for removed in self.by_team.values():
            total.add(removed)
        return total


class RetentionService(BackgroundService):
    name = "retention"

    def __init__(
        self,
        db: Database,
        *,
        loop_seconds: float,
        default: Policy,
        batch_size: int,
        vacuum_free_pages: int,
        pause_ratio: float = 0.0,
        quiet_seconds: float = 0.0,
        max_wait_seconds: float = 0.0,
    ) -> None:
        super().__init__(db, loop_seconds=loop_seconds)
        self.default = default
        self.pace = Pace(
            batch=batch_size,
            pause_ratio=pause_ratio,
            quiet_seconds=quiet_seconds,
            max_wait_seconds=max_wait_seconds,
        )
        self.vacuum_free_pages = vacuum_free_pages

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> RetentionService | None:
        configured = settings.server.retention
        if not configured.enabled:
            return None
        return cls(
            db,
            loop_seconds=configured.loop_seconds,
            default=Policy.from_settings(settings),
            batch_size=configured.batch_size,
            vacuum_free_pages=configured.vacuum_free_pages,
            pause_ratio=configured.pause_ratio,
            quiet_seconds=configured.quiet_seconds,
            max_wait_seconds=configured.max_wait_seconds,
        )

    async def run_once(self, now: datetime | None = None) -> RetentionReport:
        now = now or datetime.now(UTC)
        report = RetentionReport()
        totals = retention_totals(self.db)
        for tenant, policy in (await policies_by_tenant(self.db, self.default)).items():
            removed = await prune_runs(self.db, tenant, policy, now=now, pace=self.pace)
            trimmed = await trim_logs(self.db, tenant, policy, now=now, pace=self.pace)
            removed.log_lines_trimmed += trimmed
            if removed.total:
                report.by_team[tenant] = removed
                # Counted team by team: /metrics shows a long first pass progressing.
                totals.removed.add(removed)
                await self._audit(tenant, policy, removed, now)
        space = await reclaim_space(
            self.db, vacuum_free_pages=self.vacuum_free_pages, pause_ratio=self.pace.pause_ratio
        )
        if space is not None:
            report.pages_released = space.pages_released
        totals.passes += 1
        totals.sqlite_pages_released += report.pages_released
        if report.by_team:
            logger.info("retention: removed %s", report.removed.as_dict())
        return report

    async def _audit(
        self, tenant: uuid.UUID, policy: Policy, removed: Removed, now: datetime
    ) -> None:
        details: dict[str, Any] = {
            **removed.as_dict(),
            "days": policy.days,
            "log_max_bytes": policy.log_max_bytes,
            "keep_newest_runs": policy.keep_newest_runs,
        }
        await write_audit_events(
            self.db,
            [
                AuditRecord(
                    tenant_id=tenant,
                    action=AUDIT_ACTION,
                    occurred=now,
                    actor_kind="system",
                    object_type="retention_policy",
                    object_id=str(tenant),
                    details=details,
                )
            ],
        )


__all__ = [
    "AUDIT_ACTION",
    "RetentionReport",
    "RetentionService",
    "RetentionTotals",
    "retention_totals",
]
