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

from proctor.server.api.limits import ApiLimits
from proctor.server.auth.principal import Principal


@dataclass
class ApiState:
    """The long-lived parts of the API, built once by the app at start-up."""

    database: Any
    events: Any
    limits: ApiLimits
    default_tenant_id: Any = None
    # Set when the server begins to shut down: long-polls answer at once instead of
    # holding the shutdown up for their whole wait.
    stopping: asyncio.Event = field(default_factory=asyncio.Event)

    async def context_for(self, connection: HTTPConnection) -> ApiContext:
        """The context of one request or websocket connection."""
        principal = Principal.local(self.default_tenant_id)
        return ApiContext(
            db=self.database,
            events=self.events,
            tenant_id=principal.tenant_id,
            principal=principal,
            limits=self.limits,
            connection=connection,
            stopping=self.stopping,
        )


@dataclass
class ApiContext:
    """Per-operation context: who is asking (the tenant) and what they may use."""

    db: Any
    events: Any
    tenant_id: Any
    limits: ApiLimits
    # None: nobody is logged in (auth mode); only PUBLIC fields are open then.
    principal: Principal | None = None
    connection: HTTPConnection | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    stopping: asyncio.Event | None = None


__all__ = ["ApiContext", "ApiState"]
