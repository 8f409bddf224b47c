"""Automation signing secrets sealed at rest.

- `automation.secret_sealed` / `secret_key_id`: the signing secret sealed with the
  secrets keyring (AES-GCM, like team secrets) and the id of the key that sealed it;
- `automation.secret` becomes nullable: it only keeps a clear secret written before
  this revision.

A new revision rather than an edit of 0005, because 0005 may already be applied. The
keyring is not available inside a migration (it lives in settings or the key file, not
in the database), so this revision cannot seal: the server seals every remaining clear
secret when it starts (`services.alerting.signing.seal_clear_secrets`), and the notifier
and `proctor server secrets rotate-key` handle one left clear meanwhile.

Downgrading cannot open sealed secrets either: an automation whose secret is sealed gets
a placeholder that signs nothing anyone knows; rotate its secret after downgrading.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("automation") as batch:
        batch.add_column(sa.Column("secret_sealed", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("secret_key_id", sa.String(length=100), nullable=True))
        batch.alter_column("secret", existing_type=sa.String(length=100), nullable=True)


def downgrade() -> None:
    automation = sa.table("automation", sa.column("secret", sa.String(100)))
    op.execute(
        automation.update()
        .where(automation.c.secret.is_(None))
        .values(secret="sealed-before-downgrade-rotate-me")
    )
    with op.batch_alter_table("automation") as batch:
        batch.alter_column("secret", existing_type=sa.String(length=100), nullable=False)
        batch.drop_column("secret_key_id")
        batch.drop_column("secret_sealed")
