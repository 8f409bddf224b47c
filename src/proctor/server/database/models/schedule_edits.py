"""Schedules edited through the API: a flow's schedule override, and backfills.

- `schedule_override`: one row per flow group whose schedule was edited in the UI, API or
  CLI. The schedule given in code (the newest version's FlowSpec) stays the default; the
  row replaces it until it is reset. `flow_group.schedule` always holds the *effective*
  schedule (what the scheduler reads): the override's when a row exists, else the code's.
  A NULL `schedule` means "overridden to no schedule" (every clock removed).
- `backfill`: runs for the scheduled times of a past range, created a few at a time
  (at most `max_concurrent` unfinished at once); its runs carry `flow_run.backfill_id`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from proctor.server.database.models.base import Base, IdMixin, TenantMixin, TimestampsMixin
from proctor.server.database.types import Timestamp


class ScheduleOverride(TenantMixin, Base):
    """The schedule a person set for a flow, in place of the one in code."""

    __tablename__ = "schedule_override"

    flow_group_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("flow_group.id", ondelete="CASCADE"), primary_key=True
    )
    schedule: Mapped[dict[str, Any] | None] = mapped_column()
    updated: Mapped[datetime] = mapped_column(Timestamp(), nullable=False)


class Backfill(IdMixin, TenantMixin, TimestampsMixin, Base):
    """One backfill: the times of `schedule` in [range_start, range_end), run by
    `flow_id` with at most `max_concurrent` of its runs unfinished at once."""

    __tablename__ = "backfill"
    __table_args__ = (
        sa.Index(None, "flow_group_id", "created"),
        sa.Index(None, "state"),
        sa.CheckConstraint("max_concurrent >= 1", name="max_concurrent"),
    )

    flow_group_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("flow_group.id", ondelete="CASCADE"), nullable=False
    )
    flow_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("flow.id", ondelete="CASCADE"), nullable=False
    )
    # The effective schedule when the backfill was made: later edits do not change it.
    schedule: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    range_start: Mapped[datetime] = mapped_column(Timestamp(), nullable=False)
    range_end: Mapped[datetime] = mapped_column(Timestamp(), nullable=False)
    max_concurrent: Mapped[int] = mapped_column(nullable=False)
    # Times it will make runs for (times that already had a run are counted in `skipped`).
    total: Mapped[int] = mapped_column(nullable=False)
    skipped: Mapped[int] = mapped_column(nullable=False, default=0)
    # Runs made so far, and the last scheduled time they reached (the next pass goes on
    # strictly after it).
    created_runs: Mapped[int] = mapped_column(nullable=False, default=0)
    cursor: Mapped[datetime | None] = mapped_column(Timestamp())
    # Running (making or waiting for runs), Completed, Cancelled.
    state: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    ended: Mapped[datetime | None] = mapped_column(Timestamp())


__all__ = ["Backfill", "ScheduleOverride"]
