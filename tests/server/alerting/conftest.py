"""Fixtures of the alerting tests: real receivers on loopback, and the ASGI app with its
background services (matcher, notifier, SLA watcher...) running on both databases.

    webhook       an HTTP receiver recording every request (see receivers.py)
    smtp          an aiosmtpd server recording every message
    settings      fast notifier settings pointing at `smtp` (retries after 0.3 s, ...)
    app           `create_app` on `database` with background services ON
    gql           `await gql(query, variables)` -> the response JSON
    flow          a registered flow (project "proj"), as its FlowVersion record
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from starlette.applications import Starlette
from tests.server.alerting.receivers import HttpReceiver, SmtpReceiver

from proctor.server.app import create_app
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.services.flows import register_flow
from proctor.settings import temporary_settings

UI_URL = "http://proctor.example:4200"


def fast_settings(smtp_port: int, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "server_services_notifier_loop_seconds": 0.2,
        "server_services_notifier_timeout_seconds": 2,
        "server_services_notifier_retry_base_seconds": 0.3,
        "server_services_notifier_retry_max_seconds": 2,
        "server_services_notifier_max_attempts": 30,
        "server_services_notifier_ui_url": UI_URL,
        "server_services_notifier_smtp_host": "127.0.0.1",
        "server_services_notifier_smtp_port": smtp_port,
        "server_services_notifier_smtp_from_address": "alerts@proctor.example",
        "server_services_sla_loop_seconds": 0.3,
    }
    values.update(overrides)
    return values


@pytest.fixture(autouse=True)
def _database_templates(request: pytest.FixtureRequest) -> None:
    """Build the database templates before any event loop runs (see tests/server/api)."""
    callspec = getattr(request.node, "callspec", None)
    params = callspec.params if callspec is not None else {}
    dialect = params.get("database_url")
    if dialect == "sqlite":
        request.getfixturevalue("sqlite_template")
    elif dialect == "postgresql" or "postgres_url" in request.fixturenames:
        request.getfixturevalue("postgres_module_url")


@pytest.fixture
def webhook() -> Iterator[HttpReceiver]:
    receiver = HttpReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    receiver = SmtpReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def settings(smtp: SmtpReceiver) -> Iterator[Any]:
    with temporary_settings(**fast_settings(smtp.port)) as configured:
        yield configured


@pytest.fixture
async def app(database: Database, settings: Any) -> AsyncIterator[Starlette]:
    application = create_app(settings, database=database, background=True)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def flow(database: Database, flow_spec: Callable[..., dict[str, Any]]) -> Any:
    result = await register_flow(
        database, DEFAULT_TENANT_ID, "proj", flow_spec(), create_project=True
    )
    return result.flow
