"""Flow runs, task runs, and the history of their states.

A run row carries its *current* state in columns (`state` is the state's class name, e.g.
"Retrying"; `state_type` its family, e.g. "Scheduled", which is what filters and
dashboards group by) plus a `version` counter for optimistic concurrency. Every accepted
change also appends a history row in the same transaction.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from proctor.server.database.durations import RunDuration
from proctor.server.database.models.base import (
    Base,
    IdMixin,
    TenantColumnMixin,
    TenantMixin,
    TimestampsMixin,
)
from proctor.server.database.types import Timestamp, utcnow


class StateColumnsMixin:
    state: Mapped[str] = mapped_column(sa.String(50), nullable=False)
    state_type: Mapped[str] = mapped_column(sa.String(50), nullable=False)
    state_message: Mapped[str | None] = mapped_column(sa.Text())
    state_timestamp: Mapped[datetime] = mapped_column(Timestamp(), nullable=False)
    version: Mapped[int] = mapped_column(nullable=False, default=0)
    run_count: Mapped[int] = mapped_column(nullable=False, default=0)
    start_time: Mapped[datetime | None] = mapped_column(Timestamp())
    end_time: Mapped[datetime | None] = mapped_column(Timestamp())


class FlowRun(IdMixin, TenantMixin, TimestampsMixin, StateColumnsMixin, Base):
    __tablename__ = "flow_run"
    __table_args__ = (
        sa.UniqueConstraint("flow_id", "idempotency_key"),
        # Runs of a flow by time (flow page), by state (filters), due runs for agents,
        # the dashboard's activity and the zombie killer's heartbeat scan.
        sa.Index(None, "flow_id", "scheduled_start_time"),
        sa.Index(None, "flow_group_id", "scheduled_start_time"),
        sa.Index(None, "tenant_id", "state_type", "scheduled_start_time"),
        sa.Index(None, "tenant_id", "scheduled_start_time"),
        sa.Index(None, "tenant_id", "start_time"),
        # The Runs page sorted by end or by name (migration 0014).
        sa.Index(None, "tenant_id", "end_time"),
        sa.Index(None, "tenant_id", "name"),
        sa.Index(None, "agent_id"),
        # The scheduler's idempotency key: one run per scheduled time of a flow group,
        # whatever the version and however many server replicas insert it (NULLs, i.e.
        # runs not made by the scheduler, never collide).
        sa.Index(None, "flow_group_id", "schedule_key", unique=True),
        # Lazarus and the zombie killer scan the in-flight runs of every tenant. Not
        # (state_type, heartbeat): heartbeats are written constantly, and an index on
        # them would cost every heartbeat an index update (and PostgreSQL its HOT update).
        sa.Index(None, "state_type"),
    )

    flow_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("flow.id", ondelete="CASCADE"), nullable=False
    )
    flow_group_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("flow_group.id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    result_location: Mapped[str | None] = mapped_column(sa.Text())
    parameters: Mapped[dict[str, Any]] = mapped_column(nullable=False, default=dict)
    context: Mapped[dict[str, Any]] = mapped_column(nullable=False, default=dict)
    # What the run overrides of its flow's run config (`{"env": {...}}`; migration 0015).
    run_config_override: Mapped[dict[str, Any] | None] = mapped_column()
    labels: Mapped[list[str]] = mapped_column(nullable=False, default=list)
    scheduled_start_time: Mapped[datetime] = mapped_column(
        Timestamp(), nullable=False, default=utcnow
    )
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(200))
    auto_scheduled: Mapped[bool] = mapped_column(nullable=False, default=False)
    agent_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.Uuid(), sa.ForeignKey("agent.id", ondelete="SET NULL")
    )
    heartbeat: Mapped[datetime | None] = mapped_column(Timestamp())
    # The API key whose request claimed the run last (None: not claimed, or claimed
    # without a key). It scopes the `agent` role to the runs it claimed. No foreign key:
    # keys are revoked, not deleted, and a dangling id only ever means "another key".
    agent_key_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid())
    schedule_key: Mapped[str | None] = mapped_column(sa.String(100))
    lazarus_count: Mapped[int] = mapped_column(nullable=False, default=0, server_default="0")
    # The backfill that made the run (no foreign key: the backfill and its runs go together
    # with their flow group, and a dangling id only ever means "a backfill now gone").
    backfill_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid(), index=True)


# The Runs page sorted by duration (migration 0019): an index on the expression itself,
# which the sort's query renders identically (see `database.durations`).
sa.Index(
    "ix_flow_run__tenant_id_duration",
    FlowRun.tenant_id,
    RunDuration(FlowRun.start_time, FlowRun.end_time),
    FlowRun.id,
)


class FlowRunState(IdMixin, TenantColumnMixin, Base):
    __tablename__ = "flow_run_state"
    __table_args__ = (
        sa.Index(None, "flow_run_id", "timestamp"),
        # The dashboard's recent failures walk a team's Failed states newest first.
        sa.Index(None, "tenant_id", "state_type", "timestamp"),
    )

    flow_run_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("flow_run.id", ondelete="CASCADE"), nullable=False
    )
    state: Mapped[str] = mapped_column(sa.String(50), nullable=False)
    state_type: Mapped[str] = mapped_column(sa.String(50), nullable=False)
    message: Mapped[str | None] = mapped_column(sa.Text())
    timestamp: Mapped[datetime] = mapped_column(Timestamp(), nullable=False)
    start_time: Mapped[datetime | None] = mapped_column(Timestamp())
    result_location: Mapped[str | None] = mapped_column(sa.Text())
    version: Mapped[int] = mapped_column(nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(nullable=False, default=dict)
    created: Mapped[datetime] = mapped_column(Timestamp(), nullable=False, default=utcnow)


class TaskRun(IdMixin, TenantColumnMixin, TimestampsMixin, StateColumnsMixin, Base):
    """One run of a task node in a flow run; mapped children have `map_index` >= 0."""

    __tablename__ = "task_run"
    __table_args__ = (
        # Also the index for "task runs of a flow run" (its leading column).
        sa.UniqueConstraint("flow_run_id", "task_slug", "map_index"),
        sa.Index(None, "tenant_id", "state_timestamp"),
    )

    flow_run_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("flow_run.id", ondelete="CASCADE"), nullable=False
    )
    task_slug: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    map_index: Mapped[int] = mapped_column(nullable=False, default=-1)
    result_location: Mapped[str | None] = mapped_column(sa.Text())


class TaskRunState(IdMixin, TenantColumnMixin, Base):
    __tablename__ = "task_run_state"
    __table_args__ = (sa.Index(None, "task_run_id", "timestamp"),)

    task_run_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("task_run.id", ondelete="CASCADE"), nullable=False
    )
    # Denormalised (no foreign key, no index: the task run's cascade covers deletion).
    flow_run_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid(), nullable=False)
    state: Mapped[str] = mapped_column(sa.String(50), nullable=False)
    state_type: Mapped[str] = mapped_column(sa.String(50), nullable=False)
    message: Mapped[str | None] = mapped_column(sa.Text())
    timestamp: Mapped[datetime] = mapped_column(Timestamp(), nullable=False)
    start_time: Mapped[datetime | None] = mapped_column(Timestamp())
    result_location: Mapped[str | None] = mapped_column(sa.Text())
    version: Mapped[int] = mapped_column(nullable=False)
    run_count: Mapped[int] = mapped_column(nullable=False, default=0)
    data: Mapped[dict[str, Any]] = mapped_column(nullable=False, default=dict)
    created: Mapped[datetime] = mapped_column(Timestamp(), nullable=False, default=utcnow)


__all__ = ["FlowRun", "FlowRunState", "TaskRun", "TaskRunState"]
