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

In "arrays" mode a column holding one value in every row (the tenant, the flow run,
"now", often the state itself) is sent as one scalar parameter instead of an array of
copies: asyncpg encodes array elements one by one (with an `isinstance` check against
`collections.abc` classes each), and PostgreSQL unpacks them one by one, so a typical
batch of task-run states sends about a quarter of the elements. The SQL differs per set
of constant columns; there are few such sets, each cached.
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


# Beyond this many distinct sets of constant columns, a `BulkWrite` forgets its SQL.
_MAX_PLANS = 64


def _convert(column: tuple[Any, ...], processor: Processor) -> tuple[list[Any], bool]:
    """The column's values ready for the driver, and whether they are all equal."""
    first = column[0]
    if column.count(first) == len(column):  # e.g. the tenant, the run, "now": once
        return [first if processor is None else processor(first)] * len(column), True
    if processor is None:
        return list(column), False
    return list(map(processor, column)), False


def scalar_positions(constant: Sequence[bool]) -> frozenset[int]:
    """The layout positions sent as scalars: the constant ones but the first, which
    stays an array so that `unnest()` yields the rows (and an UPDATE's key is in it)."""
    return frozenset(i for i, same in enumerate(constant) if same and i > 0)


@dataclass(frozen=True, slots=True)
class BulkSQL:
    """How a dialect runs a `BulkWrite`: `sql` with either one parameter tuple per row
    ("rows", `order` maps placeholders to layout positions) or one parameter per column
    ("arrays", placeholders in layout order: an array per column, or a single value for
    the layout positions in `scalars`)."""

    sql: str
    mode: Mode
    order: tuple[int, ...]
    scalars: frozenset[int] = frozenset()


@dataclass(eq=False)
class BulkWrite:
    """INSERT rows laid out as `columns` (optionally ON CONFLICT (`conflict`) DO NOTHING,
    or DO UPDATE SET the `update` columns), or, with `key`, UPDATE the rows whose `key`
    equals each row's first value, setting `columns` from the rest of it."""

    table: sa.Table
    columns: tuple[str, ...]
    key: str | None = None
    conflict: tuple[str, ...] | None = None
    update: tuple[str, ...] = ()
    _processors: dict[str, list[Processor]] = field(default_factory=dict, repr=False)
    _plans: dict[tuple[str, frozenset[int]], BulkSQL] = field(default_factory=dict, repr=False)

    @property
    def layout(self) -> tuple[str, ...]:
        """Column of each position in a row."""
        return self.columns if self.key is None else (self.key, *self.columns)

    def processors(self, dialect: Dialect) -> list[Processor]:
        return [
            self.table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in self.layout
        ]

    def statement(self, insert: Any = sa.insert) -> Any:
        """The single-row SQLAlchemy statement ("rows" mode), bind params named after
        the layout's columns (prefixed `b_` for an UPDATE); `insert` makes the dialect's
        INSERT (the one with ON CONFLICT)."""
        if self.key is None:
            statement = insert(self.table)
            if self.conflict is None:
                return statement
            if not self.update:
                return statement.on_conflict_do_nothing(index_elements=list(self.conflict))
            return statement.on_conflict_do_update(
                index_elements=list(self.conflict),
                set_={name: statement.excluded[name] for name in self.update},
            )
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
        processors = self._processors.get(dialect.name)
        if processors is None:
            processors = self._processors[dialect.name] = self.processors(dialect)
        columns = list(zip(*rows, strict=True))
        converted = [
            _convert(column, processor)
            for column, processor in zip(columns, processors, strict=True)
        ]
        scalars = (
            scalar_positions([same for _values, same in converted])
            if config.bulk_mode == "arrays"
            else frozenset()
        )
        bulk = self._plans.get((dialect.name, scalars))
        if bulk is None:
            if len(self._plans) >= _MAX_PLANS:
                self._plans.clear()
            bulk = self._plans[(dialect.name, scalars)] = config.bulk_sql(self, dialect, scalars)
        if bulk.mode == "arrays":
            parameters = tuple(
                values[0] if position in bulk.scalars else values
                for position, (values, _same) in enumerate(converted)
            )
            await connection.exec_driver_sql(bulk.sql, parameters)
        else:
            params = list(zip(*(converted[i][0] for i in bulk.order), strict=True))
            await connection.exec_driver_sql(bulk.sql, params)


__all__ = ["BulkSQL", "BulkWrite", "scalar_positions"]
