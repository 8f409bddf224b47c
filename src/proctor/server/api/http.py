"""The `/graphql` endpoint: strawberry's ASGI view with Proctor's HTTP rules.

On top of strawberry it adds what a public endpoint needs so that no input, however
broken, produces a 500:

- the body is read with a cap (`max_body_bytes(scope)`, the app's current limit): a
  larger one is refused with 413 and `PAYLOAD_TOO_LARGE` before it is parsed;
- every refusal of the HTTP layer (malformed JSON, a body that is not an object, wrong
  types for `query`/`variables`, a mutation over GET, a wrong method) is a JSON body
  `{"errors": [{"message", "extensions": {"code"}}]}` with a 4xx status, never plain text;
- a request runs at most `max_request_seconds` (the app's current limit): past it, its
  work is cancelled (a write transaction rolls back) and it is answered with 503 and
  `REQUEST_TIMEOUT`, so one slow or hostile request cannot hold the server's resources;
- the context of every operation (HTTP and websocket) is an `ApiContext`.

GraphiQL is served on GET from a browser (`Accept: text/html`): the page built with the
UI (`ide_page`), whose scripts come from this server; websockets speak
graphql-transport-ws (and the legacy graphql-ws) on the same path.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.types.unset import UNSET, UnsetType

from proctor.server.api.context import ApiContext

ContextFactory = Callable[[Request | WebSocket], Awaitable[ApiContext]]

_STATUS_CODES = {
    400: "BAD_REQUEST",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "BAD_REQUEST",
}


def error_response(status: int, message: str, code: str | None = None) -> JSONResponse:
    """A GraphQL-shaped JSON error body, for refusals made before any execution."""
    return JSONResponse(
        {
            "data": None,
            "errors": [
                {
                    "message": message,
                    "extensions": {"code": code or _STATUS_CODES.get(status, "BAD_REQUEST")},
                }
            ],
        },
        status_code=status,
    )


class _BodyTooLarge(Exception):
    pass


async def _read_capped(receive: Receive, limit: int) -> bytes:
    """The whole request body, or `_BodyTooLarge` as soon as it passes `limit` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


class ProctorGraphQL(GraphQL[ApiContext, None]):
    """Strawberry's ASGI view, hardened (see the module docstring)."""

    def __init__(
        self,
        schema: Any,
        *,
        context_factory: ContextFactory,
        max_body_bytes: Callable[[Scope], int],
        max_request_seconds: Callable[[Scope], float] = lambda _scope: 60.0,
        allowed_origins: tuple[str, ...] = (),
        on_connect: Callable[[ApiContext], Awaitable[None]] | None = None,
        ide_page: Callable[[], str] | None = None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql",
            allow_queries_via_get=True,
            keep_alive=True,
            keep_alive_interval=15,
            allowed_origins=allowed_origins,
        )
        self._context_factory = context_factory
        self._max_body_bytes = max_body_bytes
        self._max_request_seconds = max_request_seconds
        self._on_connect = on_connect
        self._ide_page = ide_page

    @property
    def graphql_ide_html(self) -> str:
        """The GraphiQL page: the one built with the UI (served from this server, no CDN)
        when the app gives one, else strawberry's."""
        if self._ide_page is not None:
            return self._ide_page()
        return super().graphql_ide_html

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        limit = self._max_body_bytes(scope)
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _too_large(limit)(scope, receive, send)
            return
        try:
            body = await _read_capped(receive, limit)
        except _BodyTooLarge:
            await _too_large(limit)(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        request = Request(scope, receive=replay)
        seconds = self._max_request_seconds(scope)
        try:
            async with asyncio.timeout(seconds):
                response = await self.run(request)
        except HTTPException as error:
            response = error_response(error.status_code, error.reason)
        except TimeoutError:
            response = error_response(
                503,
                f"The request ran longer than {seconds:g} s and was stopped (nothing it "
                "was writing was kept): ask for less at once, e.g. smaller pages.",
                "REQUEST_TIMEOUT",
            )
        await response(scope, replay, send)

    def decode_json(self, data: str | bytes) -> object:
        try:
            decoded = json.loads(data)
        except (UnicodeDecodeError, RecursionError, ValueError) as error:
            raise HTTPException(400, "Unable to parse request body as JSON") from error
        # PostgreSQL cannot store U+0000 in text or JSONB, and a task's output (a state
        # message, a log line) may well contain one: it becomes U+FFFD, on every
        # database alike. JSON must escape it, so a body without that escape has none.
        escaped = "\\u0000" in data if isinstance(data, str) else b"\\u0000" in data
        if escaped:
            return without_nul(decoded)
        return decoded

    async def parse_http_body(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        try:
            parsed = await super().parse_http_body(request)
        except HTTPException:
            raise
        except (AttributeError, TypeError, ValueError) as error:
            raise HTTPException(400, "The request must be a JSON object with a `query`") from error
        items = parsed if isinstance(parsed, list) else [parsed]
        for item in items:
            if item.operation_name is not None and not isinstance(item.operation_name, str):
                raise HTTPException(400, "`operationName` must be a string or null")
        return parsed

    async def get_context(self, request: Request | WebSocket, response: Any) -> ApiContext:
        return await self._context_factory(request)

    async def on_ws_connect(self, context: ApiContext) -> UnsetType:
        # Websocket clients may authenticate in `connection_init` (see ApiState).
        if self._on_connect is not None:
            await self._on_connect(context)
        acknowledged: UnsetType = UNSET  # the default connection_ack (no payload)
        return acknowledged


def without_nul(value: Any) -> Any:
    """`value` (decoded JSON) with every U+0000 in its strings and keys made U+FFFD."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [without_nul(item) for item in value]
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    return value


def _too_large(limit: int) -> Response:
    return error_response(413, f"request body larger than {limit} bytes", "PAYLOAD_TOO_LARGE")


def _declared_length(scope: Scope) -> int | None:
    headers: Mapping[bytes, bytes] = dict(scope.get("headers") or [])
    raw = headers.get(b"content-length")
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        return None


__all__ = ["ProctorGraphQL", "error_response", "without_nul"]
