"""API keys remember the key that created them.

- `api_key.parent_id`: the key whose request created this one (None when it was made in
  a browser session or on the database). A child expires no later than its parent and
  stops working when the parent is revoked, expires or is deleted (the foreign key
  cascades the delete).

Keys made before this revision have no parent recorded: they keep working as before.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_api_key__parent_id"), ["parent_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_api_key__parent_id__api_key"),
            "api_key",
            ["parent_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_api_key__parent_id__api_key"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_api_key__parent_id"))
        batch_op.drop_column("parent_id")
