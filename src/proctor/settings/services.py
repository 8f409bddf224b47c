"""The server's background services (`PROCTOR_SERVER_SERVICES_*`): which run, how often,
and the thresholds they act on. Defaults are in seconds and sized for a small deployment
(one server, a few agents): a dead run process is noticed within about a minute.

    heartbeat_seconds     how often run processes and agents are expected to heartbeat
    scheduler             materialises upcoming runs of active schedules
    lazarus               re-queues in-flight runs whose process is gone
    zombie                fails or retries task runs whose flow run's process is gone
"""

from __future__ import annotations

from pydantic import Field

from proctor.settings.base import SettingsGroup, group_config


class SchedulerSettings(SettingsGroup):
    """Materialises upcoming runs of active schedules: at most `max_runs` future runs per
    flow, and none further ahead than `horizon_seconds` (whichever bound is reached
    first)."""

    model_config = group_config("server", "services", "scheduler")

    enabled: bool = True
    loop_seconds: float = Field(default=5.0, gt=0, description="Seconds between passes.")
    max_runs: int = Field(default=10, ge=1, description="Future runs kept per flow.")
    horizon_seconds: float = Field(
        default=3600.0, gt=0, description="How far ahead runs are created."
    )


class LazarusSettings(SettingsGroup):
    """Re-queues a Submitted or Running flow run whose heartbeat stopped more than
    `after_seconds` ago and that has no live task runs; after `max_requeues` re-queues
    the run is failed instead (something keeps killing it)."""

    model_config = group_config("server", "services", "lazarus")

    enabled: bool = True
    loop_seconds: float = Field(default=5.0, gt=0, description="Seconds between passes.")
    after_seconds: float = Field(
        default=30.0, gt=0, description="Heartbeat age after which a run counts as lost."
    )
    max_requeues: int = Field(default=3, ge=0, description="Re-queues before failing a run.")


class ZombieKillerSettings(SettingsGroup):
    """Retries (or fails) Running task runs whose flow run's heartbeat stopped more than
    `after_seconds` ago."""

    model_config = group_config("server", "services", "zombie")

    enabled: bool = True
    loop_seconds: float = Field(default=5.0, gt=0, description="Seconds between passes.")
    after_seconds: float = Field(
        default=60.0, gt=0, description="Heartbeat age after which a task run is a zombie."
    )


class ServicesSettings(SettingsGroup):
    model_config = group_config("server", "services")

    heartbeat_seconds: float = Field(
        default=10.0,
        gt=0,
        description="How often run processes and agents are expected to heartbeat "
        "(`PROCTOR_FLOW_RUN_HEARTBEAT_SECONDS` on their side). The thresholds of Lazarus "
        "and the zombie killer should leave room for two missed beats; the server logs a "
        "warning at start-up when they do not.",
    )
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)
    lazarus: LazarusSettings = Field(default_factory=LazarusSettings)
    zombie: ZombieKillerSettings = Field(default_factory=ZombieKillerSettings)


__all__ = ["LazarusSettings", "SchedulerSettings", "ServicesSettings", "ZombieKillerSettings"]
