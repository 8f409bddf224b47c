"""The runs list across every flow of a team: its extra filters and its sort orders.

`list_flow_runs` (services.flow_runs) builds the base statement; this module adds what
the Runs page and `proctor runs ls` filter on (flow name, labels, started-time range,
a search by run name or id prefix) and the orders whose column may be NULL.

Keyset pagination over a column that may be NULL (a run not started yet has no start
time, a running one no end) cannot use `column > value`: NULL compares to nothing. Those
orders list the runs that have a value first, in the column's order (an index scan of
`(tenant_id, column)`), then the runs without one, by id. A cursor remembers which part
it is in: its sort value is the value, or `NULL_MARK` in the second part.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database
from proctor.server.database.durations import RunDuration
from proctor.server.database.models import FlowGroup, FlowRun
from proctor.server.errors import InvalidInput
from proctor.server.orchestration.states import parse_timestamp
from proctor.server.services.plumbing.pagination import (
    Ordering,
    PageRows,
    SortKey,
    decode_cursor,
    encode_cursor,
)
from proctor.server.services.plumbing.validation import string_list

NULL_MARK = "null"
MAX_SEARCH = 200
# Ids are searched by prefix from 4 hex digits on (dashes ignored): shorter would match
# runs by chance rather than by what was pasted.
_ID_PREFIX = re.compile(r"^[0-9a-f]{4,32}$")


def _same_direction(name: str, *columns: Any, descending: bool) -> Ordering:
    keys = [SortKey(column, descending) for column in columns]
    return Ordering(name, (*keys, SortKey(FlowRun.id, descending)))


# Orders on columns that are never NULL: the generic keyset pagination serves them.
# State sorts by family (then scheduled time) so the (tenant_id, state_type,
# scheduled_start_time) index serves it.
EXTRA_ORDERINGS = {
    "name": _same_direction("name", FlowRun.name, descending=False),
    "-name": _same_direction("-name", FlowRun.name, descending=True),
    "state": _same_direction(
        "state", FlowRun.state_type, FlowRun.scheduled_start_time, descending=False
    ),
    "-state": _same_direction(
        "-state", FlowRun.state_type, FlowRun.scheduled_start_time, descending=True
    ),
}


@dataclass(frozen=True)
class NullableOrder:
    """An order on a value that may be NULL: runs with one first, then the others."""

    name: str
    value: Callable[[Database], Any]  # the sort expression, per dialect
    descending: bool

    def ordering(self, db: Database) -> Ordering:
        return Ordering(self.name, (SortKey(self.value(db)), SortKey(FlowRun.id)))


def _duration(db: Database) -> Any:
    # The indexed expression itself (migration 0019), so the sort reads the index.
    return RunDuration(FlowRun.start_time, FlowRun.end_time)


NULLABLE_ORDERINGS = {
    order.name: order
    for order in [
        NullableOrder("start_time", lambda db: FlowRun.start_time, False),
        NullableOrder("-start_time", lambda db: FlowRun.start_time, True),
        NullableOrder("end_time", lambda db: FlowRun.end_time, False),
        NullableOrder("-end_time", lambda db: FlowRun.end_time, True),
        NullableOrder("duration", _duration, False),
        NullableOrder("-duration", _duration, True),
    ]
}


@dataclass(frozen=True)
class RunFilters:
    """Filters of the runs list beyond those of one flow's runs."""

    flow_name: str | None = None
    labels: Sequence[str] | None = None
    started_after: datetime | str | None = None
    started_before: datetime | str | None = None
    search: str | None = None


def apply_filters(db: Database, tenant: uuid.UUID, statement: Any, filters: RunFilters) -> Any:
    """`statement` (a select of FlowRun rows) narrowed by `filters`; `InvalidInput` for
    a malformed one."""
    if filters.flow_name is not None:
        if not isinstance(filters.flow_name, str) or not filters.flow_name.strip():
            raise InvalidInput(
                "flow_name must be a non-empty string", details={"field": "flow_name"}
            )
        groups = sa.select(FlowGroup.id).where(
            FlowGroup.tenant_id == tenant, FlowGroup.name == filters.flow_name.strip()
        )
        statement = statement.where(FlowRun.flow_group_id.in_(groups))
    if filters.labels:
        wanted = string_list(list(filters.labels), "labels")
        statement = statement.where(db.config.labels_include(FlowRun.labels, wanted))
    since = parse_timestamp(filters.started_after, "started_after")
    if since is not None:
        statement = statement.where(FlowRun.start_time >= since)
    until = parse_timestamp(filters.started_before, "started_before")
    if until is not None:
        statement = statement.where(FlowRun.start_time <= until)
    if filters.search is not None:
        statement = _search(db, statement, filters.search)
    return statement


def _search(db: Database, statement: Any, text: str) -> Any:
    """Runs whose name contains `text` (any case), or whose id starts with it."""
    if not isinstance(text, str) or len(text) > MAX_SEARCH:
        raise InvalidInput(
            f"search must be a string of at most {MAX_SEARCH} characters",
            details={"field": "search"},
        )
    wanted = text.strip()
    if not wanted:
        return statement
    by_name = db.config.contains_ci(FlowRun.name, wanted)
    hex_digits = wanted.lower().replace("-", "")
    if not _ID_PREFIX.match(hex_digits):
        return statement.where(by_name)
    # SQLite keeps ids as 32 hex digits, PostgreSQL prints them with dashes: compare
    # the digits alone on both.
    id_digits = sa.func.replace(sa.cast(FlowRun.id, sa.String), "-", "")
    return statement.where(sa.or_(by_name, id_digits.like(f"{hex_digits}%")))


async def fetch_nullable_page(
    session: AsyncSession,
    db: Database,
    statement: Any,
    order: NullableOrder,
    *,
    first: int,
    after: str | None,
    count: bool,
) -> PageRows:
    """One page of `statement` in `order` (see the module docstring). Rows are the
    statement's own rows (the sort value is read alongside, for the cursor)."""
    ordering = order.ordering(db)
    value = ordering.keys[0].column
    total = None
    if count:
        total = (
            await session.execute(sa.select(sa.func.count()).select_from(statement.subquery()))
        ).scalar_one()
    cursor_value: Any = None
    cursor_id: Any = None
    if after:
        cursor_value, cursor_id = decode_cursor(ordering, after)
        if not isinstance(cursor_id, uuid.UUID):
            raise InvalidInput("Malformed cursor", details={"field": "after"})
    in_null_part = cursor_value == NULL_MARK
    found: list[tuple[Any, Any]] = []  # (row, sort value)
    if first > 0 and not in_null_part:
        valued = statement.where(value.is_not(None)).add_columns(value)
        if after:
            beyond = value < cursor_value if order.descending else value > cursor_value
            tie = FlowRun.id < cursor_id if order.descending else FlowRun.id > cursor_id
            valued = valued.where(sa.or_(beyond, sa.and_(value == cursor_value, tie)))
        keys = [value, FlowRun.id]
        in_order = [k.desc() if order.descending else k.asc() for k in keys]
        valued = valued.order_by(*in_order).limit(first + 1)
        found = [(tuple(row)[:-1], tuple(row)[-1]) for row in (await session.execute(valued)).all()]
    if first > 0 and len(found) <= first:
        unvalued = statement.where(value.is_(None))
        if in_null_part:
            tie = FlowRun.id < cursor_id if order.descending else FlowRun.id > cursor_id
            unvalued = unvalued.where(tie)
        by_id = FlowRun.id.desc() if order.descending else FlowRun.id.asc()
        rest = await session.execute(unvalued.order_by(by_id).limit(first + 1 - len(found)))
        found += [(tuple(row), NULL_MARK) for row in rest.all()]
    has_next = len(found) > first
    found = found[:first]
    end_cursor = None
    if found:
        last_row, last_value = found[-1]
        end_cursor = encode_cursor(ordering, [last_value, last_row[0].id])
    return PageRows(
        rows=[row for row, _ in found],
        end_cursor=end_cursor,
        has_next_page=has_next,
        total_count=total,
    )


__all__ = [
    "EXTRA_ORDERINGS",
    "NULLABLE_ORDERINGS",
    "NULL_MARK",
    "NullableOrder",
    "RunFilters",
    "apply_filters",
    "fetch_nullable_page",
]
