"""Column types that behave the same on SQLite and PostgreSQL.

- `Timestamp`: always an aware UTC datetime in Python. SQLite has no time zones, so values
  are stored as naive UTC text in SQLAlchemy's DATETIME format
  ("YYYY-MM-DD HH:MM:SS.ffffff", which also sorts correctly); PostgreSQL gets timestamptz.
- `JSONType`: JSON on SQLite, JSONB on PostgreSQL (indexable, `<@` containment for labels).
- `Uuid` is SQLAlchemy's own (native uuid on PostgreSQL, 32-char hex on SQLite).
- `LogId`: a 64-bit identity on PostgreSQL, SQLite's INTEGER PRIMARY KEY (rowid) there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect


def utcnow() -> datetime:
    return datetime.now(UTC)


def _to_utc(value: Any) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"Timestamp columns take datetimes, got {type(value).__name__}")
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    if value.tzinfo is UTC:
        return value
    return value.astimezone(UTC)


def _sqlite_bind(value: Any) -> str | None:
    # Written directly (instead of SQLAlchemy's DATETIME processor after ours), and
    # without datetime.replace (slow): batches of tens of thousands of rows bind several
    # timestamps each. The text is exactly SQLAlchemy's SQLite DATETIME format.
    if value is None:
        return None
    if value.__class__ is datetime and value.tzinfo is None:
        return value.isoformat(" ", "microseconds")
    return _to_utc(value).isoformat(" ", "microseconds")[:26]


def _sqlite_result(value: Any) -> datetime | None:
    if value is None:
        return None
    return datetime.fromisoformat(value + "+00:00")


class Timestamp(sa.TypeDecorator[datetime]):
    """An aware UTC datetime on both databases."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else _to_utc(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        if dialect.name == "sqlite":
            return _sqlite_bind
        return super().bind_processor(dialect)

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        if dialect.name == "sqlite":
            return _sqlite_result
        return _aware_result  # asyncpg already returns aware UTC datetimes


def _aware_result(value: Any) -> datetime | None:
    if value is None or value.tzinfo is UTC:
        return value  # type: ignore[no-any-return]
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
    return value.astimezone(UTC)  # type: ignore[no-any-return]


def json_serializer(value: Any) -> str:
    """`json.dumps`, with a shortcut for the empty objects most rows carry."""
    if not value and isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"
    return json.dumps(value)


JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
LogId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

__all__ = ["JSONType", "LogId", "Timestamp", "json_serializer", "utcnow"]
