"""Errors raised by `proctor.client`, translated at the boundary from httpx and GraphQL.

    ProctorClientError
    ├── ServerUnavailable      the server could not be reached (or kept answering 5xx)
    ├── ProtocolError          the server answered something that is not a GraphQL response
    └── GraphQLError           the server answered with an error; `code` is its stable code
        ├── NotFound           code NOT_FOUND
        ├── InvalidInput       code INVALID_INPUT, BAD_REQUEST, PAGE_TOO_LARGE, GRAPHQL_*...
        ├── Conflict           code CONFLICT, STALE_VERSION, TRANSITION_REJECTED
        └── LimitExceeded      code LIMIT_EXCEEDED, QUERY_TOO_DEEP, QUERY_TOO_COSTLY, ...

Callers catch the family they can act on: a CLI turns `InvalidInput`/`NotFound` into a
user error (exit 2) and everything else into a server error (exit 1); an agent retries on
`ServerUnavailable` and gives up on the rest. No httpx exception ever leaves the client.
"""

from __future__ import annotations

from typing import Any


class ProctorClientError(Exception):
    """Root of every error `proctor.client` raises."""


class ServerUnavailable(ProctorClientError):
    """The server did not answer (connection refused, timeout, or 5xx after retries)."""

    def __init__(self, url: str, detail: str = "") -> None:
        self.url = url
        self.detail = detail
        message = (
            f"cannot reach the Proctor server at {url}: is it running? "
            "start it with `proctor server start`"
        )
        if detail:
            message = f"{message} ({detail})"
        super().__init__(message)


class ProtocolError(ProctorClientError):
    """The server answered, but not with a GraphQL response this client understands."""


class GraphQLError(ProctorClientError):
    """The server refused or failed an operation; `code` is stable, `message` is for people."""

    def __init__(
        self,
        message: str,
        code: str = "INTERNAL_ERROR",
        *,
        path: list[str | int] | None = None,
        extensions: dict[str, Any] | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.path = path
        self.extensions = extensions or {}
        self.errors = errors or []

    def __str__(self) -> str:
        return f"{self.message} [{self.code}]"


class NotFound(GraphQLError):
    """The object asked for does not exist (or belongs to another team)."""


class InvalidInput(GraphQLError):
    """The request was malformed or a value was refused: fix the request, do not retry."""


class Conflict(GraphQLError):
    """The change raced with another one (stale version, rejected transition, duplicate)."""


class LimitExceeded(GraphQLError):
    """A limit of the server was hit (query depth/cost, page size, payload size, quota)."""


_CODE_CLASSES: dict[str, type[GraphQLError]] = {
    "NOT_FOUND": NotFound,
    "INVALID_INPUT": InvalidInput,
    "BAD_REQUEST": InvalidInput,
    "PAGE_TOO_LARGE": InvalidInput,
    "GRAPHQL_PARSE_FAILED": InvalidInput,
    "GRAPHQL_VALIDATION_FAILED": InvalidInput,
    "CONFLICT": Conflict,
    "STALE_VERSION": Conflict,
    "TRANSITION_REJECTED": Conflict,
    "LIMIT_EXCEEDED": LimitExceeded,
    "QUERY_TOO_DEEP": LimitExceeded,
    "QUERY_TOO_COSTLY": LimitExceeded,
    "QUERY_TOO_LARGE": LimitExceeded,
    "PAYLOAD_TOO_LARGE": LimitExceeded,
}

#: Codes that mean "the request itself is wrong": a CLI reports them as user errors.
USER_ERROR_CODES = frozenset(
    {
        "NOT_FOUND",
        "INVALID_INPUT",
        "BAD_REQUEST",
        "PAGE_TOO_LARGE",
        "GRAPHQL_PARSE_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
        "CONFLICT",
        "STALE_VERSION",
        "TRANSITION_REJECTED",
        "QUERY_TOO_DEEP",
        "QUERY_TOO_COSTLY",
        "QUERY_TOO_LARGE",
        "PAYLOAD_TOO_LARGE",
        "LIMIT_EXCEEDED",
        "FORBIDDEN",
        "UNAUTHENTICATED",
    }
)


def error_from_payload(errors: list[dict[str, Any]]) -> GraphQLError:
    """Build the most specific `GraphQLError` for the first of a response's errors."""
    first = errors[0] if errors else {}
    message = str(first.get("message") or "unknown error")
    extensions = first.get("extensions") or {}
    code = str(extensions.get("code") or "INTERNAL_ERROR")
    cls = _CODE_CLASSES.get(code, GraphQLError)
    path = first.get("path")
    return cls(message, code, path=path, extensions=extensions, errors=errors)


__all__ = [
    "USER_ERROR_CODES",
    "Conflict",
    "GraphQLError",
    "InvalidInput",
    "LimitExceeded",
    "NotFound",
    "ProctorClientError",
    "ProtocolError",
    "ServerUnavailable",
    "error_from_payload",
]
