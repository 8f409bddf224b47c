"""Retention policies: the server's default (`PROCTOR_SERVER_RETENTION_*`), a team's own
figures (the `retention_policy` table) and the effective policy of every team, plus the
database's size for the settings page.

A team's row keeps only the figures the team set; a NULL figure is "the server's
default", read when the policy is used, so changing the default reaches every team that
did not choose otherwise.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.models import RetentionPolicy, Tenant
from proctor.server.errors import InvalidInput
from proctor.server.services.plumbing.validation import as_uuid
from proctor.settings import Settings

MAX_DAYS = 36500.0
MAX_KEEP_NEWEST = 100_000
MAX_LOG_BYTES = 1 << 50


@dataclass(frozen=True, slots=True)
class Policy:
    """What is kept: finished runs for `days` (each flow's `keep_newest_runs` newest
    whatever their age), and `log_max_bytes` of log messages per run (0: no limit)."""

    days: float
    log_max_bytes: int
    keep_newest_runs: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        """The server's default, from `settings.server.retention`."""
        retention = settings.server.retention
        return cls(
            days=float(retention.days),
            log_max_bytes=int(retention.log_max_bytes),
            keep_newest_runs=int(retention.keep_newest_runs),
        )


@dataclass(frozen=True, slots=True)
class PolicyOverride:
    """A team's own figures; None: the server's default applies."""

    days: float | None = None
    log_max_bytes: int | None = None
    keep_newest_runs: int | None = None

    def over(self, default: Policy) -> Policy:
        return Policy(
            days=default.days if self.days is None else self.days,
            log_max_bytes=default.log_max_bytes
            if self.log_max_bytes is None
            else self.log_max_bytes,
            keep_newest_runs=default.keep_newest_runs
            if self.keep_newest_runs is None
            else self.keep_newest_runs,
        )


@dataclass(frozen=True, slots=True)
class TeamPolicy:
    """A team's effective policy, what it set itself, and the server's default."""

    tenant_id: uuid.UUID
    effective: Policy
    team: PolicyOverride
    default: Policy
    updated: datetime | None


def _checked(override: PolicyOverride) -> PolicyOverride:
    days, log_bytes, keep = override.days, override.log_max_bytes, override.keep_newest_runs
    if days is not None and not (0 < days <= MAX_DAYS):
        raise InvalidInput(f"days must be more than 0 and at most {MAX_DAYS:g}; got {days:g}")
    if log_bytes is not None and not (0 <= log_bytes <= MAX_LOG_BYTES):
        raise InvalidInput(
            f"logMaxBytes must be 0 (no limit) or a positive number of bytes; got {log_bytes}"
        )
    if keep is not None and not (0 <= keep <= MAX_KEEP_NEWEST):
        raise InvalidInput(f"keepNewestRuns must be between 0 and {MAX_KEEP_NEWEST}; got {keep}")
    return override


def _override_of(row: RetentionPolicy | None) -> PolicyOverride:
    if row is None:
        return PolicyOverride()
    return PolicyOverride(
        days=row.days, log_max_bytes=row.log_max_bytes, keep_newest_runs=row.keep_newest_runs
    )


async def get_team_policy(db: Database, tenant_id: uuid.UUID | str, default: Policy) -> TeamPolicy:
    """The team's policy: its own figures over `default`."""
    tenant = as_uuid(tenant_id, "tenant_id")
    async with db.session() as session:
        row = await session.get(RetentionPolicy, tenant)
    team = _override_of(row)
    return TeamPolicy(
        tenant_id=tenant,
        effective=team.over(default),
        team=team,
        default=default,
        updated=None if row is None else row.updated,
    )


async def set_team_policy(
    db: Database, tenant_id: uuid.UUID | str, override: PolicyOverride, default: Policy
) -> TeamPolicy:
    """Replace the team's own figures (None: use the server's default for that one)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    _checked(override)
    values = {
        "days": override.days,
        "log_max_bytes": override.log_max_bytes,
        "keep_newest_runs": override.keep_newest_runs,
        "updated": datetime.now(UTC),
    }
    table = cast(sa.Table, RetentionPolicy.__table__)
    statement = db.config.insert(table).values(tenant_id=tenant, **values)
    statement = statement.on_conflict_do_update(index_elements=["tenant_id"], set_=values)
    async with db.transaction() as session:
        await session.execute(statement)
    return await get_team_policy(db, tenant, default)


async def policies_by_tenant(db: Database, default: Policy) -> dict[uuid.UUID, Policy]:
    """The effective policy of every team (one query; teams are few)."""
    async with db.session() as session:
        rows = await session.execute(
            sa.select(Tenant.id, RetentionPolicy).outerjoin(
                RetentionPolicy, RetentionPolicy.tenant_id == Tenant.id
            )
        )
        return {tenant: _override_of(row).over(default) for tenant, row in rows.all()}


def sqlite_files(db: Database) -> list[str]:
    """The SQLite database file and its WAL (empty on PostgreSQL)."""
    if db.dialect != "sqlite" or not db.url.database:
        return []
    path = os.path.expanduser(db.url.database)
    return [path, path + "-wal"]


async def database_size(db: Database) -> int:
    """Bytes the database takes: the SQLite file plus its WAL, or PostgreSQL's
    `pg_database_size` of the current database."""
    if db.dialect == "sqlite":
        return sum(os.path.getsize(path) for path in sqlite_files(db) if os.path.exists(path))
    async with db.session() as session:
        size = await session.scalar(sa.select(sa.func.pg_database_size(sa.func.current_database())))
    return int(size or 0)


__all__ = [
    "Policy",
    "PolicyOverride",
    "TeamPolicy",
    "database_size",
    "get_team_policy",
    "policies_by_tenant",
    "set_team_policy",
    "sqlite_files",
]
