"""An index for the dashboard's recent failures.

- `flow_run_state (tenant_id, state_type, timestamp)`: `recentFailures` reads a team's
  Failed states newest first; without it the query scans every state of every run (at
  100,000 runs the dashboard waited on it).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 15:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_flow_run_state__tenant_id_state_type_timestamp"


def upgrade() -> None:
    op.create_index(INDEX, "flow_run_state", ["tenant_id", "state_type", "timestamp"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="flow_run_state")
