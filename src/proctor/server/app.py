"""The ASGI application: `create_app()` wires the database, the event bus and the routes.

    /graphql   POST queries and mutations; GET from a browser: GraphiQL;
               websocket (graphql-transport-ws): subscriptions
    /health    200 when the database answers, 503 otherwise (JSON; checked in the
               background every second, see `web.health_prober`)
    /metrics   Prometheus text format (per-app registry)
    /auth/*    login, logout, me (auth mode; see `proctor.server.web.auth_routes`)
    /          the web UI (`ui_dist/` when built, a placeholder page until then)

Start-up (the lifespan) connects the database, runs the migrations, starts the event bus
(and its cross-replica bridge on PostgreSQL); the GraphQL endpoint is built in a thread
meanwhile, and the background services (scheduler, Lazarus, zombie killer, ...) start
once it is ready, while uvicorn already listens (`app.state.warm_up` is that last step).
Shutdown undoes it all in reverse. Everything a request needs hangs off `app.state.api`
(an `ApiState`), never off module globals, so tests can run several apps side by side.

A server that starts shutting down should call `app.state.begin_shutdown()` as soon as it
knows (the CLI's `serve` does, when uvicorn is told to exit): agents' long-polls then
answer at once instead of making the shutdown wait for them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection
from starlette.routing import Mount, Route, WebSocketRoute

from proctor._version import __version__
from proctor.server.api.context import ApiContext, ApiState
from proctor.server.api.request_limit_values import RequestLimits
from proctor.server.errors import StartupFailed
from proctor.server.web.auth_routes import auth_routes
from proctor.server.web.deferred import Deferred
from proctor.server.web.health import health_endpoint
from proctor.server.web.health_prober import HealthProber
from proctor.server.web.metrics import Metrics, MetricsMiddleware, metrics_endpoint
from proctor.server.web.retention_metrics import RetentionCollector
from proctor.server.web.security_headers import SecurityHeadersMiddleware
from proctor.server.web.startup import safe_url
from proctor.server.web.ui import UIApp
from proctor.settings import Settings

logger = logging.getLogger("proctor.server")


def create_app(
    settings: Settings | None = None,
    database: Any = None,
    *,
    ui_dir: Any = None,
    allowed_origins: tuple[str, ...] = (),
    background: bool = True,
) -> Starlette:
    """Build the server app.

    `settings` defaults to `get_settings()`. `database` lets a caller (tests, an embedding
    program) pass a `Database` it owns: the app then connects and migrates it but leaves
    disposing it to the owner. Websockets from pages on other origins are refused unless
    listed in `allowed_origins` (the UI is served from the same origin, so it needs none).
    `background=False` leaves the background services off whatever the settings say
    (tests that drive them by hand).
    """
    from proctor.settings import get_settings

    settings = settings or get_settings()
    request_limits = RequestLimits.from_settings(settings)
    metrics = Metrics()

    async def context_for(connection: HTTPConnection) -> ApiContext:
        from proctor.server.auth.resolve import CsrfRefused

        state: ApiState = connection.app.state.api
        try:
            return await state.context_for(connection)
        except CsrfRefused as refused:
            raise HTTPException(403, str(refused)) from None

    async def on_connect(context: ApiContext) -> None:
        assert context.connection is not None
        state: ApiState = context.connection.app.state.api
        await state.on_ws_connect(context)

    def build_graphql() -> Any:
        from proctor.server.api import build_schema
        from proctor.server.api.http import ProctorGraphQL
        from proctor.server.web.ui import graphiql_page

        if background:
            import proctor.server.background  # noqa: F401  (imported here, off the loop)
        return ProctorGraphQL(
            build_schema(request_limits),
            context_factory=context_for,
            max_body_bytes=lambda scope: _request_limits_of(scope, request_limits).max_body_bytes,
            max_request_seconds=lambda scope: (
                _request_limits_of(scope, request_limits).max_request_seconds
            ),
            allowed_origins=allowed_origins,
            on_connect=on_connect,
            ide_page=lambda: graphiql_page(ui_dir),
        )

    # Built in a thread once the database is ready (see `web.deferred`): /health answers
    # while it is built, GraphQL requests wait for it.
    graphql = Deferred(build_graphql, "graphql")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            try:
                state = await _start(settings, database, request_limits, stack, background=False)
            except StartupFailed as error:
                # `serve` shows this message instead of the traceback.
                app.state.startup_error = error.message
                raise
            app.state.api = state
            app.state.health = await _start_health(state, stack)
            # The rest (GraphQL endpoint, then the background services) finishes while
            # uvicorn starts listening; `serve` announces the server once it is done.
            warm_up = asyncio.create_task(
                _warm_up(graphql, settings, state.database, stack, background=background)
            )
            app.state.warm_up = warm_up
            yield
            state.stopping.set()
            warm_up.cancel()
            await asyncio.gather(warm_up, return_exceptions=True)

    def begin_shutdown() -> None:
        state = getattr(app.state, "api", None)
        if isinstance(state, ApiState):
            state.stopping.set()

    async def count_runs() -> dict[str, int]:
        return await _runs_by_state(app.state.api)

    async def pool_status() -> dict[str, Any]:
        return dict(app.state.api.database.pool_status())

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route(
                "/health",
                health_endpoint(lambda: getattr(app.state, "health", None), __version__),
                methods=["GET"],
            ),
            Route("/metrics", metrics_endpoint(metrics, count_runs, pool_status), methods=["GET"]),
            *auth_routes(),
            Mount("/", app=UIApp(ui_dir)),
        ],
        middleware=[
            Middleware(MetricsMiddleware, metrics=metrics),
            Middleware(SecurityHeadersMiddleware),  # CSP, nosniff, no framing: every response
        ],
        lifespan=lifespan,
    )
    # Retention counters, read from the service's totals when scraped.
    metrics.registry.register(
        RetentionCollector(lambda: getattr(getattr(app.state, "api", None), "database", None))
    )
    app.state.metrics = metrics
    app.state.settings = settings
    app.state.begin_shutdown = begin_shutdown
    return app


async def _start_health(state: ApiState, stack: AsyncExitStack) -> HealthProber:
    """The prober `/health` answers from: the database is checked in the background,
    never on the request path (see `web.health_prober`); stopped before the database."""
    prober = HealthProber(state.database.health, quick=state.database.quick_health)
    await prober.start()
    stack.push_async_callback(prober.stop)
    return prober


async def _warm_up(
    graphql: Deferred, settings: Settings, db: Any, stack: AsyncExitStack, *, background: bool
) -> None:
    """What the server finishes while it starts listening: the GraphQL endpoint, then the
    background services. Not earlier: the build thread and the services' first passes
    would compete with the database start-up for the interpreter."""
    try:
        await graphql.ready()
        if background:
            from proctor.server.web.startup import start_background

            await start_background(settings, db, stack)
    except Exception:
        logger.exception("Proctor server start-up failed")
        raise
    logger.info("Proctor server ready (database %s)", safe_url(settings.database_url))


async def _start(
    settings: Settings,
    database: Any,
    request_limits: RequestLimits,
    stack: AsyncExitStack,
    *,
    background: bool,
) -> ApiState:
    """Connect and migrate the database, start the background services; register their
    shutdown on `stack`."""
    from proctor.server.web.startup import (
        default_tenant_id,
        open_database,
        start_background,
        start_secrets_and_audit,
    )

    db = await open_database(settings, database, stack)
    await start_secrets_and_audit(settings, db, stack)
    if background:
        await start_background(settings, db, stack)
    authenticator = None
    if settings.server.auth.enabled:
        from proctor.server.auth.resolve import Authenticator

        authenticator = Authenticator(db, settings.server.auth)
    return ApiState(
        database=db,
        events=db.events,
        request_limits=request_limits,
        default_tenant_id=default_tenant_id(db),
        authenticator=authenticator,
    )


def _request_limits_of(scope: Any, default: RequestLimits) -> RequestLimits:
    """The request limits of the app serving `scope` (tests and, later, teams may change them)."""
    state = getattr(getattr(scope.get("app"), "state", None), "api", None)
    return state.request_limits if isinstance(state, ApiState) else default


async def _runs_by_state(state: ApiState) -> dict[str, int]:
    from proctor.server.api.loaders import runs_by_state

    return await runs_by_state(state.database, state.default_tenant_id)


__all__ = ["create_app"]
