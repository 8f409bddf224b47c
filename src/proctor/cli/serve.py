"""Running the server process: uvicorn around `create_app`, announcing the ready URL.

The URL is printed only once uvicorn has bound its socket *and* the app's start-up
(database connection and migrations, then the GraphQL endpoint and the background
services, which finish while the socket already answers /health) is done, so "printed"
means "ready": tests and scripts wait for that line instead of polling. With port 0, the
line has the real port. The same URL goes to `PROCTOR_HOME/server.json` for clients on
this machine (`proctor.settings.local_server`), removed again when the server stops.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import sys
import webbrowser
from typing import Any

logger = logging.getLogger("proctor.server")

READY_PREFIX = "Proctor server ready at "


def _bound_port(server: object) -> int:
    sockets = [sock for s in getattr(server, "servers", []) for sock in s.sockets]
    return int(sockets[0].getsockname()[1]) if sockets else 0


def _bound_url(server: object, host: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{_bound_port(server)}"


def port_in_use(host: str, port: int) -> bool:
    """Whether binding `host:port` fails because something listens there already (the
    check uvicorn would fail on, made first so that the error can say what to do)."""
    if port == 0:
        return False
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind((host, port))
        except OSError as error:
            return error.errno == errno.EADDRINUSE
    return False


def _record(home: Any, host: str, port: int) -> None:
    """Tell clients on this machine where this server is (never fatal)."""
    from proctor.settings.local_server import local_url, record_local_server

    try:
        record_local_server(home, local_url(host, port))
    except OSError as error:
        logger.warning("could not record the server's URL in %s: %s", home, error)


def _forget(home: Any) -> None:
    from proctor.settings.local_server import forget_local_server

    try:
        forget_local_server(home)
    except OSError as error:
        logger.warning("could not remove the server's URL from %s: %s", home, error)


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
        _record(settings.home, settings.server.host, _bound_port(server))
        print(f"{READY_PREFIX}{url} (GraphQL: {url}/graphql)", flush=True)
        if open_browser:
            webbrowser.open(url)
        # uvicorn waits for requests in flight before it shuts the app down; tell the app
        # at once, so agents' long-polls answer now instead of holding the exit up.
        while not server.should_exit:
            await asyncio.sleep(0.05)
        # Forgotten here, not after `serve` returns: uvicorn re-raises the SIGTERM it
        # caught once it is done, which ends the process before anything after it runs.
        _forget(settings.home)
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


__all__ = ["READY_PREFIX", "port_in_use", "serve"]
