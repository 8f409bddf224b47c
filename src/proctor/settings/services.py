"""Intervals of the server's background services (`PROCTOR_SERVER_SERVICES_<NAME>_*`).

The services themselves arrive in a later issue; their knobs are here already so that
deployments can be configured once.
"""

from __future__ import annotations

from pydantic import Field

from proctor.settings.base import SettingsGroup, group_config


class SchedulerSettings(SettingsGroup):
    """Materialises upcoming runs of active schedules."""

    model_config = group_config("server", "services", "scheduler")

    enabled: bool = True
    loop_seconds: float = Field(default=60.0, gt=0)
    max_runs: int = Field(default=100, ge=1, description="Upcoming runs kept per flow.")
    max_scheduled_days: float = Field(default=100.0, gt=0)


class LazarusSettings(SettingsGroup):
    """Re-queues runs that were submitted but never started."""

    model_config = group_config("server", "services", "lazarus")

    enabled: bool = True
    loop_seconds: float = Field(default=10.0, gt=0)
    resubmit_after_seconds: float = Field(default=600.0, gt=0)


class ZombieKillerSettings(SettingsGroup):
    """Fails runs whose heartbeats stopped (and retries them when allowed)."""

    model_config = group_config("server", "services", "zombie")

    enabled: bool = True
    loop_seconds: float = Field(default=10.0, gt=0)
    heartbeat_timeout_seconds: float = Field(default=120.0, gt=0)


class ServicesSettings(SettingsGroup):
    model_config = group_config("server", "services")

    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)
    lazarus: LazarusSettings = Field(default_factory=LazarusSettings)
    zombie: ZombieKillerSettings = Field(default_factory=ZombieKillerSettings)


__all__ = ["LazarusSettings", "SchedulerSettings", "ServicesSettings", "ZombieKillerSettings"]
