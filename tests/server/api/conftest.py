"""Fixtures for the GraphQL API tests: the ASGI app in process, on both databases.

    app      `create_app(database=...)` with its lifespan running (connect + migrate);
             its background services are off (their tests drive them by hand)
    http     an httpx client talking to `app` through `httpx.ASGITransport` (no socket)
    gql      `await gql(query, variables)` -> the response JSON (asserts HTTP 200)
    api      a `proctor.client.AsyncClient` on the same transport

Every test using them runs twice: [sqlite] and [postgresql] (see tests/server/conftest.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from proctor.client import AsyncClient, RetryPolicy
from proctor.server.app import create_app
from proctor.server.database import Database
from proctor.settings import get_settings


@pytest.fixture(autouse=True)
def _database_templates(request: pytest.FixtureRequest) -> None:
    """Build the session/module database templates before any event loop runs.

    They are made with `asyncio.run`, which cannot run inside the loop of an async fixture
    that would otherwise ask for them lazily.
    """
    callspec = getattr(request.node, "callspec", None)
    dialect = callspec.params.get("database_url") if callspec is not None else None
    if dialect == "sqlite":
        request.getfixturevalue("sqlite_template")
    elif dialect == "postgresql":
        request.getfixturevalue("postgres_module_url")


@pytest.fixture
async def app(database: Database) -> AsyncIterator[Starlette]:
    application = create_app(get_settings(), database=database, background=False)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def api(app: Starlette) -> AsyncIterator[AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with AsyncClient(
        "http://proctor.test", transport=transport, retry=RetryPolicy(attempts=1)
    ) as client:
        yield client
