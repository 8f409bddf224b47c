"""Open websockets re-check who they act for.

A websocket is authenticated once, when it connects, and a subscription may then stay
open for days. Logging out, revoking the API key, removing the user from the team or
changing their role must not leave such a socket streaming the team's data: every
`websocket_recheck_seconds` the watch resolves the connection's credentials again, and
closes the socket (code 4403) as soon as they no longer give the same principal (same
team, role, user, key and session). The client then reconnects and is authenticated
afresh, as nobody, or in its new role or team.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from starlette.websockets import WebSocket, WebSocketState

from proctor.server.auth.principal import Principal

logger = logging.getLogger(__name__)

# Application-defined close code (4000-4999): "forbidden", as graphql-ws clients know it.
CLOSE_CODE = 4403
CLOSE_REASON = "Your access changed: reconnect."

Resolve = Callable[[], Awaitable[Principal | None]]


def _open(websocket: WebSocket) -> bool:
    return (
        websocket.client_state is WebSocketState.CONNECTED
        and websocket.application_state is WebSocketState.CONNECTED
    )


async def watch(websocket: WebSocket, principal: Principal, resolve: Resolve, every: float) -> None:
    """Until the socket closes: resolve the credentials again every `every` seconds and
    close the socket when they no longer give `principal`."""
    while True:
        await asyncio.sleep(every)
        if not _open(websocket):
            return
        try:
            current = await resolve()
        except Exception:  # the database is away: keep the socket, check again later
            logger.warning("could not re-check a websocket's credentials", exc_info=True)
            continue
        if current == principal:
            continue
        if _open(websocket):
            await websocket.close(code=CLOSE_CODE, reason=CLOSE_REASON)
        return


def start_watch(
    websocket: WebSocket, principal: Principal, resolve: Resolve, every: float
) -> asyncio.Task[None]:
    """The watch as a task (kept on the connection's state, so it lives as long)."""
    task = asyncio.create_task(watch(websocket, principal, resolve, every))
    websocket.state.proctor_watch = task
    return task


__all__ = ["CLOSE_CODE", "start_watch", "watch"]
