"""The activity feed: what happened in a team (run states, registrations, schedule
switches, agent health, alerts), one row per published event of a kind worth showing.

Rows are written in the transaction that made the change (so the feed never shows a
change that rolled back, nor misses one that committed) and pruned by age with the
audit log (`PROCTOR_SERVER_SERVICES_AUDIT_RETENTION_DAYS`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from proctor.server.database.models.base import Base, IdMixin, TenantColumnMixin
from proctor.server.database.types import Timestamp


class Activity(IdMixin, TenantColumnMixin, Base):
    """One event: `kind` (e.g. "flow_run.state"), when, the run and flow it concerns
    (the flow's name is copied so the row still reads after the flow is deleted), and
    the event's few ids and values in `data`.

    No foreign keys: the feed outlives what it mentions (a deleted run's "deleted" row),
    and a state batch should not pay for a check per row; deleting a team removes its
    rows through the retention pass."""

    __tablename__ = "activity"
    __table_args__ = (
        sa.Index(None, "tenant_id", "occurred"),
        sa.Index(None, "tenant_id", "kind", "occurred"),
        # A family ("agent") is read in time order through its own index: an IN over its
        # kinds would walk the whole team's feed to find a rare one.
        sa.Index(None, "tenant_id", "family", "occurred"),
        sa.Index(None, "tenant_id", "flow_name", "occurred"),
        # Retention prunes every team's old rows by time alone.
        sa.Index(None, "occurred"),
    )

    kind: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    family: Mapped[str] = mapped_column(sa.String(50), nullable=False)
    occurred: Mapped[datetime] = mapped_column(Timestamp(), nullable=False)
    flow_run_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid())
    flow_name: Mapped[str | None] = mapped_column(sa.String(200))
    data: Mapped[dict[str, Any]] = mapped_column(nullable=False, default=dict)


__all__ = ["Activity"]
