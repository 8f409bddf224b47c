"""Start-up: the GraphQL endpoint is built in a thread (`Deferred`) while the server
already listens; requests that come first wait for it, a failed build fails them all."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading

import httpx
import pytest
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send

from proctor.server.app import create_app
from proctor.server.database import Database
from proctor.server.web.deferred import Deferred
from proctor.settings import get_settings


def slow_app(release: threading.Event, builds: list[str]) -> Deferred:
    def build():
        release.wait(10)
        builds.append(threading.current_thread().name)

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            await PlainTextResponse("built")(scope, receive, send)

        return app

    return Deferred(build, "test")


async def test_requests_wait_for_the_build_which_runs_once_in_a_thread():
    release, builds = threading.Event(), []
    deferred = slow_app(release, builds)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=deferred), base_url="http://t"
    ) as http:
        waiting = [asyncio.create_task(http.get("/")) for _ in range(3)]
        await asyncio.sleep(0.05)
        assert not any(task.done() for task in waiting)  # still building
        release.set()
        answers = await asyncio.gather(*waiting)
    assert [answer.text for answer in answers] == ["built"] * 3
    assert builds == ["build-test"]


async def test_a_waiter_that_gives_up_does_not_cancel_the_build():
    release, builds = threading.Event(), []
    deferred = slow_app(release, builds)
    impatient = asyncio.create_task(deferred.ready())
    await asyncio.sleep(0.01)
    impatient.cancel()
    release.set()
    assert callable(await deferred.ready())
    assert builds == ["build-test"]


async def test_a_failed_build_fails_every_request_with_its_error():
    def build():
        raise RuntimeError("no schema")

    deferred = Deferred(build, "broken")
    for _ in range(2):
        with pytest.raises(RuntimeError, match="no schema"):
            await deferred.ready()


async def test_the_app_listens_without_graphql_and_serves_it_once_warmed_up(database: Database):
    """`/health` does not need the GraphQL endpoint; GraphQL answers once `warm_up`
    (started by the lifespan) has built it."""
    app = create_app(get_settings(), database=database, background=False)
    async with app.router.lifespan_context(app):
        assert isinstance(app.state.warm_up, asyncio.Task)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            health = await http.get("/health")
            answer = await http.post("/graphql", json={"query": "{ __typename }"})
        await app.state.warm_up
    assert health.status_code == 200
    assert answer.json() == {"data": {"__typename": "Query"}}


def test_importing_the_app_loads_no_graphql_stack():
    code = (
        "import sys, proctor.server.app\n"
        "print(sorted(m for m in ('strawberry', 'graphql') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def _start_server(tmp_path, database_url: str) -> subprocess.CompletedProcess[str]:
    import os

    env = {key: value for key, value in os.environ.items() if not key.startswith("PROCTOR_")}
    env["PROCTOR_HOME"] = str(tmp_path)
    command = [sys.executable, "-m", "proctor", "server", "start", "--port", "0", "--no-open"]
    return subprocess.run(
        [*command, "--database-url", database_url],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_database_that_does_not_exist_is_named_with_what_to_do(tmp_path, postgres_admin_url):
    base = postgres_admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    found = _start_server(tmp_path, f"{base}/proctor_no_such_database")
    assert found.returncode == 1
    assert 'database "proctor_no_such_database" does not exist' in found.stderr
    assert "createdb proctor_no_such_database" in found.stderr
    assert "Traceback" not in found.stderr + found.stdout


def test_an_unreachable_database_server_is_named_with_what_to_do(tmp_path):
    import socket

    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    found = _start_server(tmp_path, f"postgresql+asyncpg://postgres@127.0.0.1:{port}/proctor")
    assert found.returncode == 1
    assert f"Check that PostgreSQL is running and listening at 127.0.0.1:{port}" in found.stderr
    assert "Traceback" not in found.stderr + found.stdout
