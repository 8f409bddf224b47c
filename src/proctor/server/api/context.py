"""What every resolver receives as `info.context`: the database, the tenant, the limits.

Resolvers read only this object, never globals, so one process can serve several apps
(tests do) and so team features can later resolve the tenant from the request's API key in
one place: `ApiState.context_for`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import HTTPConnection

from proctor.server.api.connection_budget import RequestDatabase
from proctor.server.api.request_limit_values import RequestLimits
from proctor.server.auth.principal import Principal


@dataclass
class ApiState:
    """The long-lived parts of the API, built once by the app at start-up."""

    database: Any
    events: Any
    request_limits: RequestLimits
    default_tenant_id: Any = None
    # Set when the server begins to shut down: long-polls answer at once instead of
    # holding the shutdown up for their whole wait.
    stopping: asyncio.Event = field(default_factory=asyncio.Event)

    # Auth mode's resolver (`proctor.server.auth.resolve.Authenticator`); None in local
    # mode, where every request acts as the owner of the default team.
    authenticator: Any = None

    async def context_for(self, connection: HTTPConnection) -> ApiContext:
        """The context of one request or websocket connection.

        In auth mode a cookie request that fails the CSRF check raises `CsrfRefused`
        (the HTTP layer answers 403); a websocket is then accepted as nobody.
        """
        problem: str | None = None
        principal: Principal | None
        if self.authenticator is None:
            principal = Principal.local(self.default_tenant_id)
        else:
            from proctor.server.auth.resolve import CsrfRefused

            try:
                resolution = await self.authenticator.resolve(connection)
            except CsrfRefused as refused:
                if connection.scope["type"] != "websocket":
                    raise
                principal, problem = None, str(refused)
            else:
                principal, problem = resolution.principal, resolution.problem
        context = ApiContext(
            db=RequestDatabase(self.database, self.request_limits.max_connections_per_request),
            events=self.events,
            tenant_id=principal.tenant_id if principal is not None else None,
            principal=principal,
            request_limits=self.request_limits,
            connection=connection,
            stopping=self.stopping,
            authenticator=self.authenticator,
        )
        if problem is not None:
            context.extra["auth_problem"] = problem
        return context

    async def on_ws_connect(self, context: ApiContext) -> None:
        """A websocket client may send its API key in the connection parameters
        (`{"Authorization": "Bearer <key>"}`) instead of a header: browsers cannot set
        headers on websockets."""
        if self.authenticator is None:
            return
        key = _key_in(context.connection_params)
        if key is not None:
            resolution = await self.authenticator.resolve_key(key)
            context.principal = resolution.principal
            context.tenant_id = resolution.principal.tenant_id if resolution.principal else None
            context.extra.pop("auth_problem", None)
            if resolution.problem is not None:
                context.extra["auth_problem"] = resolution.problem
        self._watch_websocket(context, key)

    def _watch_websocket(self, context: ApiContext, key: str | None) -> None:
        """Close the socket once its credentials no longer hold (see websocket_watch)."""
        from starlette.websockets import WebSocket

        from proctor.server.auth.websocket_watch import start_watch

        connection, principal = context.connection, context.principal
        if not isinstance(connection, WebSocket) or principal is None:
            return
        authenticator = self.authenticator

        async def resolve() -> Principal | None:
            if key is not None:
                return (await authenticator.resolve_key(key)).principal  # type: ignore[no-any-return]
            return (await authenticator.resolve(connection)).principal  # type: ignore[no-any-return]

        every = authenticator.settings.websocket_recheck_seconds
        start_watch(connection, principal, resolve, every)


def _key_in(params: Any) -> str | None:
    """The API key a websocket client sent in its connection parameters, if any."""
    if not isinstance(params, dict):
        return None
    lowered = {str(k).lower(): v for k, v in params.items()}
    value = lowered.get("authorization") or lowered.get("apikey")
    if not isinstance(value, str) or not value.strip():
        return None
    scheme, _, rest = value.strip().partition(" ")
    return rest.strip() if scheme.lower() == "bearer" else value.strip()


@dataclass
class ApiContext:
    """Per-operation context: who is asking (the tenant) and what they may use."""

    db: Any
    events: Any
    tenant_id: Any
    request_limits: RequestLimits
    # None: nobody is logged in (auth mode); only PUBLIC fields are open then.
    principal: Principal | None = None
    connection: HTTPConnection | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    stopping: asyncio.Event | None = None
    # Auth mode's resolver (None in local mode), for resolvers that log in or hash.
    authenticator: Any = None
    # graphql-transport-ws `connection_init` payload (strawberry fills it in).
    connection_params: dict[str, Any] | None = None


__all__ = ["ApiContext", "ApiState"]
