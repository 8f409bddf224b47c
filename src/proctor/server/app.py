"""The ASGI application: `create_app()` wires the database, the event bus and the routes.

    /graphql   POST queries and mutations; GET from a browser: GraphiQL;
               websocket (graphql-transport-ws): subscriptions
    /health    200 when the database answers, 503 otherwise (JSON)
    /metrics   Prometheus text format (per-app registry)
    /          the web UI (`ui_dist/` when built, a placeholder page until then)

Start-up (the lifespan) connects the database, runs the migrations, starts the event bus
(and its cross-replica bridge on PostgreSQL) and the background services (scheduler,
Lazarus, zombie killer); shutdown undoes it in reverse. Everything a request needs hangs
off `app.state.api` (an `ApiState`), never off module globals, so tests can run several
apps side by side.

A server that starts shutting down should call `app.state.begin_shutdown()` as soon as it
knows (the CLI's `serve` does, when uvicorn is told to exit): agents' long-polls then
answer at once instead of making the shutdown wait for them.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection
from starlette.routing import Mount, Route, WebSocketRoute

from proctor._version import __version__
from proctor.server.api import build_schema
from proctor.server.api.context import ApiContext, ApiState
from proctor.server.api.http import ProctorGraphQL
from proctor.server.api.limits import ApiLimits
from proctor.server.web.health import health_endpoint
from proctor.server.web.metrics import Metrics, MetricsMiddleware, metrics_endpoint
from proctor.server.web.startup import safe_url
from proctor.server.web.ui import UIApp

logger = logging.getLogger("proctor.server")


def create_app(
    settings: Any = None,
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
    limits = ApiLimits.from_settings(settings)
    metrics = Metrics()
    schema = build_schema(limits)

    async def context_for(connection: HTTPConnection) -> ApiContext:
        state: ApiState = connection.app.state.api
        return await state.context_for(connection)

    graphql = ProctorGraphQL(
        schema,
        context_factory=context_for,
        max_body_bytes=lambda scope: _limits_of(scope, limits).max_body_bytes,
        allowed_origins=allowed_origins,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            state = await _start(settings, database, limits, stack, background=background)
            app.state.api = state
            logger.info("Proctor server ready (database %s)", safe_url(settings.database_url))
            yield
            state.stopping.set()

    def begin_shutdown() -> None:
        state = getattr(app.state, "api", None)
        if isinstance(state, ApiState):
            state.stopping.set()

    async def count_runs() -> dict[str, int]:
        return await _runs_by_state(app.state.api)

    async def pool_status() -> dict[str, Any]:
        return dict(app.state.api.database.pool_status())

    async def database_health() -> Any:
        return await app.state.api.database.health()

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/health", health_endpoint(database_health, __version__), methods=["GET"]),
            Route("/metrics", metrics_endpoint(metrics, count_runs, pool_status), methods=["GET"]),
            Mount("/", app=UIApp(ui_dir)),
        ],
        middleware=[Middleware(MetricsMiddleware, metrics=metrics)],
        lifespan=lifespan,
    )
    app.state.metrics = metrics
    app.state.settings = settings
    app.state.begin_shutdown = begin_shutdown
    return app


async def _start(
    settings: Any, database: Any, limits: ApiLimits, stack: AsyncExitStack, *, background: bool
) -> ApiState:
    """Connect and migrate the database, start the background services; register their
    shutdown on `stack`."""
    from proctor.server.web.startup import default_tenant_id, open_database, start_background

    db = await open_database(settings, database, stack)
    if background:
        await start_background(settings, db, stack)
    return ApiState(
        database=db,
        events=db.events,
        limits=limits,
        default_tenant_id=default_tenant_id(db),
    )


def _limits_of(scope: Any, default: ApiLimits) -> ApiLimits:
    """The limits of the app serving `scope` (tests and, later, teams may change them)."""
    state = getattr(getattr(scope.get("app"), "state", None), "api", None)
    return state.limits if isinstance(state, ApiState) else default


async def _runs_by_state(state: ApiState) -> dict[str, int]:
    from proctor.server.api.loaders import runs_by_state

    return await runs_by_state(state.database, state.default_tenant_id)


__all__ = ["create_app"]
