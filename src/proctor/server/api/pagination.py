"""Cursor-paginated lists in the Relay connection shape: `nodes`, `pageInfo`, `totalCount`.

Services page with opaque keyset cursors (stable under inserts, no OFFSET scans) and
return a `Page(items, end_cursor, has_next_page, total_count)`; this module only wraps a
page in the GraphQL shape. The next page is asked for with `after: pageInfo.endCursor`.
Per-edge cursors are not offered: services only mint the cursor of a page's end, and a
null cursor on every other edge would promise more than the API keeps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import strawberry

Node = TypeVar("Node")


@strawberry.type(description="Where a page ends and whether another follows.")
class PageInfo:
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")
    has_next_page: bool


@strawberry.type(description="One page of a list.")
class Connection(Generic[Node]):
    nodes: list[Node]
    page_info: PageInfo
    total_count: int | None = strawberry.field(
        description="How many items match the filters, across all pages (when known)."
    )


def connection_from_page(page: Any, convert: Callable[[Any], Node]) -> Connection[Node]:
    """Wrap a service `Page` (items, end_cursor, has_next_page, total_count)."""
    return Connection(
        nodes=[convert(item) for item in page.items],
        page_info=PageInfo(end_cursor=page.end_cursor, has_next_page=bool(page.has_next_page)),
        total_count=page.total_count,
    )


__all__ = ["Connection", "PageInfo", "connection_from_page"]
