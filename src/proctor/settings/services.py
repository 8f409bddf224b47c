"""The server's background services (`PROCTOR_SERVER_SERVICES_*`): which run, how often,
and the thresholds they act on. Defaults are in seconds and sized for a small deployment
(one server, a few agents): a dead run process is noticed within about a minute.

    heartbeat_seconds     how often run processes and agents are expected to heartbeat
    scheduler             materialises upcoming runs of active schedules
    backfill              makes the runs of backfills, a few at a time (+ their cap)
    lazarus               re-queues in-flight runs whose process is gone
    zombie                fails or retries task runs whose flow run's process is gone
    audit_retention       prunes audit events (and activity-feed rows) older than `days`
    agent_monitor         judges agents' health and publishes agent.unhealthy/healthy
    notifier              matches events to automations, delivers their actions (+ smtp)
    sla                   records SLA breaches (late start, long run, missed run)
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr

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


class BackfillSettings(SettingsGroup):
    """Backfills: how often the backfiller tops running backfills up to their concurrency
    limit (it also wakes whenever a run changes state), and the most scheduled times one
    backfill may cover (a larger range is refused with a clear message)."""

    model_config = group_config("server", "services", "backfill")

    enabled: bool = True
    loop_seconds: float = Field(default=2.0, gt=0, description="Seconds between passes.")
    max_runs: int = Field(
        default=10_000, ge=1, description="Most scheduled times (runs) in one backfill."
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


class SmtpSettings(SettingsGroup):
    """The mail server email actions are sent through (`PROCTOR_SERVER_SERVICES_NOTIFIER_
    SMTP_*`). `security`: "none" (plain, e.g. a local relay), "starttls" (upgrade after
    connecting, usually port 587) or "tls" (TLS from the start, usually port 465)."""

    model_config = group_config("server", "services", "notifier", "smtp")

    host: str | None = Field(default=None, description="SMTP host; email actions fail without.")
    port: int = Field(default=25, ge=1, le=65535)
    security: Literal["none", "starttls", "tls"] = "none"
    username: str | None = None
    password: SecretStr | None = None
    from_address: str = Field(default="proctor@localhost", description="The From: address.")
    verify_certificate: bool = Field(
        default=True, description="Check the server's TLS certificate (starttls and tls)."
    )
    ca_file: str | None = Field(default=None, description="CA bundle to check it against.")


class NotifierSettings(SettingsGroup):
    """Matches events to automations and delivers their actions: each delivery gets
    `timeout_seconds`, and a failed one is retried after `retry_base_seconds`, doubling
    up to `retry_max_seconds`, until `max_attempts` attempts were made. `ui_url` is the
    base of the run links in messages (default: the server's own host and port)."""

    model_config = group_config("server", "services", "notifier")

    enabled: bool = True
    loop_seconds: float = Field(default=2.0, gt=0, description="Seconds between passes.")
    timeout_seconds: float = Field(default=10.0, gt=0, description="Per delivery attempt.")
    max_attempts: int = Field(default=8, ge=1, le=100)
    retry_base_seconds: float = Field(default=10.0, gt=0)
    retry_max_seconds: float = Field(default=900.0, gt=0)
    batch_size: int = Field(default=20, ge=1, le=1000, description="Deliveries per pass.")
    ui_url: str | None = Field(default=None, description="Base URL of links to runs.")
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)


class SlaSettings(SettingsGroup):
    """Looks for SLA breaches every `loop_seconds`; runs and scheduled times older than
    `lookback_seconds` are no longer examined (bounds each pass)."""

    model_config = group_config("server", "services", "sla")

    enabled: bool = True
    loop_seconds: float = Field(default=10.0, gt=0, description="Seconds between passes.")
    lookback_seconds: float = Field(default=86400.0, gt=0)


class AuditRetentionSettings(SettingsGroup):
    """Deletes audit events and activity-feed rows older than `days`, every `loop_seconds`."""

    model_config = group_config("server", "services", "audit_retention")

    enabled: bool = True
    loop_seconds: float = Field(default=3600.0, gt=0, description="Seconds between passes.")
    days: float = Field(default=90.0, gt=0, description="How long audit events are kept.")


class AgentMonitorSettings(SettingsGroup):
    """Judges agents by their last heartbeat against `heartbeat_seconds`: LATE after
    `late_after_beats` missed intervals, UNHEALTHY after `unhealthy_after_beats`, and
    publishes `agent.unhealthy` / `agent.healthy` when an agent crosses that line."""

    model_config = group_config("server", "services", "agent_monitor")

    enabled: bool = True
    loop_seconds: float = Field(default=5.0, gt=0, description="Seconds between passes.")
    late_after_beats: float = Field(
        default=2.0, gt=0, description="Heartbeat intervals after which an agent is LATE."
    )
    unhealthy_after_beats: float = Field(
        default=6.0, gt=0, description="Heartbeat intervals after which it is UNHEALTHY."
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
    backfill: BackfillSettings = Field(default_factory=BackfillSettings)
    lazarus: LazarusSettings = Field(default_factory=LazarusSettings)
    zombie: ZombieKillerSettings = Field(default_factory=ZombieKillerSettings)
    audit_retention: AuditRetentionSettings = Field(default_factory=AuditRetentionSettings)
    agent_monitor: AgentMonitorSettings = Field(default_factory=AgentMonitorSettings)
    notifier: NotifierSettings = Field(default_factory=NotifierSettings)
    sla: SlaSettings = Field(default_factory=SlaSettings)


__all__ = [
    "AgentMonitorSettings",
    "AuditRetentionSettings",
    "BackfillSettings",
    "LazarusSettings",
    "NotifierSettings",
    "SchedulerSettings",
    "ServicesSettings",
    "SlaSettings",
    "SmtpSettings",
    "ZombieKillerSettings",
]
