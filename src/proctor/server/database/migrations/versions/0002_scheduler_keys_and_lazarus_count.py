"""Scheduler keys and the Lazarus count on flow runs; an index for the in-flight scan.

- `flow_run.schedule_key` + unique index (flow_group_id, schedule_key): the scheduler
  inserts a run per scheduled time with ON CONFLICT DO NOTHING, so two passes (or two
  server replicas) can never create two runs for the same time of the same flow.
- `flow_run.lazarus_count`: how often Lazarus re-queued the run (it gives up at a limit).
- index (state_type): Lazarus and the zombie killer scan in-flight runs of every tenant.

Adding nullable/defaulted columns and indexes needs no table rebuild on SQLite.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 04:30:51.588070
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("flow_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("schedule_key", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column("lazarus_count", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_index(
            batch_op.f("ix_flow_run__flow_group_id_schedule_key"),
            ["flow_group_id", "schedule_key"],
            unique=True,
        )
        batch_op.create_index(batch_op.f("ix_flow_run__state_type"), ["state_type"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("flow_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flow_run__state_type"))
        batch_op.drop_index(batch_op.f("ix_flow_run__flow_group_id_schedule_key"))
        batch_op.drop_column("lazarus_count")
        batch_op.drop_column("schedule_key")
