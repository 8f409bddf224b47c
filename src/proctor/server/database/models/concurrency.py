"""Concurrency limits: flow runs per label, task runs per tag."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from proctor.server.database.models.base import Base, IdMixin, TenantMixin, TimestampsMixin


class ConcurrencyLimit(IdMixin, TenantMixin, TimestampsMixin, Base):
    """At most `limit` flow runs per label (`kind="flow_label"`) or task runs per tag."""

    __tablename__ = "concurrency_limit"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "kind", "key"),)

    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    key: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    limit: Mapped[int] = mapped_column(nullable=False)


__all__ = ["ConcurrencyLimit"]
