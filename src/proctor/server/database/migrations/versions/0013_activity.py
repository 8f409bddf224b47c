"""The activity feed.

- `activity`: one row per event worth showing in a team's feed (run states,
  registrations, archive/delete, schedule switches, agent health, alerts), written in
  the transaction that made the change; pruned by age with the audit log.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 15:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# Plain types (never application types): a migration must not change when the app does.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activity",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("family", sa.String(50), nullable=False),
        sa.Column("occurred", TIMESTAMP, nullable=False),
        sa.Column("flow_run_id", sa.Uuid(), nullable=True),
        sa.Column("flow_name", sa.String(200), nullable=True),
        sa.Column("data", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
    )
    with op.batch_alter_table("activity") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity__tenant_id_occurred"), ["tenant_id", "occurred"]
        )
        batch_op.create_index(
            batch_op.f("ix_activity__tenant_id_kind_occurred"), ["tenant_id", "kind", "occurred"]
        )
        batch_op.create_index(
            batch_op.f("ix_activity__tenant_id_family_occurred"),
            ["tenant_id", "family", "occurred"],
        )
        batch_op.create_index(
            batch_op.f("ix_activity__tenant_id_flow_name_occurred"),
            ["tenant_id", "flow_name", "occurred"],
        )
        batch_op.create_index(batch_op.f("ix_activity__occurred"), ["occurred"])


def downgrade() -> None:
    op.drop_table("activity")
