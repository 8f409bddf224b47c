"""The GraphQL-over-HTTP exchange shared by the sync and async clients.

`Operation` is what a client method builds: the document, its variables, how to turn the
`data` of the answer into a typed result, and whether sending it twice is harmless. The
functions here encode an operation as a request body and decode a response into `data` or
a `ProctorClientError`; the clients only add the I/O and the retry loop around them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from proctor.client._errors import ProtocolError, error_from_payload
from proctor.client._retry import RETRY_STATUSES

T = TypeVar("T")

GRAPHQL_PATH = "/graphql"


def reads_only(document: str) -> bool:
    """Whether every operation of `document` is a query, so that sending it again after
    a timeout cannot do anything twice. A mutation, or a document that does not parse
    (the server will say why), is sent once."""
    from graphql import GraphQLSyntaxError, OperationDefinitionNode, OperationType, parse

    try:
        parsed = parse(document, no_location=True)
    except GraphQLSyntaxError:
        return False
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    return bool(operations) and all(op.operation is OperationType.QUERY for op in operations)


@dataclass(frozen=True)
class Operation(Generic[T]):
    """One GraphQL request and how to read its answer."""

    document: str
    variables: dict[str, Any] = field(default_factory=dict)
    parse: Callable[[dict[str, Any]], T] = field(default=lambda data: data)
    idempotent: bool = False
    #: How long the server may hold this request before answering (a long-poll): added
    #: to the client's read timeout, so waiting is not mistaken for a dead server.
    wait_seconds: float = 0.0

    def timeout(self, base: float) -> httpx.Timeout:
        """The httpx timeout for this operation, given the client's `base` seconds."""
        return httpx.Timeout(base, read=base + self.wait_seconds)

    def body(self) -> bytes:
        """The JSON body to POST (compact, because batches can be large)."""
        payload = {"query": self.document, "variables": self.variables}
        return json.dumps(payload, separators=(",", ":"), default=_json_default).encode()


class RetryableStatus(Exception):
    """A 5xx answer: the loop may retry it (for idempotent operations) or report it."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def _json_default(value: Any) -> Any:
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        return isoformat()
    raise TypeError(f"cannot send {type(value).__name__} to the server: not JSON")


def decode(response: httpx.Response) -> dict[str, Any]:
    """The `data` of a GraphQL answer, or the error it carries, as a client exception."""
    if response.status_code in RETRY_STATUSES:
        raise RetryableStatus(response)
    try:
        payload = response.json()
    except ValueError:
        raise ProtocolError(
            f"the server answered HTTP {response.status_code} with a body that is not JSON"
        ) from None
    if not isinstance(payload, dict):
        raise ProtocolError("the server answered JSON that is not a GraphQL response")
    errors = payload.get("errors")
    if errors:
        raise error_from_payload(errors)
    data = payload.get("data")
    if response.status_code >= 400 or not isinstance(data, dict):
        raise ProtocolError(f"the server answered HTTP {response.status_code} without data")
    return data


def status_error(response: httpx.Response) -> Exception:
    """The error to raise when a 5xx answer could not be retried away."""
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if isinstance(payload, dict) and payload.get("errors"):
        return error_from_payload(payload["errors"])
    return ProtocolError(f"the server failed with HTTP {response.status_code}")


__all__ = ["GRAPHQL_PATH", "Operation", "RetryableStatus", "decode", "status_error"]
