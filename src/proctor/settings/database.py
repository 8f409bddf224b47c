"""Database settings (`PROCTOR_SERVER_DATABASE_*`)."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from proctor.settings.base import SettingsGroup, group_config


class DatabaseSettings(SettingsGroup):
    """Where the server keeps its state, and how it talks to that database.

    `url` defaults to a SQLite file in `PROCTOR_HOME` (filled in by the root settings,
    which know the home directory). `PROCTOR_DATABASE_URL` is accepted as a shorter alias
    because that is the name the design document and most people use.
    """

    model_config = group_config("server", "database")

    url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("PROCTOR_SERVER_DATABASE_URL", "PROCTOR_DATABASE_URL", "url"),
        description="SQLAlchemy URL: sqlite+aiosqlite:///path or postgresql+asyncpg://...",
    )
    echo: bool = Field(default=False, description="Log every SQL statement.")
    timeout: float = Field(
        default=30.0,
        gt=0,
        description=(
            "Seconds a statement waits for a lock (SQLite busy timeout) or a connection "
            "(pool timeout) before the request fails."
        ),
    )
    connect_timeout: float = Field(default=10.0, gt=0, description="Seconds to connect.")
    pool_size: int = Field(default=10, ge=1, description="PostgreSQL connection pool size.")
    max_overflow: int = Field(default=10, ge=0, description="Extra connections under load.")
    migrate_on_start: bool = Field(
        default=True, description="Run Alembic migrations when the server starts."
    )
    allow_shared_sqlite: bool = Field(
        default=False,
        description=(
            "Let this server start on a SQLite file another server is using (replicas "
            "sharing one file on purpose). Off: a second server on the same file refuses "
            "to start (an exclusive lock on <database>.lock)."
        ),
    )


__all__ = ["DatabaseSettings"]
