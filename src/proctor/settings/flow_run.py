"""Settings of a flow run process reporting to the server (`PROCTOR_FLOW_RUN_*`).

Read by `proctor execute flow-run`; the defaults suit a small deployment, and tests set
short intervals through the same variables.
"""

from __future__ import annotations

from pydantic import Field

from proctor.settings.base import SettingsGroup, group_config


class FlowRunSettings(SettingsGroup):
    """Heartbeats, cancellation, re-queued retries and the state reporter's batching."""

    model_config = group_config("flow_run")

    heartbeat_seconds: float = Field(
        default=10.0, gt=0, description="How often the run tells the server it is alive."
    )
    cancel_check_seconds: float = Field(
        default=1.0, gt=0, description="How often the run looks for a cancellation request."
    )
    cancel_grace_seconds: float = Field(
        default=10.0,
        ge=0,
        description="After cancellation, how long running tasks may take before the "
        "process stops them by exiting.",
    )
    max_retry_wait_seconds: float = Field(
        default=60.0,
        ge=0,
        description="A retry due later than this ends the process; the run is re-queued "
        "for the retry time instead.",
    )
    report_interval_seconds: float = Field(
        default=0.2, gt=0, description="Longest time a state waits before it is sent."
    )
    report_max_pending: int = Field(
        default=50_000,
        ge=100,
        description="States and log lines waiting to be sent before the run waits for "
        "the server instead of going on.",
    )
    report_exit_timeout_seconds: float = Field(
        default=600.0,
        ge=0,
        description="At exit, how long to keep retrying unsent states while the server is "
        "unreachable.",
    )


__all__ = ["FlowRunSettings"]
