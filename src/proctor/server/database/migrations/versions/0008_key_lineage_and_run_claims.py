"""API keys remember the key that created them; runs remember the key that claimed them.

- `api_key.parent_id`: the key whose request created this one (None when it was made in
  a browser session or on the database). A child expires no later than its parent and
  stops working when the parent is revoked, expires or is deleted (the foreign key
  cascades the delete).

Keys made before this revision have no parent recorded: they keep working as before.

- `flow_run.agent_key_id`: the API key whose request claimed the run last; the `agent`
  role may use only the runs its key claimed. Runs claimed before this revision have
  none: an agent's key cannot report into them (re-queue them to have them claimed again).

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
    with op.batch_alter_table("flow_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agent_key_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("flow_run", schema=None) as batch_op:
        batch_op.drop_column("agent_key_id")
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_api_key__parent_id__api_key"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_api_key__parent_id"))
        batch_op.drop_column("parent_id")
