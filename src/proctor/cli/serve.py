"""Running the server process: uvicorn around `create_app`, announcing the ready URL.

The URL is printed only once uvicorn has bound its socket *and* the app's start-up
(database connection and migrations, then the GraphQL endpoint and the background
services, which finish while the socket already answers /health) is done, so "printed"
means "ready": tests and scripts wait for that line instead of polling. With port 0, the
line has the real port.
"""

from __future__ import annotations

import asyncio
import sys
import webbrowser
from typing import Any

READY_PREFIX = "Proctor server ready at "


def _bound_url(server: object, host: str) -> str:
    sockets = [sock for s in getattr(server, "servers", []) for sock in s.sockets]
    port = sockets[0].getsockname()[1] if sockets else 0
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _freeze_long_lived_objects() -> None:
    """Leave what start-up built (modules, the GraphQL schema, SQLAlchemy's mappers and
    compiled statements...) out of the garbage collector's full passes: it lives as long
    as the process, and walking its ~150,000 objects made every full pass a pause of
    ~100 ms under load. Not collected first: a full pass at that point found no garbage
    and cost 0.13 s of the start-up."""
    import gc

    gc.freeze()


def _clean_startup_failure(app: Any) -> Any:
    """The app, with a start-up failure the operator can fix (`StartupFailed`) reported
    as its one-line message: uvicorn would otherwise print the whole traceback."""

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await app(scope, receive, send)
            return

        async def send_clean(message: Any) -> None:
            explained = getattr(app.state, "startup_error", None)
            if message["type"] == "lifespan.startup.failed" and explained:
                message = {**message, "message": explained}
            await send(message)

        await app(scope, receive, send_clean)

    return wrapped


def serve(*, open_browser: bool, log_level: str = "warning") -> int:
    """Run until interrupted; the exit code of the process."""
    import uvicorn

    from proctor.server.app import create_app
    from proctor.settings import get_settings

    settings = get_settings()
    app = create_app(settings)
    config = uvicorn.Config(
        _clean_startup_failure(app),
        host=settings.server.host,
        port=settings.server.port,
        log_level=log_level,
        lifespan="on",
        ws="websockets-sansio",
        proxy_headers=False,
        server_header=False,
    )
    server = uvicorn.Server(config)

    failed = False

    async def announce() -> None:
        nonlocal failed
        while not server.started:
            if server.should_exit:
                return
            await asyncio.sleep(0.01)
        # Listening (so /health answers); the app finishes its start-up meanwhile.
        try:
            await app.state.warm_up
        except Exception:  # logged by the app
            failed = server.should_exit = True
            return
        _freeze_long_lived_objects()
        url = _bound_url(server, settings.server.host)
        print(f"{READY_PREFIX}{url} (GraphQL: {url}/graphql)", flush=True)
        if open_browser:
            webbrowser.open(url)
        # uvicorn waits for requests in flight before it shuts the app down; tell the app
        # at once, so agents' long-polls answer now instead of holding the exit up.
        while not server.should_exit:
            await asyncio.sleep(0.05)
        app.state.begin_shutdown()

    async def main() -> bool:
        watcher = asyncio.create_task(announce())
        try:
            await server.serve()
        finally:
            watcher.cancel()
        return server.started

    try:
        started = asyncio.run(main())
    except SystemExit:  # uvicorn exits when the app's start-up failed (error shown)
        if server.started:
            raise
        started = False
    if not started or failed:
        print("Proctor server did not start (see the error above)", file=sys.stderr)
        return 1
    return 0


__all__ = ["READY_PREFIX", "serve"]
