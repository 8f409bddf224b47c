"""`/health`: 200 when the database answers, 503 otherwise, JSON either way.

Load balancers and `proctor server start` (waiting for readiness) poll it; it must be
cheap and must never raise, so any failure is a 503 with the reason. It answers from the
`HealthProber`'s record (`health_prober.py`: the database is checked in the background
every second), so a busy server does not make its own health check time out.

    200 {"status": "ok", "database": "up", "version", "latency_ms", "checked_ms_ago",
         "details": {"database": "ok", "dialect", "revision", "head"}}
    503 {"status": "unavailable", "database": "down", "version", ...,
         "details": {..., "error", "reason"}}  (the check answered "error")
     or {"status": "unavailable", "database": "down", "version", "error": "..."}
         (the check raised or timed out, no check has finished lately, or no prober yet)

`latency_ms` is how long the last database check took; `checked_ms_ago` how old it is.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from proctor.server.web.health_prober import HealthProber

logger = logging.getLogger("proctor.server.health")


def health_endpoint(
    prober_of: Callable[[], HealthProber | None], version: str
) -> Callable[[Request], Awaitable[JSONResponse]]:
    """The `/health` route answering from the prober `prober_of()` returns (None before
    the app has started one: 503)."""

    async def endpoint(_request: Request) -> JSONResponse:
        prober = prober_of()
        if prober is None:
            return _down(version, "the server is starting: no database check yet")
        try:
            verdict = await prober.verdict()
        except Exception as error:  # never a 500 from /health
            logger.warning("health verdict failed: %s", error)
            return _down(version, str(error) or type(error).__name__)
        body: dict[str, Any] = {
            "status": "ok" if verdict.healthy else "unavailable",
            "database": "up" if verdict.healthy else "down",
            "version": version,
        }
        if verdict.probe is not None:
            body["latency_ms"] = verdict.probe.latency_ms
        if verdict.age_seconds is not None:
            body["checked_ms_ago"] = round(verdict.age_seconds * 1000, 1)
        if verdict.error is not None:
            body["error"] = verdict.error
        if verdict.detail is not None:
            body["details"] = verdict.detail
        return JSONResponse(body, status_code=200 if verdict.healthy else 503)

    return endpoint


def _down(version: str, error: str) -> JSONResponse:
    return JSONResponse(
        {"status": "unavailable", "database": "down", "error": error, "version": version},
        status_code=503,
    )


__all__ = ["health_endpoint"]
