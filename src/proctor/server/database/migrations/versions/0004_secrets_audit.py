"""Secrets (who set them), audit log (actor kind, success, filter indexes) and agent
monitoring (the health last published).

- `secret.created_by` / `updated_by`: the actor that set the secret ("local",
  "user:<id>", "api_key:<id>").
- `audit_event.actor_kind`, `audit_event.success`; indexes for the object filter and for
  retention (which prunes by time across teams).
- `agent.health` / `agent.health_changed`: the agent monitor changes `health` with a
  conditional UPDATE, so that of two server replicas only one publishes a change.

Adding nullable/defaulted columns and indexes needs no table rebuild on SQLite.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("secret", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("updated_by", sa.String(length=200), nullable=True))

    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor_kind", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column("success", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.create_index(
            batch_op.f("ix_audit_event__tenant_id_object_type_object_id"),
            ["tenant_id", "object_type", "object_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_audit_event__occurred"), ["occurred"], unique=False)

    with op.batch_alter_table("agent", schema=None) as batch_op:
        batch_op.add_column(sa.Column("health", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("health_changed", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agent", schema=None) as batch_op:
        batch_op.drop_column("health_changed")
        batch_op.drop_column("health")

    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event__occurred"))
        batch_op.drop_index(batch_op.f("ix_audit_event__tenant_id_object_type_object_id"))
        batch_op.drop_column("success")
        batch_op.drop_column("actor_kind")

    with op.batch_alter_table("secret", schema=None) as batch_op:
        batch_op.drop_column("updated_by")
        batch_op.drop_column("created_by")
