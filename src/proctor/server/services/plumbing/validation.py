"""Checking what callers pass in: ids, names, page sizes, batch sizes.

Every function raises `InvalidInput` or `LimitExceeded` with a message that names the
offending argument, before anything touches the database.
"""

from __future__ import annotations

import math
import uuid
from typing import Any

from proctor.server.errors import InvalidInput, LimitExceeded
from proctor.settings import get_settings

DEFAULT_PAGE_SIZE = 50


def as_uuid(value: Any, what: str = "id") -> uuid.UUID:
    """A UUID from a UUID or its text form."""
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    raise InvalidInput(f"{what} must be a UUID, got {value!r:.80}", details={"field": what})


def optional_uuid(value: Any, what: str = "id") -> uuid.UUID | None:
    return None if value is None else as_uuid(value, what)


def name_arg(value: Any, what: str = "name", max_length: int = 200) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{what} must be a non-empty string", details={"field": what})
    text: str = value.strip()
    if len(text) > max_length:
        raise InvalidInput(f"{what} is longer than {max_length} characters")
    return text


def page_size(first: Any, default: int = DEFAULT_PAGE_SIZE) -> int:
    """`first` checked against `PROCTOR_SERVER_LIMITS_MAX_PAGE_SIZE`."""
    if first is None:
        first = default
    if not isinstance(first, int) or isinstance(first, bool) or first < 0:
        raise InvalidInput("first must be a non-negative integer", details={"field": "first"})
    limit = get_settings().server.limits.max_page_size
    if first > limit:
        raise LimitExceeded(
            f"first={first} is more than the page size limit ({limit})",
            details={"field": "first", "limit": limit},
        )
    return first


def batch_size(count: int, what: str) -> None:
    """Refuse batches above `PROCTOR_SERVER_LIMITS_MAX_BATCH_SIZE`."""
    limit = get_settings().server.limits.max_batch_size
    if count > limit:
        raise LimitExceeded(
            f"{count} {what} in one call is more than the limit ({limit}); split the batch",
            details={"limit": limit, "count": count},
        )


def string_list(value: Any, what: str, *, max_items: int = 100, max_chars: int = 200) -> list[str]:
    """A sorted, de-duplicated list of short strings (labels, tags)."""
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"{what} must be a list of strings", details={"field": what})
    if len(value) > max_items or any(len(v) > max_chars for v in value):
        raise InvalidInput(
            f"{what}: at most {max_items} items of at most {max_chars} characters",
            details={"field": what},
        )
    return sorted(set(value))


MAX_JSON_DEPTH = 64


def json_value(value: Any, what: str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """`value` if it is plain JSON (objects with string keys, lists, strings, finite
    numbers, booleans, null) nested at most `max_depth` deep; else `InvalidInput`.

    Checked iteratively, so hostile nesting cannot exhaust the stack here or later in
    json.dumps, and NaN/Infinity (which PostgreSQL's JSONB refuses) never reach a write.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > max_depth:
            raise InvalidInput(f"{what} is nested deeper than {max_depth} levels")
        if isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str):
                    raise InvalidInput(f"{what}: object keys must be strings, got {key!r:.40}")
                if isinstance(child, dict | list):
                    stack.append((child, depth + 1))
                else:
                    _json_scalar(child, what)
        elif isinstance(item, list):
            for child in item:
                if isinstance(child, dict | list):
                    stack.append((child, depth + 1))
                else:
                    _json_scalar(child, what)
        else:
            _json_scalar(item, what)
    return value


def _json_scalar(value: Any, what: str) -> None:
    if value is None or isinstance(value, str | bool | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInput(f"{what}: {value} is not a valid JSON number")
        return
    raise InvalidInput(f"{what} must be JSON; got a {type(value).__name__}")


__all__ = [
    "DEFAULT_PAGE_SIZE",
    "as_uuid",
    "batch_size",
    "json_value",
    "name_arg",
    "optional_uuid",
    "page_size",
    "string_list",
]
