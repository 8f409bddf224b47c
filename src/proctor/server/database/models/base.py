"""The declarative base, naming convention and the columns every table shares."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from proctor.server.database.ids import new_id
from proctor.server.database.types import JSONType, Timestamp, utcnow

# Named constraints: Alembic's SQLite batch mode can only alter what it can name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s__%(column_0_N_name)s",
    "uq": "uq_%(table_name)s__%(column_0_N_name)s",
    "ck": "ck_%(table_name)s__%(constraint_name)s",
    "fk": "fk_%(table_name)s__%(column_0_name)s__%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The single tenant every row belongs to until team features land; created by the
# initial migration, so a fresh database is usable at once.
DEFAULT_TENANT_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: Timestamp(),
        dict: JSONType,
        dict[str, Any]: JSONType,
        list[str]: JSONType,
    }


class IdMixin:
    """A UUID primary key made in Python (so batches are inserted without RETURNING),
    time-ordered (`new_id`) so new rows land at the end of the primary-key index."""

    id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), primary_key=True, default=new_id, sort_order=-10
    )


class TimestampsMixin:
    created: Mapped[datetime] = mapped_column(
        Timestamp(), default=utcnow, nullable=False, sort_order=100
    )
    updated: Mapped[datetime] = mapped_column(
        Timestamp(), default=utcnow, onupdate=utcnow, nullable=False, sort_order=101
    )


class TenantMixin:
    """Every team-owned row says whose it is; deleting a tenant deletes its rows."""

    @declared_attr
    def tenant_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(
            sa.Uuid(),
            sa.ForeignKey("tenant.id", ondelete="CASCADE"),
            nullable=False,
            sort_order=-9,
        )


class TenantColumnMixin:
    """`tenant_id` without a foreign key, for the high-volume children of a flow run
    (task runs, state history, logs): their flow run carries the foreign key and
    cascades, and a per-row foreign-key check costs a third of a batched insert on
    PostgreSQL. Services always write the parent's tenant."""

    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid(), nullable=False, sort_order=-9)


__all__ = [
    "DEFAULT_TENANT_ID",
    "NAMING_CONVENTION",
    "Base",
    "IdMixin",
    "TenantColumnMixin",
    "TenantMixin",
    "TimestampsMixin",
]
