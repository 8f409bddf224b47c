"""Agents: processes on the users' machines that claim and start flow runs."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from proctor.server.database.models.base import Base, IdMixin, TenantMixin, TimestampsMixin
from proctor.server.database.types import Timestamp


class Agent(IdMixin, TenantMixin, TimestampsMixin, Base):
    __tablename__ = "agent"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    labels: Mapped[list[str]] = mapped_column(nullable=False, default=list)
    version: Mapped[str | None] = mapped_column(sa.String(100))
    last_heartbeat: Mapped[datetime | None] = mapped_column(Timestamp())
    # The health the agent monitor last published (HEALTHY, LATE, UNHEALTHY; None: not
    # judged yet). Changed only by a conditional UPDATE, so replicas publish once.
    health: Mapped[str | None] = mapped_column(sa.String(20))
    health_changed: Mapped[datetime | None] = mapped_column(Timestamp())
    # The key that registered the agent last: an agent's key speaks only for its own
    # agents (`proctor.server.auth.agent_identity`). No foreign key, like
    # `flow_run.agent_key_id`: deleting a key must not rewrite agents.
    api_key_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid())
    # What keeps it from starting runs, as its last heartbeat said (its Docker daemon is
    # down); None: nothing (migration 0015).
    problem: Mapped[str | None] = mapped_column(sa.String(500))


__all__ = ["Agent"]
