"""Concurrency limits: flow-run slots per label, task-run slots per tag.

- `concurrency_slot`: who holds a slot of which limit: a flow run (`task_run_id` NULL,
  a `flow_label` limit) or one of its task runs (a `task_tag` limit). Deleting the
  limit, the flow run or the task run deletes its slots.

`concurrency_limit` itself exists since 0001.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "concurrency_slot",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("limit_id", sa.Uuid(), nullable=False),
        sa.Column("flow_run_id", sa.Uuid(), nullable=False),
        sa.Column("task_run_id", sa.Uuid(), nullable=True),
        sa.Column("acquired", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_concurrency_slot__tenant_id__tenant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["limit_id"],
            ["concurrency_limit.id"],
            name=op.f("fk_concurrency_slot__limit_id__concurrency_limit"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["flow_run_id"],
            ["flow_run.id"],
            name=op.f("fk_concurrency_slot__flow_run_id__flow_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_run_id"],
            ["task_run.id"],
            name=op.f("fk_concurrency_slot__task_run_id__task_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concurrency_slot")),
        sa.UniqueConstraint(
            "task_run_id", "limit_id", name=op.f("uq_concurrency_slot__task_run_id_limit_id")
        ),
    )
    with op.batch_alter_table("concurrency_slot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_concurrency_slot__flow_run_id"), ["flow_run_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_concurrency_slot__limit_id"), ["limit_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("concurrency_slot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_concurrency_slot__limit_id"))
        batch_op.drop_index(batch_op.f("ix_concurrency_slot__flow_run_id"))
    op.drop_table("concurrency_slot")
