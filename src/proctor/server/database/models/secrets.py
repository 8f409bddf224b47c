"""Team secrets, stored encrypted (the values never in clear)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from proctor.server.database.models.base import Base, IdMixin, TenantMixin, TimestampsMixin


class Secret(IdMixin, TenantMixin, TimestampsMixin, Base):
    """A team secret. `value_encrypted` holds AES-GCM ciphertext only (nonce + sealed
    value, bound to the tenant and name), `key_id` names the key that sealed it (key
    rotation re-seals rows one by one), `created_by`/`updated_by` the actor who set it."""

    __tablename__ = "secret"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    value_encrypted: Mapped[bytes] = mapped_column(sa.LargeBinary(), nullable=False)
    key_id: Mapped[str | None] = mapped_column(sa.String(100))
    created_by: Mapped[str | None] = mapped_column(sa.String(200))
    updated_by: Mapped[str | None] = mapped_column(sa.String(200))


__all__ = ["Secret"]
