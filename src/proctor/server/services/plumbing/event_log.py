"""What the activity feed and the audit log share: both are a team's rows of a table with
`tenant_id`, `occurred` and `id`, listed newest first with equality and time filters in
keyset pages, and pruned by age in batches.

`services.activity` and `services.audit` say which columns and filters they have and what
a record looks like; this module holds the one way of listing and pruning such a table.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar, cast

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.services.plumbing import records
from proctor.server.services.plumbing.pagination import Ordering, SortKey, fetch_page
from proctor.server.services.plumbing.validation import page_size

R = TypeVar("R")
PRUNE_BATCH = 5000


def newest_first(model: Any) -> Ordering:
    """(occurred desc, id desc): the order of both logs' lists and cursors."""
    return Ordering("-occurred", (SortKey(model.occurred, True), SortKey(model.id, True)))


def filters(
    model: Any,
    *,
    equal: Mapping[Any, Any] = {},
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[sa.ColumnElement[bool]]:
    """`column == value` for each given (non-empty) value, and `since <= occurred <
    until` for the bounds given."""
    found: list[sa.ColumnElement[bool]] = [
        column == value for column, value in (equal or {}).items() if value
    ]
    if since is not None:
        found.append(model.occurred >= since)
    if until is not None:
        found.append(model.occurred < until)
    return found


async def list_newest_first(
    db: Database,
    model: Any,
    tenant: uuid.UUID,
    where: list[sa.ColumnElement[bool]],
    convert: Callable[[Any], R],
    *,
    first: int,
    after: str | None,
    count: bool,
) -> records.Page[R]:
    """One page of the team's rows matching `where`, newest first, each `convert`ed."""
    size = page_size(first)
    statement = sa.select(model).where(model.tenant_id == tenant, *where)
    async with db.session() as session:
        page = await fetch_page(
            session,
            statement,
            newest_first(model),
            first=size,
            after=after,
            count=count,
            sort_values=lambda row: [row[0].occurred, row[0].id],
        )
    return records.Page(
        items=[convert(row[0]) for row in page.rows],
        end_cursor=page.end_cursor,
        has_next_page=page.has_next_page,
        total_count=page.total_count,
    )


async def prune_older_than(
    db: Database, model: Any, *, older_than: datetime, batch: int = PRUNE_BATCH
) -> int:
    """Delete every team's rows that occurred before `older_than`, `batch` rows per
    transaction (a large backlog never holds the write lock for long)."""
    deleted = 0
    while True:
        async with db.transaction() as session:
            doomed = (
                sa.select(model.id).where(model.occurred < older_than).limit(batch)
            ).scalar_subquery()
            result = await session.execute(sa.delete(model).where(model.id.in_(doomed)))
            count = int(cast(Any, result).rowcount or 0)
        deleted += count
        if count < batch:
            return deleted


__all__ = ["PRUNE_BATCH", "filters", "list_newest_first", "newest_first", "prune_older_than"]
