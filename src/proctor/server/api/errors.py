"""The one place where failures become GraphQL errors with a stable `extensions.code`.

Resolvers never catch anything: services raise `ProctorServerError` (which carries its own
code), pydantic raises `ValidationError`, graphql-core reports parse and validation
problems, and the limit rules attach their own code. `ProctorSchema.process_errors` sees
every error of every result (queries, mutations and each subscription event) before it is
serialised, gives it a code, and hides the text of unexpected exceptions so internals never
leak. Only unexpected errors are logged with a traceback: a user's mistake is not a server
problem.

Codes clients can rely on:

    NOT_FOUND, INVALID_INPUT, CONFLICT, STALE_VERSION, TRANSITION_REJECTED,
    LIMIT_EXCEEDED, FORBIDDEN, UNAUTHENTICATED      (from the services)
    GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED  (the document or its variables)
    QUERY_TOO_LARGE, QUERY_TOO_DEEP, QUERY_TOO_COSTLY, PAGE_TOO_LARGE
                                                     (request limits: `request_limits.py`)
    REQUEST_TIMEOUT                                  (a request ran past its time, `http.py`)
    BAD_REQUEST, PAYLOAD_TOO_LARGE                   (the HTTP layer, see `http.py`)
    INTERNAL_ERROR                                   (a bug: logged, message hidden)
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pydantic
import strawberry
from graphql import GraphQLError, GraphQLSyntaxError

from proctor.server.errors import ProctorServerError

logger = logging.getLogger("proctor.server.api")

INTERNAL_MESSAGE = "Internal server error: the server logged the details."


class ApiError(Exception):
    """An error raised by the API layer itself (not a service) with a stable code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _validation_message(error: pydantic.ValidationError) -> str:
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(part) for part in item.get("loc", ())) or "input"
        parts.append(f"{where}: {item.get('msg', 'invalid value')}")
    return "Invalid input: " + "; ".join(parts)


def classify(error: GraphQLError) -> tuple[str, str | None]:
    """The code of `error`, and the message to show instead of its own (None: keep it)."""
    original = error.original_error
    existing = (error.extensions or {}).get("code")
    if original is None:
        if existing:
            return str(existing), None
        if isinstance(error, GraphQLSyntaxError):
            return _syntax_error_code(error)
        return "GRAPHQL_VALIDATION_FAILED", None
    if isinstance(original, ProctorServerError):
        return str(original.code), None
    if isinstance(original, ApiError):
        return original.code, None
    if isinstance(original, pydantic.ValidationError):
        return "INVALID_INPUT", _validation_message(original)
    if isinstance(original, GraphQLError):
        return classify(original)
    if existing:
        return str(existing), None
    return "INTERNAL_ERROR", INTERNAL_MESSAGE


def _syntax_error_code(error: GraphQLSyntaxError) -> tuple[str, str | None]:
    """graphql-core's parser guards (token count, nesting) say so only in their message."""
    if "tokens. Parsing aborted" in error.message:
        return "QUERY_TOO_LARGE", None
    if "nested too deeply" in error.message:
        return "QUERY_TOO_DEEP", None
    return "GRAPHQL_PARSE_FAILED", None


def _service_extensions(original: BaseException | None) -> dict[str, Any]:
    """Extra, machine-readable details a service error chose to expose (JSON-safe)."""
    details = getattr(original, "details", None)
    if not isinstance(details, dict) or not details:
        return {}
    return {"details": json.loads(json.dumps(details, default=str))}


class ProctorSchema(strawberry.Schema):
    """A strawberry schema whose errors always carry a code and never leak internals."""

    def process_errors(
        self,
        errors: list[GraphQLError],
        execution_context: Any = None,
    ) -> None:
        for error in errors:
            code, replacement = classify(error)
            if code == "INTERNAL_ERROR":
                logger.error(
                    "unexpected error in GraphQL operation: %s",
                    error.message,
                    exc_info=error.original_error,
                )
            extensions = {**_service_extensions(error.original_error), **(error.extensions or {})}
            extensions["code"] = code
            error.extensions = extensions
            if replacement is not None:
                error.message = replacement


__all__ = ["INTERNAL_MESSAGE", "ApiError", "ProctorSchema", "classify"]
