"""What the alerting services return: plain frozen dataclasses, never ORM objects."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Automation:
    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    description: str | None
    trigger: dict[str, Any]
    actions: list[dict[str, Any]]
    enabled: bool
    secret: str | None  # the signing secret: only in the answer that set it
    created: datetime
    updated: datetime


@dataclass(frozen=True, slots=True)
class Attempt:
    """One try at delivering a notification."""

    number: int
    success: bool
    status_code: int | None
    error: str | None
    detail: str | None
    started: datetime
    duration_ms: float


@dataclass(frozen=True, slots=True)
class Notification:
    """One delivery of one action for one trigger event, with its attempts."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    automation_id: uuid.UUID | None
    automation_name: str
    action_index: int
    action_type: str
    trigger_key: str
    event: dict[str, Any]
    flow_run_id: uuid.UUID | None
    test: bool
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created: datetime
    updated: datetime
    attempt_log: list[Attempt] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FlowSla:
    flow_group_id: uuid.UUID
    tenant_id: uuid.UUID
    late_start_seconds: float | None
    long_run_seconds: float | None
    missed_run_seconds: float | None
    updated: datetime | None


@dataclass(frozen=True, slots=True)
class SlaBreach:
    id: uuid.UUID
    tenant_id: uuid.UUID
    flow_group_id: uuid.UUID
    flow_name: str
    flow_run_id: uuid.UUID | None
    kind: str
    subject: str
    threshold_seconds: float
    expected_at: datetime
    detected: datetime
    details: dict[str, Any]


__all__ = ["Attempt", "Automation", "FlowSla", "Notification", "SlaBreach"]
