"""The Runs page across every flow: indexes for its sort orders.

- `ix_flow_run__tenant_id_end_time`: runs by end time (newest or oldest first);
- `ix_flow_run__tenant_id_name`: runs by name.

Scheduled and started times, and state, already have theirs (0001). Duration is
`end_time - start_time`, a computed order with no index (see docs/ui.md).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 15:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("flow_run", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_flow_run__tenant_id_end_time"), ["tenant_id", "end_time"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_flow_run__tenant_id_name"), ["tenant_id", "name"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("flow_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flow_run__tenant_id_name"))
        batch_op.drop_index(batch_op.f("ix_flow_run__tenant_id_end_time"))
