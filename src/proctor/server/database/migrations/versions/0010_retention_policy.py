"""Run-history retention: a team's own policy.

- `retention_policy`: one row per team that overrides the server's default retention
  (`PROCTOR_SERVER_RETENTION_*`; a NULL figure falls back to the default), and where
  log trimming got to (so each finished run's logs are checked once, across restarts
  and replicas).

Nothing else changes: the retention service deletes rows of the existing tables.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Plain types (never application types): a migration must not change when the app does.
TIMESTAMP = sa.DateTime(timezone=True)

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "retention_policy",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("days", sa.Float(), nullable=True),
        sa.Column("log_max_bytes", sa.BigInteger(), nullable=True),
        sa.Column("keep_newest_runs", sa.Integer(), nullable=True),
        sa.Column("updated", TIMESTAMP, nullable=True),
        sa.Column("logs_checked_until", TIMESTAMP, nullable=True),
        sa.Column("logs_checked_until_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint("days IS NULL OR days > 0", name=op.f("ck_retention_policy__days")),
        sa.CheckConstraint(
            "log_max_bytes IS NULL OR log_max_bytes >= 0",
            name=op.f("ck_retention_policy__log_max_bytes"),
        ),
        sa.CheckConstraint(
            "keep_newest_runs IS NULL OR keep_newest_runs >= 0",
            name=op.f("ck_retention_policy__keep_newest_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_retention_policy__tenant_id__tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_retention_policy")),
    )


def downgrade() -> None:
    op.drop_table("retention_policy")
