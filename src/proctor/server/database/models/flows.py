"""Projects, flows (their identity across versions, and each registered version) and the
task nodes of a version."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from proctor.server.database.models.base import Base, IdMixin, TenantMixin, TimestampsMixin


class Project(IdMixin, TenantMixin, TimestampsMixin, Base):
    __tablename__ = "project"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(sa.Text())


class FlowGroup(IdMixin, TenantMixin, TimestampsMixin, Base):
    """A flow's identity across versions (project + name); owns the schedule."""

    __tablename__ = "flow_group"
    __table_args__ = (sa.UniqueConstraint("project_id", "name"),)

    project_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("project.id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    schedule: Mapped[dict[str, Any] | None] = mapped_column()
    schedule_active: Mapped[bool] = mapped_column(nullable=False, default=False)
    labels: Mapped[list[str]] = mapped_column(nullable=False, default=list)
    settings: Mapped[dict[str, Any]] = mapped_column(nullable=False, default=dict)


class Flow(IdMixin, TenantMixin, TimestampsMixin, Base):
    """One registered version of a flow: its FlowSpec and what the server reads from it."""

    __tablename__ = "flow"
    __table_args__ = (
        sa.UniqueConstraint("flow_group_id", "version"),
        sa.Index(None, "tenant_id", "name"),
        sa.Index(None, "flow_group_id", "fingerprint"),
    )

    flow_group_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("flow_group.id", ondelete="CASCADE"), nullable=False
    )
    project_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("project.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    version: Mapped[int] = mapped_column(nullable=False)
    description: Mapped[str | None] = mapped_column(sa.Text())
    spec: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    fingerprint: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    parameter_schema: Mapped[dict[str, Any]] = mapped_column(nullable=False, default=dict)
    storage: Mapped[dict[str, Any] | None] = mapped_column()
    labels: Mapped[list[str]] = mapped_column(nullable=False, default=list)
    run_config: Mapped[dict[str, Any]] = mapped_column(nullable=False, default=dict)
    archived: Mapped[bool] = mapped_column(nullable=False, default=False)


class Task(IdMixin, TenantMixin, Base):
    """A node of a flow version (written once at registration, never updated)."""

    __tablename__ = "task"
    __table_args__ = (sa.UniqueConstraint("flow_id", "slug"),)

    flow_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("flow.id", ondelete="CASCADE"), nullable=False
    )
    slug: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    type: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    mapped: Mapped[bool] = mapped_column(nullable=False, default=False)
    tags: Mapped[list[str]] = mapped_column(nullable=False, default=list)
    retries: Mapped[int] = mapped_column(nullable=False, default=0)
    retry_delay: Mapped[float | None] = mapped_column(sa.Float())
    timeout: Mapped[float | None] = mapped_column(sa.Float())
    trigger: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    is_parameter: Mapped[bool] = mapped_column(nullable=False, default=False)
    is_reference: Mapped[bool] = mapped_column(nullable=False, default=False)
    description: Mapped[str | None] = mapped_column(sa.Text())
    spec: Mapped[dict[str, Any]] = mapped_column(nullable=False, default=dict)


__all__ = ["Flow", "FlowGroup", "Project", "Task"]
