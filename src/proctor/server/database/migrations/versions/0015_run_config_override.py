"""Run configs and the Docker agent: what a run overrides of its flow's run config, and
what keeps an agent from starting runs.

- `flow_run.run_config_override`: the settings given when the run was created (today
  `{"env": {...}}`), laid over the flow version's run config when an agent starts the
  run; NULL for a run that overrides nothing (every run created before this revision).
- `agent.problem`: what keeps an agent from starting runs, as it last reported with its
  heartbeat (a Docker agent whose daemon is down); NULL: nothing.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 15:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# Plain types (never application types): a migration must not change when the app does.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("flow_run", sa.Column("run_config_override", JSON, nullable=True))
    op.add_column("agent", sa.Column("problem", sa.String(500), nullable=True))


def downgrade() -> None:
    # SQLite drops a column by copying the table: batch mode does that on both.
    with op.batch_alter_table("agent") as batch:
        batch.drop_column("problem")
    with op.batch_alter_table("flow_run") as batch:
        batch.drop_column("run_config_override")
