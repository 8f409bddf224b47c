"""Schedules edited through the API, and backfills.

- `schedule_override`: a flow group's schedule as a person set it (UI, API, CLI), in
  place of the one given in code until reset; `flow_group.schedule` keeps holding the
  effective schedule the scheduler reads.
- `backfill`: runs for every scheduled time of a past range, made a few at a time.
- `flow_run.backfill_id` (+ index): the backfill that made the run. A nullable column
  without a foreign key: SQLite adds it without rebuilding the table.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 15:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# Plain types (never application types): a migration must not change when the app does.
TIMESTAMP = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "schedule_override",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("flow_group_id", sa.Uuid(), nullable=False),
        sa.Column("schedule", JSON, nullable=True),
        sa.Column("updated", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["flow_group_id"],
            ["flow_group.id"],
            name=op.f("fk_schedule_override__flow_group_id__flow_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_schedule_override__tenant_id__tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("flow_group_id", name=op.f("pk_schedule_override")),
    )
    op.create_table(
        "backfill",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("flow_group_id", sa.Uuid(), nullable=False),
        sa.Column("flow_id", sa.Uuid(), nullable=False),
        sa.Column("schedule", JSON, nullable=False),
        sa.Column("range_start", TIMESTAMP, nullable=False),
        sa.Column("range_end", TIMESTAMP, nullable=False),
        sa.Column("max_concurrent", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("created_runs", sa.Integer(), nullable=False),
        sa.Column("cursor", TIMESTAMP, nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("ended", TIMESTAMP, nullable=True),
        sa.Column("created", TIMESTAMP, nullable=False),
        sa.Column("updated", TIMESTAMP, nullable=False),
        sa.CheckConstraint("max_concurrent >= 1", name=op.f("ck_backfill__max_concurrent")),
        sa.ForeignKeyConstraint(
            ["flow_group_id"],
            ["flow_group.id"],
            name=op.f("fk_backfill__flow_group_id__flow_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["flow_id"], ["flow.id"], name=op.f("fk_backfill__flow_id__flow"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_backfill__tenant_id__tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backfill")),
    )
    op.create_index(
        op.f("ix_backfill__flow_group_id_created"), "backfill", ["flow_group_id", "created"]
    )
    op.create_index(op.f("ix_backfill__state"), "backfill", ["state"])
    with op.batch_alter_table("flow_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("backfill_id", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_flow_run__backfill_id"), ["backfill_id"])


def downgrade() -> None:
    with op.batch_alter_table("flow_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flow_run__backfill_id"))
        batch_op.drop_column("backfill_id")
    op.drop_index(op.f("ix_backfill__state"), table_name="backfill")
    op.drop_index(op.f("ix_backfill__flow_group_id_created"), table_name="backfill")
    op.drop_table("backfill")
    op.drop_table("schedule_override")
