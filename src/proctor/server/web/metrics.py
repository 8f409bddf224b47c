"""Prometheus metrics of one app: request counts and latency, runs by state, DB pool.

Each app owns its `CollectorRegistry`, so two apps in one process (tests) never share or
double-register metrics. Request metrics are recorded by `MetricsMiddleware` with a
bounded route label (the route's name, not the raw path, so `/flow-run/<id>` deep links
cannot explode the series count). Run and pool figures are read from the database when
`/metrics` is scraped: they cost one grouped count query per scrape and nothing per request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("proctor.server.metrics")

_KNOWN_ROUTES = ("/graphql", "/health", "/metrics")
_KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

RunCounter = Callable[[], Awaitable[dict[str, int]]]
PoolReader = Callable[[], Awaitable[dict[str, Any]] | dict[str, Any]]


def route_label(path: str) -> str:
    """The bounded label of a request path."""
    for route in _KNOWN_ROUTES:
        if path == route or path.startswith(route + "/"):
            return route
    return "/ui"


class Metrics:
    """The app's registry and the metrics in it."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "proctor_http_requests",
            "HTTP requests served, by route, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "proctor_http_request_duration_seconds",
            "Time to answer an HTTP request, by route.",
            ["route"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.flow_runs = Gauge(
            "proctor_flow_runs",
            "Flow runs by current state.",
            ["state"],
            registry=self.registry,
        )
        self.db_pool = Gauge(
            "proctor_db_pool",
            "Database connection pool figures (size, checked_in, checked_out, overflow).",
            ["figure"],
            registry=self.registry,
        )
        self.scrape_errors = Counter(
            "proctor_metrics_scrape_errors",
            "Scrapes for which a database figure could not be read.",
            registry=self.registry,
        )

    async def render(self, count_runs: RunCounter, pool_status: PoolReader) -> bytes:
        """Refresh the database figures and encode everything in the text format."""
        try:
            counts = await count_runs()
            self.flow_runs.clear()
            for state, count in counts.items():
                self.flow_runs.labels(state=state).set(count)
            pool = pool_status()
            if not isinstance(pool, dict):
                pool = await pool
            self.db_pool.clear()
            for figure, value in pool.items():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    self.db_pool.labels(figure=figure).set(value)
        except Exception:
            logger.warning("could not read database figures for /metrics", exc_info=True)
            self.scrape_errors.inc()
        return generate_latest(self.registry)


def metrics_endpoint(
    metrics: Metrics, count_runs: RunCounter, pool_status: PoolReader
) -> Callable[[Request], Awaitable[Response]]:
    """The `/metrics` route."""

    async def endpoint(_request: Request) -> Response:
        body = await metrics.render(count_runs, pool_status)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return endpoint


class MetricsMiddleware:
    """Counts and times every HTTP request (websockets are long-lived: not timed)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = route_label(scope.get("path", "/"))
            method = scope.get("method", "GET")
            self.metrics.requests.labels(
                route=route,
                method=method if method in _KNOWN_METHODS else "OTHER",
                status=str(status),
            ).inc()
            self.metrics.latency.labels(route=route).observe(time.perf_counter() - started)


__all__ = ["Metrics", "MetricsMiddleware", "metrics_endpoint", "route_label"]
