"""`BulkWrite`: one INSERT or UPDATE of thousands of rows, in one round trip per batch.

SQLAlchemy's executemany path builds a parameter dict per row and runs every value
through generic machinery; for the batches a flow run sends (10,000 task-run states is
normal) that overhead was larger than the database's own work. A `BulkWrite` instead:

- converts values column by column with the column types' own bind processors (the same
  functions SQLAlchemy would apply: UUIDs to hex on SQLite, UTC timestamps, JSON text),
  in C-level `map`/`zip` loops;
- lets the dialect configuration render the SQL: on SQLite one prepared statement run
  by the driver's `executemany`; on PostgreSQL a single statement over `unnest()`ed
  arrays (one parameter per column), which is several times faster than asyncpg's
  executemany.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from proctor.server.database.dialects.base import DialectConfiguration

Processor = Callable[[Any], Any] | None
Mode = Literal["rows", "arrays"]


def _convert(column: tuple[Any, ...], processor: Processor) -> list[Any]:
    if processor is None:
        return list(column)
    first = column[0]
    if column.count(first) == len(column):  # e.g. the tenant, the run, "now": once
        return [processor(first)] * len(column)
    return list(map(processor, column))


@dataclass(frozen=True, slots=True)
class BulkSQL:
    """How a dialect runs a `BulkWrite`: `sql` with either one parameter tuple per row
    ("rows", `order` maps placeholders to layout positions) or one array per column
    ("arrays", placeholders in layout order)."""

    sql: str
    mode: Mode
    order: tuple[int, ...]


@dataclass(eq=False)
class BulkWrite:
    """INSERT rows laid out as `columns` (optionally ON CONFLICT (...) DO NOTHING), or,
    with `key`, UPDATE the rows whose `key` equals each row's first value, setting
    `columns` from the rest of it."""

    table: sa.Table
    columns: tuple[str, ...]
    key: str | None = None
    conflict: tuple[str, ...] | None = None
    _plans: dict[str, tuple[BulkSQL, list[Processor]]] = field(default_factory=dict, repr=False)

    @property
    def layout(self) -> tuple[str, ...]:
        """Column of each position in a row."""
        return self.columns if self.key is None else (self.key, *self.columns)

    def processors(self, dialect: Dialect) -> list[Processor]:
        return [
            self.table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in self.layout
        ]

    def statement(self) -> Any:
        """The single-row SQLAlchemy statement ("rows" mode), bind params named after
        the layout's columns (prefixed `b_` for an UPDATE)."""
        if self.key is None:
            return sa.insert(self.table)
        return (
            sa.update(self.table)
            .where(self.table.c[self.key] == sa.bindparam(f"b_{self.key}"))
            .values({name: sa.bindparam(f"b_{name}") for name in self.columns})
        )

    def compile_rows(self, statement: Any, dialect: Dialect) -> BulkSQL:
        """`statement` (single-row) compiled, with its placeholders mapped to the layout."""
        if self.key is None:
            compiled = statement.compile(dialect=dialect, column_keys=list(self.columns))
            names = {name: i for i, name in enumerate(self.columns)}
        else:
            compiled = statement.compile(dialect=dialect)
            names = {f"b_{name}": i for i, name in enumerate(self.layout)}
        if compiled.positiontup is None:
            raise ValueError(f"{dialect.name} does not use positional parameters")
        return BulkSQL(str(compiled), "rows", tuple(names[p] for p in compiled.positiontup))

    async def __call__(
        self, session: AsyncSession, config: DialectConfiguration, rows: Sequence[Sequence[Any]]
    ) -> None:
        if not rows:
            return
        connection = await session.connection()
        dialect = connection.dialect
        plan = self._plans.get(dialect.name)
        if plan is None:
            plan = self._plans[dialect.name] = (
                config.bulk_sql(self, dialect),
                self.processors(dialect),
            )
        bulk, processors = plan
        columns = list(zip(*rows, strict=True))
        converted = [
            _convert(column, processor)
            for column, processor in zip(columns, processors, strict=True)
        ]
        if bulk.mode == "arrays":
            await connection.exec_driver_sql(bulk.sql, tuple(converted))
        else:
            params = list(zip(*(converted[i] for i in bulk.order), strict=True))
            await connection.exec_driver_sql(bulk.sql, params)


__all__ = ["BulkSQL", "BulkWrite"]
