"""`Deferred`: an ASGI endpoint built in a worker thread while the server starts.

The GraphQL endpoint needs strawberry's execution machinery, every resolver module and
the schema itself: a large share of the server's start-up, and nothing `/health` needs.
`start()` builds it in a thread while the event loop goes on connecting the database
and uvicorn starts listening; a request that arrives before the build finished waits
for it (and a build that failed answers every request with the same error).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send


class Deferred:
    """An ASGI app made by `build()` (run once, in a thread) on first need."""

    def __init__(self, build: Callable[[], ASGIApp], name: str) -> None:
        self._build = build
        self._name = name
        self._future: concurrent.futures.Future[ASGIApp] | None = None
        self._lock = threading.Lock()

    def start(self) -> concurrent.futures.Future[ASGIApp]:
        """Begin building (idempotent); the future of the built app."""
        with self._lock:
            if self._future is None:
                future: concurrent.futures.Future[ASGIApp] = concurrent.futures.Future()
                # A running future cannot be cancelled: a waiter that gives up (a shutdown
                # during start-up) does not take the result away from the others.
                future.set_running_or_notify_cancel()
                thread = threading.Thread(
                    target=self._run, args=(future,), name=f"build-{self._name}", daemon=True
                )
                self._future = future
                thread.start()
            return self._future

    def _run(self, future: concurrent.futures.Future[ASGIApp]) -> None:
        try:
            future.set_result(self._build())
        except BaseException as exc:  # handed to whoever waits for the app
            future.set_exception(exc)

    async def ready(self) -> ASGIApp:
        """The built app (waits for the build; raises its error if it failed)."""
        future = self.start()
        if future.done():
            return future.result()
        return await asyncio.wrap_future(future)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = await self.ready()
        await app(scope, receive, send)


__all__ = ["Deferred"]
