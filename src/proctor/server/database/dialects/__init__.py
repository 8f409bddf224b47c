"""Per-dialect configuration classes, and `configuration_for(url)` to pick one."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url

from proctor.server.database.dialects.base import WRITE_OPTION, DialectConfiguration, EngineOptions
from proctor.server.database.dialects.postgresql import PostgresConfiguration
from proctor.server.database.dialects.sqlite import SqliteConfiguration

_BY_NAME: dict[str, type[DialectConfiguration]] = {
    "sqlite": SqliteConfiguration,
    "postgresql": PostgresConfiguration,
    "postgres": PostgresConfiguration,
}


def normalize_url(url: str | URL) -> URL:
    """Accept `sqlite:///x.db` and `postgresql://...` and add the async driver."""
    parsed = make_url(url) if isinstance(url, str) else url
    backend = parsed.get_backend_name()
    try:
        configuration = _BY_NAME[backend]
    except KeyError:
        raise ValueError(
            f"Unsupported database {backend!r}: use sqlite+aiosqlite or postgresql+asyncpg"
        ) from None
    driver = parsed.get_driver_name()
    if parsed.drivername != f"{configuration.name}+{configuration.driver}":
        if driver not in (configuration.driver, "pysqlite", "psycopg2", "psycopg", "asyncpg"):
            raise ValueError(f"Unsupported driver {driver!r} for {backend}")
        parsed = parsed.set(drivername=f"{configuration.name}+{configuration.driver}")
    return parsed


def configuration_for(url: str | URL, options: EngineOptions) -> DialectConfiguration:
    parsed = normalize_url(url)
    return _BY_NAME[parsed.get_backend_name()](parsed, options)


__all__ = [
    "WRITE_OPTION",
    "DialectConfiguration",
    "EngineOptions",
    "PostgresConfiguration",
    "SqliteConfiguration",
    "configuration_for",
    "normalize_url",
]
