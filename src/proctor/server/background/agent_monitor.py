"""The agent monitor: judges every agent's health from its last heartbeat and publishes
`agent.unhealthy` / `agent.healthy` once per crossing (see `services.agent_health`),
every `loop_seconds`."""

from __future__ import annotations

import logging
from datetime import datetime

from proctor.server.background.base import BackgroundService
from proctor.server.database import Database
from proctor.server.services.agent_health import MonitorReport, Thresholds, monitor_agents
from proctor.settings import Settings

logger = logging.getLogger("proctor.server.background")


class AgentMonitor(BackgroundService):
    name = "agent-monitor"

    def __init__(self, db: Database, *, loop_seconds: float, thresholds: Thresholds) -> None:
        super().__init__(db, loop_seconds=loop_seconds)
        self.thresholds = thresholds

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> AgentMonitor | None:
        configured = settings.server.services.agent_monitor
        if not configured.enabled:
            return None
        return cls(
            db, loop_seconds=configured.loop_seconds, thresholds=Thresholds.from_settings(settings)
        )

    async def run_once(self, now: datetime | None = None) -> MonitorReport:
        report = await monitor_agents(self.db, self.thresholds, now=now)
        if report.unhealthy or report.healthy:
            logger.info(
                "agent monitor: %d agent(s) became unhealthy, %d recovered",
                report.unhealthy,
                report.healthy,
            )
        return report


__all__ = ["AgentMonitor"]
