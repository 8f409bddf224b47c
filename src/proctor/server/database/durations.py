"""A run's duration (`end_time - start_time` in whole milliseconds) as one SQL expression
that an index and a query share.

The Runs page sorts by duration; at 100,000 runs that sort must read an index, not
compute and sort every run. Both databases index an expression only when the query's
expression is the same tree, constants included (a bound parameter never matches). So
`RunDuration` renders the same literal SQL in the index's DDL (migration 0019, the
models) and in every query, per dialect:

- SQLite keeps timestamps as UTC text; `julianday()` of text is deterministic, so it
  may be indexed, and a double is exact to well under a millisecond.
- PostgreSQL: `EXTRACT(epoch FROM interval)` and `round(numeric)` are immutable.

NULL when either time is (a run not started or not finished).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class RunDuration(FunctionElement[int]):
    """`RunDuration(start_column, end_column)`: milliseconds between them, or NULL."""

    type = sa.BigInteger()
    name = "run_duration"
    inherit_cache = True


def _sides(element: RunDuration, compiler: Any, **kw: Any) -> tuple[str, str]:
    start, end = list(element.clauses)
    return compiler.process(start, **kw), compiler.process(end, **kw)


@compiles(RunDuration, "sqlite")
def _sqlite(element: RunDuration, compiler: Any, **kw: Any) -> str:
    start, end = _sides(element, compiler, **kw)
    return f"CAST(round((julianday({end}) - julianday({start})) * 86400000.0) AS BIGINT)"


@compiles(RunDuration, "postgresql")
def _postgresql(element: RunDuration, compiler: Any, **kw: Any) -> str:
    start, end = _sides(element, compiler, **kw)
    return f"CAST(round(EXTRACT(epoch FROM {end} - {start}) * 1000) AS BIGINT)"


__all__ = ["RunDuration"]
