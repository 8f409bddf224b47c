"""Automation actions' credentials sealed at rest.

- `automation.action_secrets_sealed` / `action_secrets_key_id`: the clear URLs of webhook
  and Slack actions and the header values of webhook actions, sealed as one document with
  the secrets keyring (AES-GCM, like team secrets), and the id of the key that sealed it.
  `automation.actions` then keeps those values masked.

The keyring is not available inside a migration (it lives in settings or the key file,
not in the database), so this revision only adds the columns: the server seals every
row still clear when it starts (`services.alerting.action_secrets.seal_clear_actions`),
and the notifier reads a row left clear meanwhile as it is.

Downgrading cannot open sealed values either: the masked actions stay, so webhook and
Slack actions of sealed rows must be given their URLs and headers again after a
downgrade.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("automation") as batch:
        batch.add_column(sa.Column("action_secrets_sealed", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("action_secrets_key_id", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("automation") as batch:
        batch.drop_column("action_secrets_key_id")
        batch.drop_column("action_secrets_sealed")
