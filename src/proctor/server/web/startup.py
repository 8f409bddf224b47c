"""What the app does between "process started" and "ready": database, migrations, tenant.

Kept apart from `app.py` so the order is readable in one place and so services can be
added to it later (each registers its own shutdown on the same exit stack, so shutdown
is always the reverse of start-up, even when start-up fails half way).
"""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack
from typing import Any

from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.errors import StartupFailed, Unavailable
from proctor.settings import Settings

logger = logging.getLogger("proctor.server")


def database_from_settings(settings: Settings) -> Database:
    """A `Database` configured from `settings` (not from the process environment)."""
    configured = settings.server.database
    return Database(
        settings.database_url,
        echo=configured.echo,
        timeout=configured.timeout,
        connect_timeout=configured.connect_timeout,
        pool_size=configured.pool_size,
        max_overflow=configured.max_overflow,
    )


async def open_database(
    settings: Settings, database: Database | None, stack: AsyncExitStack
) -> Database:
    """Connect (and migrate, unless disabled); dispose at shutdown if we created it."""
    owned = database is None
    db = database if database is not None else database_from_settings(settings)
    if owned:
        settings.home.mkdir(parents=True, exist_ok=True, mode=0o700)  # owner only
        stack.push_async_callback(db.dispose)
    if owned and not settings.server.database.allow_shared_sqlite:
        db.lock_file()  # one server per SQLite file (nothing on PostgreSQL)
    try:
        await db.connect()
        if settings.server.database.migrate_on_start:
            await db.upgrade()
    except Exception as error:
        if not _is_database_problem(error):
            raise
        raise StartupFailed(_explain(error, settings.database_url)) from error
    return db


def _is_database_problem(error: Exception) -> bool:
    """Errors the operator fixes (wrong URL, server down, no such database, no access),
    as opposed to bugs, which keep their traceback."""
    from sqlalchemy import exc as sa_exc

    if isinstance(error, OSError | TimeoutError | sa_exc.DBAPIError | Unavailable):
        return True
    return type(error).__module__.split(".")[0] in {"asyncpg", "sqlite3", "aiosqlite"}


def _explain(error: Exception, url: str) -> str:
    from sqlalchemy.engine import make_url

    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    shown = safe_url(url)
    try:
        parsed = make_url(url)
    except Exception:
        parsed = None
    if parsed is not None and parsed.get_backend_name() == "postgresql":
        if reason.startswith("database ") and "does not exist" in reason:
            hint = (
                f"Create it (createdb {parsed.database}) or point --database-url / "
                "PROCTOR_DATABASE_URL at an existing database."
            )
        elif isinstance(error, OSError):
            where = f"{parsed.host}:{parsed.port or 5432}"
            hint = f"Check that PostgreSQL is running and listening at {where}."
        else:
            hint = "Check the user, password and database name in --database-url."
    else:
        hint = "Check that the database file's folder exists and is writable."
    return f"Cannot open the database {shown}: {reason}. {hint}"


async def start_background(settings: Settings, db: Database, stack: AsyncExitStack) -> None:
    """Start the enabled background services; they stop before the database closes."""
    from proctor.server.background import background_services

    await stack.enter_async_context(background_services(db, settings))


async def start_secrets_and_audit(settings: Settings, db: Database, stack: AsyncExitStack) -> None:
    """Create the secrets key file on first start (unless the key is a setting), and
    write the buffered audit events before the database closes."""
    from proctor.server.services.audit_writer import close_writer
    from proctor.server.services.keyring import load_keyring

    ring = load_keyring(settings)
    # Automation signing secrets written before migration 0007, and webhook URLs and
    # headers written before 0009, are still clear (a migration has no keyring): seal
    # them now.
    from proctor.server.services.alerting.action_secrets import seal_clear_actions
    from proctor.server.services.alerting.signing import seal_clear_secrets

    await seal_clear_secrets(db, ring)
    await seal_clear_actions(db, ring)
    stack.push_async_callback(close_writer, db)


def safe_url(url: str) -> str:
    """A database URL without its password, for logs and messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable database url>"


def default_tenant_id(_db: Database) -> Any:
    """The tenant requests act for until team features resolve it from the API key."""
    return DEFAULT_TENANT_ID


__all__ = [
    "database_from_settings",
    "default_tenant_id",
    "open_database",
    "safe_url",
    "start_background",
    "start_secrets_and_audit",
]
