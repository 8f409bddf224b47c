"""`/health`: 200 when the database answers, 503 otherwise, JSON either way.

Load balancers and `proctor server start` (waiting for readiness) poll it; it must be
cheap and must never raise, so any failure of the check is a 503 with the reason.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

logger = logging.getLogger("proctor.server.health")

HealthCheck = Callable[[], Awaitable[Any]]


def health_endpoint(
    check: HealthCheck, version: str, *, timeout: float = 5.0
) -> Callable[[Request], Awaitable[JSONResponse]]:
    """The `/health` route around a database check (`Database.health`)."""

    async def endpoint(_request: Request) -> JSONResponse:
        started = time.perf_counter()
        try:
            detail = await asyncio.wait_for(check(), timeout)
        except Exception as error:
            logger.warning("health check failed: %s", error)
            return JSONResponse(
                {
                    "status": "unavailable",
                    "database": "down",
                    "error": str(error) or type(error).__name__,
                    "version": version,
                },
                status_code=503,
            )
        healthy = not (
            detail is False
            or (isinstance(detail, dict) and detail.get("database") not in (None, "ok"))
        )
        body: dict[str, Any] = {
            "status": "ok" if healthy else "unavailable",
            "database": "up" if healthy else "down",
            "version": version,
            "latency_ms": round((time.perf_counter() - started) * 1000, 2),
        }
        if isinstance(detail, dict):
            body["details"] = detail
        return JSONResponse(body, status_code=200 if healthy else 503)

    return endpoint


__all__ = ["health_endpoint"]
