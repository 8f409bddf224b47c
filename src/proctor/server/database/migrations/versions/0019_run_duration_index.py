"""An index for the Runs page sorted by duration.

- `ix_flow_run__tenant_id_duration`: `flow_run (tenant_id, <duration>, id)` where
  <duration> is `RunDuration(start_time, end_time)` (`database.durations`), the very
  expression the sort's query uses. Without it a duration sort computed and sorted every
  run of the team (0014 left it unindexed).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 19:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from proctor.server.database.durations import RunDuration

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_flow_run__tenant_id_duration"


def upgrade() -> None:
    duration = RunDuration(sa.column("start_time"), sa.column("end_time"))
    op.create_index(INDEX, "flow_run", [sa.column("tenant_id"), duration, sa.column("id")])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="flow_run")
