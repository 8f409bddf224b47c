"""The shape most resolvers have: call a service function with the request's database
and team, then convert what it returns. `for_team` is that call, once:

    record = await for_team(info, housekeeping.set_archived, id, True)
    return FlowGroup.from_record(record)

Services take `(db, tenant_id, ...)` first (see `proctor.server.services`); the resolver
names the service and its own arguments, nothing else.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import strawberry

from proctor.server.api.loaders import ctx
from proctor.server.database import Database

P = ParamSpec("P")
R = TypeVar("R")


async def for_team(
    info: strawberry.Info,
    service: Callable[Concatenate[Database, Any, P], Awaitable[R]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> R:
    """`await service(db, tenant_id, *args, **kwargs)` for the request's team."""
    context = ctx(info)
    return await service(context.db, context.tenant_id, *args, **kwargs)


__all__ = ["for_team"]
