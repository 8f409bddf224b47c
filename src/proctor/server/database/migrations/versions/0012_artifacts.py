"""Artifacts that task runs publish (markdown, links, tables).

- `artifact`: one row per artifact, a child of its flow run (cascading foreign key),
  with the task run it came from, its key (the Artifacts page groups by it), type,
  description and data (JSON).

Revision ID: 0012
Revises: 0011
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

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "artifact",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("flow_run_id", sa.Uuid(), nullable=False),
        sa.Column("task_run_id", sa.Uuid(), nullable=True),
        sa.Column("task_slug", sa.String(length=500), nullable=True),
        sa.Column("map_index", sa.Integer(), nullable=True),
        sa.Column("key", sa.String(length=200), nullable=True),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("data", JSON, nullable=False),
        sa.Column("created", TIMESTAMP, nullable=False),
        sa.Column("updated", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["flow_run_id"],
            ["flow_run.id"],
            name=op.f("fk_artifact__flow_run_id__flow_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_artifact")),
    )
    with op.batch_alter_table("artifact", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_artifact__flow_run_id_created"), ["flow_run_id", "created"]
        )
        batch_op.create_index(
            batch_op.f("ix_artifact__tenant_id_key_created"), ["tenant_id", "key", "created"]
        )
        batch_op.create_index(
            batch_op.f("ix_artifact__tenant_id_created"), ["tenant_id", "created"]
        )


def downgrade() -> None:
    with op.batch_alter_table("artifact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_artifact__tenant_id_created"))
        batch_op.drop_index(batch_op.f("ix_artifact__tenant_id_key_created"))
        batch_op.drop_index(batch_op.f("ix_artifact__flow_run_id_created"))
    op.drop_table("artifact")
