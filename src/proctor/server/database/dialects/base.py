"""What differs between the databases the server supports, behind one small interface.

Models and services are written once; anything dialect-specific (connection set-up,
transaction start, SQL functions, locking, notifications) lives in one class per dialect
(`sqlite.py`, `postgresql.py`), chosen from the URL by `configuration_for`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from proctor.server.database.bulk import BulkSQL, BulkWrite, Mode
from proctor.server.events import Event

# Execution option set on the engine used by `Database.transaction()`: the dialect's
# `begin` hook reads it to start a write transaction (BEGIN IMMEDIATE on SQLite).
WRITE_OPTION = "proctor_write"


@dataclass(frozen=True, slots=True)
class EngineOptions:
    """Connection knobs shared by the dialects (from `DatabaseSettings`)."""

    echo: bool = False
    timeout: float = 30.0
    connect_timeout: float = 10.0
    pool_size: int = 10
    max_overflow: int = 10


class DialectConfiguration(ABC):
    """Base of the per-dialect classes: engine set-up plus the SQL that differs."""

    name: ClassVar[str]
    driver: ClassVar[str]

    def __init__(self, url: URL, options: EngineOptions) -> None:
        self.url = url
        self.options = options

    # -- engine ---------------------------------------------------------------------

    @abstractmethod
    def engine_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `create_async_engine`."""

    def prepare(self) -> None:  # noqa: B027
        """Anything to do before the first connection (e.g. create the directory)."""

    def file_path(self) -> Path | None:
        """The database's file, for a dialect that keeps one (SQLite), else None."""
        return None

    def install_listeners(self, engine: AsyncEngine) -> None:  # noqa: B027
        """Register connect/begin event listeners on a new engine."""

    @abstractmethod
    def is_transient_error(self, exc: BaseException) -> bool:
        """True for errors that retrying the whole transaction may fix (busy, deadlock)."""

    # -- SQL that differs -------------------------------------------------------------

    @abstractmethod
    def insert(self, table: sa.Table) -> Any:
        """An INSERT supporting `.on_conflict_do_nothing(...)`."""

    # How `BulkWrite` passes values: "rows" (a parameter tuple per row, for the
    # driver's executemany) or "arrays" (one parameter per column).
    bulk_mode: ClassVar[Mode] = "rows"

    # Changes a batch evaluates between two chunks of writes, which then run while the
    # next chunk is evaluated (services.plumbing.write_pipeline); None: evaluate it all, then
    # write. Worth it only where the database works in another process.
    pipeline_chunk: ClassVar[int | None] = None

    def bulk_sql(
        self, write: BulkWrite, dialect: Dialect, scalars: frozenset[int] = frozenset()
    ) -> BulkSQL:
        """SQL for a `BulkWrite`: by default the single-row statement, run with the
        driver's executemany (`scalars` only concerns "arrays" mode)."""
        return write.compile_rows(write.statement(self.insert), dialect)

    def in_values(self, column: Any, values: Sequence[Any]) -> sa.ColumnElement[bool]:
        """`column IN (values)`; PostgreSQL overrides it with `= ANY(array)`."""
        return column.in_(list(values))  # type: ignore[no-any-return]

    @abstractmethod
    def epoch_bucket(self, column: Any, seconds: int) -> sa.ColumnElement[Any]:
        """The start of the `seconds`-wide bucket a timestamp falls in, as integer epoch
        seconds (buckets aligned on multiples of `seconds` since 1970, UTC)."""

    @abstractmethod
    def contains_ci(self, column: Any, text: str) -> sa.ColumnElement[bool]:
        """Case-insensitive substring match (the text is escaped, never a pattern)."""

    @abstractmethod
    def labels_subset_of(self, column: Any, labels: Iterable[str]) -> sa.ColumnElement[bool]:
        """The JSON array in `column` contains only values from `labels`."""

    @abstractmethod
    def labels_include(self, column: Any, labels: Iterable[str]) -> sa.ColumnElement[bool]:
        """The JSON array in `column` holds every value of `labels` (and maybe others)."""

    @abstractmethod
    def milliseconds_between(self, start: Any, end: Any) -> sa.ColumnElement[Any]:
        """`end - start` of two timestamp columns in whole milliseconds (NULL if either
        is): an integer, so equal durations compare equal whatever their start."""

    # -- transactions, notifications, migrations ------------------------------------

    async def before_commit(self, session: AsyncSession, events: Sequence[Event]) -> None:  # noqa: B027
        """Inside the transaction, just before COMMIT (PostgreSQL sends NOTIFY here)."""

    async def before_migrations(self, connection: AsyncConnection) -> None:  # noqa: B027
        """On the migration connection, before its transaction begins."""

    async def after_migrations(self, connection: AsyncConnection) -> None:  # noqa: B027
        """On the migration connection, after its transaction ended."""

    def lock_for_migrations(self, connection: Connection) -> None:  # noqa: B027
        """Inside the migration transaction: keep other replicas out while we migrate."""

    @staticmethod
    def escape_like(text: str) -> str:
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


__all__ = ["WRITE_OPTION", "DialectConfiguration", "EngineOptions"]
