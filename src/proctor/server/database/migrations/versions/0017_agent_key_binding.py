"""An agent belongs to the key that registered it.

- `agent.api_key_id`: the API key whose request registered the agent last. A key with the
  `agent` role may heartbeat, stop and claim runs only for agents it registered, and may
  not take over a live agent registered by another live key (see
  `proctor.server.auth.agent_identity`). NULL for agents registered before this revision
  and for agents registered without a key (local mode): the next registration binds them.

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-07 15:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agent") as batch_op:
        batch_op.add_column(sa.Column("api_key_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agent") as batch_op:
        batch_op.drop_column("api_key_id")
