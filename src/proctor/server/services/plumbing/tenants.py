"""Tenant checks shared by the services that create rows."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database.models import Tenant
from proctor.server.errors import NotFound


async def require_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """`NotFound` unless the tenant exists (a clearer error than a foreign-key failure)."""
    found = await session.scalar(sa.select(Tenant.id).where(Tenant.id == tenant_id))
    if found is None:
        raise NotFound(f"No tenant {tenant_id}", details={"tenant_id": str(tenant_id)})


__all__ = ["require_tenant"]
