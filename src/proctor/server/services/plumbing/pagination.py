"""Keyset (cursor) pagination: stable under inserts, no OFFSET scans.

An `Ordering` names its sort columns (the last one is always the primary key, so the
order is total); a cursor is the base64 of the ordering's name plus the sort values of
the last row seen. The next page is "rows strictly after those values in that order",
which stays correct when rows are inserted or deleted between requests.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.errors import InvalidInput

Row = Any


@dataclass(frozen=True)
class SortKey:
    column: Any  # an ORM attribute or Core column
    descending: bool = False


@dataclass(frozen=True)
class Ordering:
    """A named total order: e.g. "-scheduled_start_time" = (scheduled_start_time desc,
    id desc)."""

    name: str
    keys: tuple[SortKey, ...]

    def order_by(self) -> list[Any]:
        return [k.column.desc() if k.descending else k.column.asc() for k in self.keys]

    def after(self, values: Sequence[Any]) -> sa.ColumnElement[bool]:
        """Rows strictly after `values` in this order (an OR of prefix-equal terms)."""
        terms = []
        for i, key in enumerate(self.keys):
            prefix = [self.keys[j].column == values[j] for j in range(i)]
            step = key.column < values[i] if key.descending else key.column > values[i]
            terms.append(sa.and_(*prefix, step))
        return sa.or_(*terms)


def ordering_choice(options: dict[str, Ordering], order_by: str) -> Ordering:
    try:
        return options[order_by]
    except KeyError:
        raise InvalidInput(
            f"order_by must be one of {', '.join(options)}; got {order_by!r}",
            details={"field": "order_by"},
        ) from None


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return {"u": value.hex}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "t" in value:
            return datetime.fromisoformat(value["t"])
        if "u" in value:
            return uuid.UUID(value["u"])
        raise ValueError("bad cursor value")
    if value is None or isinstance(value, bool) or not isinstance(value, int | str | float):
        raise ValueError("bad cursor value")
    return value


def encode_cursor(ordering: Ordering, values: Sequence[Any]) -> str:
    raw = json.dumps({"o": ordering.name, "v": [_encode_value(v) for v in values]})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(ordering: Ordering, cursor: str) -> list[Any]:
    """The sort values in `cursor`; `InvalidInput` if it is malformed or was made for a
    different ordering."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if raw["o"] != ordering.name:
            raise InvalidInput(
                f"This cursor belongs to order_by={raw['o']!r}, not {ordering.name!r}",
                details={"field": "after"},
            )
        values = [_decode_value(v) for v in raw["v"]]
    except InvalidInput:
        raise
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("Malformed cursor", details={"field": "after"}) from None
    if len(values) != len(ordering.keys):
        raise InvalidInput("Malformed cursor", details={"field": "after"})
    return values


@dataclass
class PageRows:
    rows: list[Row]
    end_cursor: str | None
    has_next_page: bool
    total_count: int | None


async def fetch_page(
    session: AsyncSession,
    statement: Any,
    ordering: Ordering,
    *,
    first: int,
    after: str | None,
    sort_values: Callable[[Row], Sequence[Any]],
    count: bool = True,
) -> PageRows:
    """Run `statement` (already filtered) as one page in `ordering`.

    `sort_values(row)` returns the row's values for the ordering's keys (to build the
    next cursor). `count` adds a COUNT(*) of all matching rows (ignoring `after`).
    """
    total = None
    if count:
        total = (
            await session.execute(sa.select(sa.func.count()).select_from(statement.subquery()))
        ).scalar_one()
    paged = statement
    if after:
        paged = paged.where(ordering.after(decode_cursor(ordering, after)))
    paged = paged.order_by(*ordering.order_by()).limit(first + 1)
    rows = list((await session.execute(paged)).all()) if first > 0 else []
    has_next = len(rows) > first
    rows = rows[:first]
    end_cursor = encode_cursor(ordering, sort_values(rows[-1])) if rows else None
    return PageRows(rows=rows, end_cursor=end_cursor, has_next_page=has_next, total_count=total)


__all__ = [
    "Ordering",
    "PageRows",
    "SortKey",
    "decode_cursor",
    "encode_cursor",
    "fetch_page",
    "ordering_choice",
]
