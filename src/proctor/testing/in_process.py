"""`InProcessServer`: the real server app in this process, reached without a socket.

The app is `proctor.server.app.create_app` with its real database and its lifespan
(connect, migrate, build the GraphQL endpoint), run on an event loop in a background
thread. Clients reach it through an httpx transport that hands each request to the app on
that loop, so a blocking `Client` and an `AsyncClient` (on any loop of the caller's) both
work, with exactly the code that talks to a real server over a socket:

    with InProcessServer(tmp_path) as server:
        with server.client() as client:
            client.create_project("demo")

Each server has its own `url` (`http://in-process-N.proctor.test`), registered while it
runs: a `Client(server.url)` made anywhere in this process without a transport (by the
CLI, by `flow.register(api_url=...)`) reaches it too.

Use it for tests of what the API answers; use `ServerProcess` for what a process does
(a crash, a restart, a long poll over a real connection, websocket subscriptions, other
processes such as agents' flow runs, which cannot reach a server inside this one).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import itertools
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from proctor.client._local import register_local_server, unregister_local_server

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from proctor.client import AsyncClient, Client
    from proctor.settings import Settings

IN_PROCESS_URL = "http://in-process-{number}.proctor.test"
_numbers = itertools.count(1)


class InProcessUnsupported(RuntimeError):
    """What an in-process server cannot do (websockets); says which harness can."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} is not supported by InProcessServer (no socket): "
            "use proctor.testing.ServerProcess, a real server on a loopback port"
        )


class InProcessServer:
    """The server app on a background event loop; `client()` / `async_client()` reach it.

    `database` is a database URL, or a directory that gets a SQLite file `proctor.db`
    (and serves as the server's home). `home` defaults to that directory, or to a
    temporary one removed by `stop()`. `auth` turns auth mode on (clients then need an
    API key). `background=True` starts the background services (scheduler, Lazarus, ...)
    as a real server does; off by default so a test sees only what it asked for.
    `settings` overrides more settings by name, as `proctor.settings.temporary_settings`
    takes them (e.g. `{"server_limits_max_page_size": "5"}`).

    An exception inside the app is raised in the caller, with its traceback, where a real
    server would answer 500: a test sees the bug, not a status code.
    """

    def __init__(
        self,
        database: str | Path,
        *,
        home: Path | None = None,
        auth: bool = False,
        background: bool = False,
        settings: Mapping[str, str | None] | None = None,
    ) -> None:
        if isinstance(database, Path):
            self.database_url = f"sqlite+aiosqlite:///{database / 'proctor.db'}"
            home = home if home is not None else database
        elif "://" in database:
            self.database_url = database
        else:
            raise ValueError(
                f"{database!r} is not a database URL: pass a URL such as "
                "'sqlite+aiosqlite:///path/to/proctor.db', or a directory as a Path"
            )
        # Without a home, start() makes a temporary one and stop() removes it.
        self.home: Path | None = home
        self._temporary_home: tempfile.TemporaryDirectory[str] | None = None
        self.auth = auth
        self.background = background
        self.overrides = dict(settings or {})
        # One URL per server: clients made elsewhere for it (`Client(url)` in the CLI,
        # `flow.register(api_url=...)`) find it through `proctor.client._local`.
        self.url = IN_PROCESS_URL.format(number=next(_numbers))
        self._app: Starlette | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopping: asyncio.Event | None = None
        self._failure: BaseException | None = None

    # -- life cycle --------------------------------------------------------------------

    def __enter__(self) -> InProcessServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def app(self) -> Starlette:
        """The running ASGI app (for tests that look at `app.state`)."""
        if self._app is None:
            raise RuntimeError("the in-process server is not started: call start() first")
        return self._app

    @property
    def running(self) -> bool:
        return self._loop is not None and self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 120.0) -> str:
        """Build the app and run its start-up; returns `url` once GraphQL answers.

        A start-up failure (an unreachable database, a failed migration) is raised here.
        """
        if self.running:
            raise RuntimeError("the in-process server is already running")
        from proctor.server.app import create_app

        if self.home is None:
            self._temporary_home = tempfile.TemporaryDirectory(prefix="proctor-in-process-")
            self.home = Path(self._temporary_home.name)
        started: concurrent.futures.Future[None] = concurrent.futures.Future()
        try:
            self._app = create_app(self._settings(), background=self.background)
            self._thread = threading.Thread(
                target=self._serve,
                args=(self._app, started),
                name="proctor-in-process",
                daemon=True,
            )
            self._thread.start()
            started.result(timeout)
            register_local_server(self.url, self)
        except BaseException:
            self.stop()
            raise
        return self.url

    def stop(self, timeout: float = 60.0) -> None:
        """Run the app's shutdown (long polls answer at once) and end its loop thread."""
        unregister_local_server(self.url)
        loop, stopping, thread = self._loop, self._stopping, self._thread
        if loop is not None and stopping is not None and not loop.is_closed():
            # The loop may end between the check and the call (a failed start-up).
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stopping.set)
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                raise RuntimeError(f"the in-process server did not stop within {timeout} s")
        self._loop = self._stopping = self._thread = self._app = None
        if self._temporary_home is not None:
            self._temporary_home.cleanup()
            self._temporary_home = None
            self.home = None
        failure, self._failure = self._failure, None
        if failure is not None:
            raise RuntimeError("the in-process server failed after its start-up") from failure

    def _settings(self) -> Settings:
        from proctor.settings import temporary_settings

        overrides: dict[str, str | None] = {
            "home": str(self.home),
            "server_database_url": self.database_url,
            "server_auth_enabled": "true" if self.auth else "false",
            **self.overrides,
        }
        # The settings are read once, here; the environment is restored on leaving.
        with temporary_settings(**overrides) as settings:
            return settings

    def _serve(self, app: Starlette, started: concurrent.futures.Future[None]) -> None:
        try:
            asyncio.run(self._host(app, started))
        except BaseException as error:
            # A start-up failure reaches start(); a later one (in the shutdown) stop().
            if not started.done():
                started.set_exception(error)
            else:
                self._failure = error

    async def _host(self, app: Starlette, started: concurrent.futures.Future[None]) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = stopping = asyncio.Event()
        async with app.router.lifespan_context(app):
            # The rest of the start-up (the GraphQL endpoint, the background services)
            # runs in `warm_up`; a real server announces itself once it is done.
            await app.state.warm_up
            started.set_result(None)
            await stopping.wait()
            app.state.begin_shutdown()

    # -- reaching it -------------------------------------------------------------------

    def transport(self) -> httpx.BaseTransport:
        """A transport for `httpx.Client` / `proctor.client.Client`."""
        return InProcessTransport(self)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """A transport for `httpx.AsyncClient` / `proctor.client.AsyncClient`, usable
        from any event loop (requests still run on the server's own loop)."""
        return AsyncInProcessTransport(self)

    def client(self, **options: Any) -> Client:
        """A `Client` on this server; `options` are `Client`'s (api_key, retry, ...)."""
        from proctor.client import Client

        return Client(self.url, transport=self.transport(), **options)

    def async_client(self, **options: Any) -> AsyncClient:
        """An `AsyncClient` on this server; `options` are `AsyncClient`'s."""
        from proctor.client import AsyncClient

        return AsyncClient(self.url, transport=self.async_transport(), **options)

    @property
    def websocket_url(self) -> str:
        """Never available: subscriptions need a socket (see `ServerProcess`)."""
        raise InProcessUnsupported("a websocket (GraphQL subscriptions)")

    def submit(
        self, request: httpx.Request
    ) -> concurrent.futures.Future[tuple[int, httpx.Headers, bytes]]:
        """Hand `request` (its body already read) to the app on the server's loop."""
        loop = self._loop
        if loop is None or not self.running or self._app is None:
            raise httpx.ConnectError("the in-process server is not running", request=request)
        if request.headers.get("upgrade", "").lower() == "websocket":
            raise InProcessUnsupported("a websocket (GraphQL subscriptions)")
        return asyncio.run_coroutine_threadsafe(_exchange(self._app, request), loop)


async def _exchange(app: Starlette, request: httpx.Request) -> tuple[int, httpx.Headers, bytes]:
    """One request through httpx's ASGI transport, its raw (still encoded) body read."""
    response = await httpx.ASGITransport(app=app).handle_async_request(request)
    try:
        body = b"".join([chunk async for chunk in response.aiter_raw()])
    finally:
        await response.aclose()
    return response.status_code, response.headers, body


def _copy(request: httpx.Request, content: bytes) -> httpx.Request:
    # A fresh request whose body is plain bytes, readable on any loop or thread.
    return httpx.Request(
        request.method,
        request.url,
        headers=request.headers,
        content=content,
        extensions=request.extensions,
    )


def _read_timeout(request: httpx.Request) -> float | None:
    timeouts = request.extensions.get("timeout") or {}
    value = timeouts.get("read")
    return float(value) if value is not None else None


def _timed_out(request: httpx.Request) -> httpx.ReadTimeout:
    return httpx.ReadTimeout("the in-process server did not answer in time", request=request)


def _stopped(request: httpx.Request) -> httpx.ReadError:
    # The server stopped with the request in flight (its loop cancelled it): to a client
    # that is a connection closed before the answer, as with a real server going away.
    return httpx.ReadError("the in-process server stopped before answering", request=request)


def _response(request: httpx.Request, answer: tuple[int, httpx.Headers, bytes]) -> httpx.Response:
    status, headers, body = answer
    return httpx.Response(status, headers=headers, stream=httpx.ByteStream(body), request=request)


class InProcessTransport(httpx.BaseTransport):
    """Blocking transport: waits for the app's answer, honouring the read timeout as a
    socket would (`httpx.ReadTimeout`, which the client maps to `ServerUnavailable`)."""

    def __init__(self, server: InProcessServer) -> None:
        self.server = server

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        future = self.server.submit(_copy(request, request.read()))
        try:
            answer = future.result(_read_timeout(request))
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise _timed_out(request) from None
        except concurrent.futures.CancelledError:
            raise _stopped(request) from None
        return _response(request, answer)


class AsyncInProcessTransport(httpx.AsyncBaseTransport):
    """Async transport: the caller's loop awaits the answer computed on the server's."""

    def __init__(self, server: InProcessServer) -> None:
        self.server = server

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        future = self.server.submit(_copy(request, await request.aread()))
        try:
            answer = await asyncio.wait_for(asyncio.wrap_future(future), _read_timeout(request))
        except TimeoutError:
            future.cancel()
            raise _timed_out(request) from None
        except asyncio.CancelledError:
            if not future.cancelled():
                raise  # the caller's own task was cancelled
            raise _stopped(request) from None
        return _response(request, answer)


__all__ = [
    "IN_PROCESS_URL",
    "AsyncInProcessTransport",
    "InProcessServer",
    "InProcessTransport",
    "InProcessUnsupported",
]
