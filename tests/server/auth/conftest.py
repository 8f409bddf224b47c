"""Fixtures of the auth tests: an auth-mode app in process, on both databases.

    auth_settings   settings with auth mode on and argon2 at its cheapest
    auth_app        `create_app(auth_settings, database=...)` with its lifespan running
    http            an httpx client on `auth_app` (no socket; keeps cookies)

Everything that touches a database runs twice: [sqlite] and [postgresql].
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from tests.server.auth.helpers import CHEAP_ARGON2

from proctor.server.app import create_app
from proctor.server.database import Database
from proctor.settings import Settings, temporary_settings

BASE_URL = "http://proctor.test"


@pytest.fixture(autouse=True)
def _database_templates(request: pytest.FixtureRequest) -> None:
    """Build the database templates before any event loop runs (see tests/server/api)."""
    callspec = getattr(request.node, "callspec", None)
    dialect = callspec.params.get("database_url") if callspec is not None else None
    if dialect == "sqlite":
        request.getfixturevalue("sqlite_template")
    elif dialect == "postgresql":
        request.getfixturevalue("postgres_module_url")


def auth_settings_for(**overrides: Any) -> Iterator[Settings]:
    with temporary_settings(server_auth_enabled="true", **{**CHEAP_ARGON2, **overrides}) as s:
        yield s


@pytest.fixture
def auth_settings() -> Iterator[Settings]:
    yield from auth_settings_for(server_auth_login_attempts="3")


@pytest.fixture
async def auth_app(auth_settings: Settings, database: Database) -> AsyncIterator[Starlette]:
    application = create_app(auth_settings, database=database, background=False)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def http(auth_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=auth_app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield client
