"""The server's background services: async loops in the server process, started and
stopped together with the app by `background_services(db, settings)`.

    base.py        BackgroundService: a periodic pass with start/stop, woken by events
    scheduler.py   Scheduler: upcoming runs of active schedules
    backfiller.py  Backfiller: runs of backfills, at most their concurrency limit at once
    lazarus.py     Lazarus: re-queues in-flight runs whose process is gone
    zombies.py     ZombieKiller: retries or fails task runs whose process is gone
    audit_retention.py  AuditRetention: prunes old audit events
    retention.py   RetentionService: prunes run history (runs, task runs, logs) by policy
    agent_monitor.py    AgentMonitor: agent health, agent.unhealthy / agent.healthy events
    automations.py AutomationMatcher: events -> notifications of matching automations
    notifier.py    Notifier: delivers notifications, retried with backoff
    sla.py         SlaWatcher: records late starts, long runs and missed runs

Each is enabled and timed by `server.services.<name>` settings. Their rules live in
`proctor.server.services` (schedules, lazarus, zombies) and change states only through
the orchestration policy; they are safe to run in several replicas on PostgreSQL (row
claims with SKIP LOCKED, idempotent inserts), while SQLite has one server process.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from proctor.server.background.agent_monitor import AgentMonitor
from proctor.server.background.audit_retention import AuditRetention
from proctor.server.background.automations import AutomationMatcher
from proctor.server.background.backfiller import Backfiller
from proctor.server.background.base import BackgroundService
from proctor.server.background.lazarus import Lazarus
from proctor.server.background.notifier import Notifier
from proctor.server.background.retention import RetentionService
from proctor.server.background.scheduler import Scheduler
from proctor.server.background.sla import SlaWatcher
from proctor.server.background.zombies import ZombieKiller
from proctor.server.database import Database
from proctor.settings import Settings

logger = logging.getLogger("proctor.server.background")

SERVICES: tuple[type[BackgroundService], ...] = (
    AutomationMatcher,  # first: it listens to what the others publish
    Notifier,
    SlaWatcher,
    Scheduler,
    Backfiller,
    Lazarus,
    ZombieKiller,
    AuditRetention,
    RetentionService,
    AgentMonitor,
)


def check_thresholds(settings: Settings) -> list[str]:
    """Warnings for thresholds that leave no room for two missed heartbeats."""
    services = settings.server.services
    beat = services.heartbeat_seconds
    return [
        f"server.services.{name}.after_seconds ({group.after_seconds:g}) is less than twice "
        f"heartbeat_seconds ({beat:g}): healthy runs that miss one beat may be treated as lost"
        for name, group in (("lazarus", services.lazarus), ("zombie", services.zombie))
        if group.after_seconds < 2 * beat
    ]


@asynccontextmanager
async def background_services(
    db: Database, settings: Settings
) -> AsyncIterator[list[BackgroundService]]:
    """Start every enabled service; stop them (in reverse order) on exit."""
    for warning in check_thresholds(settings):
        logger.warning(warning)
    started: list[BackgroundService] = []
    try:
        for cls in SERVICES:
            service = cls.from_settings(db, settings)
            if service is not None:
                await service.start()
                started.append(service)
        yield started
    finally:
        for service in reversed(started):
            await service.stop()


__all__ = [
    "SERVICES",
    "AgentMonitor",
    "AuditRetention",
    "AutomationMatcher",
    "Backfiller",
    "BackgroundService",
    "Lazarus",
    "Notifier",
    "RetentionService",
    "Scheduler",
    "SlaWatcher",
    "ZombieKiller",
    "background_services",
    "check_thresholds",
]
