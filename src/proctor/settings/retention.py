"""Run-history retention (`PROCTOR_SERVER_RETENTION_*`): the server's default policy and
how the retention service works through it. A team may override the policy's three
figures (`days`, `log_max_bytes`, `keep_newest_runs`) in the database (GraphQL
`setRetentionPolicy`); the service's own timing stays server-wide.

    days               finished runs older than this are deleted with their task runs,
                       state history and logs (default 30)
    log_max_bytes      a run's log lines beyond this many bytes are deleted, oldest first
                       (0: no size limit)
    keep_newest_runs   each flow's newest finished runs kept whatever their age
    loop_seconds       seconds between passes
    batch_size         rows per delete transaction (short transactions, no long locks)
    pause_ratio        after each transaction, pause this many times as long as it took,
                       so that a running flow's writes keep their latency
    quiet_seconds      before each transaction, wait until the server's own writes have
                       paused this long (a gap in a running flow's writes) ...
    max_wait_seconds   ... but no longer than this, so a pass still ends under constant writes
    vacuum_free_pages  SQLite without auto_vacuum (files made before it was turned on):
                       a full VACUUM when this many pages are free (0: never)
"""

from __future__ import annotations

from pydantic import Field

from proctor.settings.base import SettingsGroup, group_config


class RetentionSettings(SettingsGroup):
    """How long run history is kept, and how the retention service prunes it."""

    model_config = group_config("server", "retention")

    enabled: bool = Field(default=True, description="Run the retention service.")
    days: float = Field(
        default=30.0,
        gt=0,
        le=36500,
        description="Days finished runs, their task runs and logs are kept.",
    )
    log_max_bytes: int = Field(
        default=50_000_000,
        ge=0,
        description="Bytes of log messages kept per run, newest first (0: no limit).",
    )
    keep_newest_runs: int = Field(
        default=10, ge=0, le=100_000, description="Newest finished runs of each flow always kept."
    )
    loop_seconds: float = Field(default=600.0, gt=0, description="Seconds between passes.")
    batch_size: int = Field(
        default=500, ge=1, le=100_000, description="Rows deleted per transaction."
    )
    pause_ratio: float = Field(
        default=3.0,
        ge=0,
        le=1000,
        description="After each delete transaction, pause this many times as long as it "
        "took (3: the pass holds the write lock at most a quarter of the time).",
    )
    quiet_seconds: float = Field(
        default=0.05,
        ge=0,
        le=60,
        description="Before each delete transaction, wait for a gap this long in the "
        "server's own writes (0: do not wait).",
    )
    max_wait_seconds: float = Field(
        default=0.25,
        ge=0,
        le=600,
        description="The longest wait for that gap before deleting anyway.",
    )
    vacuum_free_pages: int = Field(
        default=25_000,
        ge=0,
        description="SQLite without auto_vacuum: VACUUM once this many pages are free (0: never).",
    )


__all__ = ["RetentionSettings"]
