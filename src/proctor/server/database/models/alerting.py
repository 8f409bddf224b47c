"""Alerting: automations (a trigger and its actions), their deliveries with every attempt
(the delivery log), SLAs per flow group and the breaches the SLA watcher found.

Idempotency lives in the unique keys, so that several server replicas may all match the
same event or scan for the same breach and still alert once:

    notification  (automation_id, action_index, trigger_key)  one delivery per action
                                                              per trigger event
    sla_breach    (flow_group_id, kind, subject)              one breach per run (or
                                                              scheduled time) and kind
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from proctor.server.database.models.base import (
    Base,
    IdMixin,
    TenantColumnMixin,
    TenantMixin,
    TimestampsMixin,
)
from proctor.server.database.types import JSONType, Timestamp, utcnow


class Automation(IdMixin, TenantMixin, TimestampsMixin, Base):
    """A trigger (e.g. "a run of flow X failed") and the actions it sets off, in order.

    `trigger` and `actions` are validated documents (`services.alerting.specs`). The
    signing secret (HMAC-SHA256 of webhook bodies, one per automation so a leak is
    contained) is sealed with the secrets keyring: `secret_sealed` (nonce + ciphertext,
    bound to the tenant and the automation id) and `secret_key_id`, the key that sealed it.
    `secret` only holds a clear secret written before revision 0007, until the server
    seals it at start-up (`services.alerting.signing`); it is NULL otherwise.

    Webhook and Slack URLs and webhook header values are credentials too (a Slack URL
    *is* the key; headers carry `Authorization`). `actions` stores them masked, and their
    clear values are sealed together in `action_secrets_sealed` (key in
    `action_secrets_key_id`): see `services.alerting.action_secrets`. A row written before
    revision 0009 has NULL there and clear values in `actions` until the server seals it
    at start-up.
    """

    __tablename__ = "automation"
    __table_args__ = (sa.Index(None, "tenant_id", "enabled"),)

    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(sa.Text())
    trigger: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    actions: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, nullable=False)
    enabled: Mapped[bool] = mapped_column(nullable=False, default=True)
    secret: Mapped[str | None] = mapped_column(sa.String(100))
    secret_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary())
    secret_key_id: Mapped[str | None] = mapped_column(sa.String(100))
    action_secrets_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary())
    action_secrets_key_id: Mapped[str | None] = mapped_column(sa.String(100))


class Notification(IdMixin, TenantMixin, TimestampsMixin, Base):
    """One delivery of one action of an automation for one trigger event.

    `event` is the trigger's context captured when it matched (run fields, link, SLA or
    agent details), so every retry sends the same content. `status` moves
    pending -> delivering -> delivered | failed (| skipped, for a test of a run action);
    a claim expires at `claimed_until`, so a replica that died mid-delivery does not
    hold the notification forever.
    """

    __tablename__ = "notification"
    __table_args__ = (
        sa.UniqueConstraint("automation_id", "action_index", "trigger_key"),
        sa.Index(None, "status", "next_attempt_at"),
        sa.Index(None, "tenant_id", "created"),
    )

    automation_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.Uuid(), sa.ForeignKey("automation.id", ondelete="SET NULL")
    )
    automation_name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    action_index: Mapped[int] = mapped_column(nullable=False)
    action_type: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    trigger_key: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    event: Mapped[dict[str, Any]] = mapped_column(nullable=False, default=dict)
    flow_run_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid())
    test: Mapped[bool] = mapped_column(nullable=False, default=False)
    status: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text())
    next_attempt_at: Mapped[datetime | None] = mapped_column(Timestamp())
    claimed_until: Mapped[datetime | None] = mapped_column(Timestamp())
    claim_token: Mapped[str | None] = mapped_column(sa.String(40))
    delivered_at: Mapped[datetime | None] = mapped_column(Timestamp())


class NotificationAttempt(IdMixin, TenantColumnMixin, Base):
    """One try at delivering a notification: what happened, when, and how long it took."""

    __tablename__ = "notification_attempt"
    __table_args__ = (sa.Index(None, "notification_id", "number"),)

    notification_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("notification.id", ondelete="CASCADE"), nullable=False
    )
    number: Mapped[int] = mapped_column(nullable=False)
    success: Mapped[bool] = mapped_column(nullable=False)
    status_code: Mapped[int | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(sa.Text())
    detail: Mapped[str | None] = mapped_column(sa.Text())
    started: Mapped[datetime] = mapped_column(Timestamp(), nullable=False, default=utcnow)
    duration_ms: Mapped[float] = mapped_column(sa.Float(), nullable=False, default=0.0)


class FlowSla(IdMixin, TenantMixin, TimestampsMixin, Base):
    """The service levels of a flow group (all its versions); a None threshold is off."""

    __tablename__ = "flow_sla"
    __table_args__ = (sa.UniqueConstraint("flow_group_id"),)

    flow_group_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("flow_group.id", ondelete="CASCADE"), nullable=False
    )
    late_start_seconds: Mapped[float | None] = mapped_column(sa.Float())
    long_run_seconds: Mapped[float | None] = mapped_column(sa.Float())
    missed_run_seconds: Mapped[float | None] = mapped_column(sa.Float())


class SlaBreach(IdMixin, TenantMixin, Base):
    """A service level that was not met: `kind` is late_start, long_run or missed_run;
    `subject` the run id (or, for a missed run, the scheduled time) it is about."""

    __tablename__ = "sla_breach"
    __table_args__ = (
        sa.UniqueConstraint("flow_group_id", "kind", "subject"),
        sa.Index(None, "tenant_id", "detected"),
    )

    flow_group_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("flow_group.id", ondelete="CASCADE"), nullable=False
    )
    flow_run_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.Uuid(), sa.ForeignKey("flow_run.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    subject: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    threshold_seconds: Mapped[float] = mapped_column(sa.Float(), nullable=False)
    expected_at: Mapped[datetime] = mapped_column(Timestamp(), nullable=False)
    detected: Mapped[datetime] = mapped_column(Timestamp(), nullable=False, default=utcnow)
    details: Mapped[dict[str, Any]] = mapped_column(nullable=False, default=dict)


__all__ = ["Automation", "FlowSla", "Notification", "NotificationAttempt", "SlaBreach"]
