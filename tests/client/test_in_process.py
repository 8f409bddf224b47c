"""`proctor.testing.InProcessServer`: the real app without a socket, and what it refuses.

The API itself is tested through it in test_client.py; these tests are about the harness:
clients from several threads and loops, read timeouts, a server that stops, start-up
failures, auth mode, the websocket refusal, a PostgreSQL database, and the URL by which
clients made elsewhere in this process (the CLI, flow.register) find it.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest

from proctor.client import (
    AsyncClient,
    Client,
    GraphQLError,
    ProctorClientError,
    RetryPolicy,
    ServerUnavailable,
)
from proctor.testing import InProcessServer, InProcessUnsupported

POSTGRES = "postgresql://postgres@127.0.0.1:5432"

CLAIM = (
    "mutation ($agent: ID!) { claimFlowRuns(agentId: $agent, labels: [], limit: 1,"
    " waitSeconds: 30) { id } }"
)


def test_blocking_clients_in_several_threads_share_one_server(in_process):
    names = [f"t{i}-{uuid.uuid4().hex[:6]}" for i in range(6)]
    failures: list[BaseException] = []

    def create(name: str) -> None:
        try:
            with in_process.client() as client:
                client.create_project(name)
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=create, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    with in_process.client() as client:
        assert set(names) <= {project.name for project in client.list_projects()}


async def test_async_clients_on_the_callers_loop(in_process):
    names = [f"a{i}-{uuid.uuid4().hex[:6]}" for i in range(4)]
    async with in_process.async_client() as client:
        await asyncio.gather(*(client.create_project(name) for name in names))
        assert set(names) <= {project.name for project in await client.list_projects()}


def test_a_read_timeout_is_raised_as_a_socket_would(in_process):
    with in_process.client() as client:
        agent = client.register_agent(f"slow-{uuid.uuid4().hex[:6]}", labels=[])
    timeout = httpx.Timeout(60.0, read=0.2)
    with (
        httpx.Client(transport=in_process.transport(), timeout=timeout) as http,
        pytest.raises(httpx.ReadTimeout),
    ):
        # Nothing to claim: the server holds the long poll far past the read timeout.
        http.post(
            in_process.url + "/graphql", json={"query": CLAIM, "variables": {"agent": agent.id}}
        )


async def test_a_read_timeout_on_the_async_transport(in_process):
    async with in_process.async_client() as client:
        agent = await client.register_agent(f"slow-{uuid.uuid4().hex[:6]}", labels=[])
    timeout = httpx.Timeout(60.0, read=0.2)
    async with httpx.AsyncClient(transport=in_process.async_transport(), timeout=timeout) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.post(
                in_process.url + "/graphql",
                json={"query": CLAIM, "variables": {"agent": agent.id}},
            )
        # The loop and the server are fine afterwards.
        query = {"query": "{ projects { name } }"}
        answer = await http.post(in_process.url + "/graphql", json=query, timeout=60.0)
        assert answer.status_code == 200 and "errors" not in answer.json()


def test_an_exception_in_the_app_reaches_the_test_with_its_traceback(in_process, monkeypatch):
    from proctor.server.web.ui import UIApp

    async def broken(self: UIApp, scope: object, receive: object, send: object) -> None:
        raise RuntimeError("a bug in the UI route")

    monkeypatch.setattr(UIApp, "__call__", broken)
    with (
        httpx.Client(transport=in_process.transport()) as http,
        pytest.raises(RuntimeError, match="a bug in the UI route"),
    ):
        http.get(in_process.url + "/")


def test_a_client_made_elsewhere_finds_the_server_by_its_url(tmp_path: Path):
    """Code that builds its own `Client(url)` (the CLI, flow.register) reaches a running
    in-process server; each server has its own URL, and a stopped one is unreachable."""
    with InProcessServer(tmp_path / "a") as first, InProcessServer(tmp_path / "b") as second:
        assert first.url != second.url
        with Client(first.url) as client:
            client.create_project("only-in-first")
        with Client(second.url) as client:
            assert client.list_projects() == []

        async def names() -> list[str]:
            async with AsyncClient(first.url) as client:
                return [project.name for project in await client.list_projects()]

        assert asyncio.run(names()) == ["only-in-first"]
    with (
        Client(first.url, retry=RetryPolicy(attempts=1)) as client,
        pytest.raises(ServerUnavailable),
    ):
        client.list_projects()


def test_websockets_are_refused_with_the_harness_to_use(in_process):
    with pytest.raises(InProcessUnsupported, match=r"proctor\.testing\.ServerProcess"):
        _ = in_process.websocket_url
    upgrade = {"connection": "upgrade", "upgrade": "websocket"}
    with (
        httpx.Client(transport=in_process.transport()) as http,
        pytest.raises(InProcessUnsupported, match="ServerProcess"),
    ):
        http.get(in_process.url + "/graphql", headers=upgrade)


def test_auth_mode_then_stop(tmp_path: Path):
    """Auth mode refuses a client without a key; once stopped, clients get
    `ServerUnavailable` (a long poll in flight included), never a foreign exception."""
    server = InProcessServer(tmp_path, auth=True)
    server.start()
    try:
        with server.client() as client, pytest.raises(GraphQLError) as refused:
            client.list_projects()
        assert refused.value.code == "UNAUTHENTICATED"
        assert (tmp_path / "proctor.db").exists()
    finally:
        server.stop()

    server = InProcessServer(tmp_path)
    server.start()
    outcome: list[object] = []
    client = server.client(retry=RetryPolicy(attempts=1))
    agent = client.register_agent("poller", labels=[])

    def claim() -> None:
        try:
            outcome.append(client.claim_flow_runs(agent.id, [], wait_seconds=30))
        except ProctorClientError as error:
            outcome.append(error)
        except BaseException as error:
            outcome.append(("foreign", error))

    poller = threading.Thread(target=claim)
    poller.start()
    server.stop()
    poller.join(120)
    assert not poller.is_alive()
    # Stopped during its long poll (answered empty, or cut) or before it began.
    [result] = outcome
    assert result == [] or isinstance(result, ServerUnavailable), result
    with pytest.raises(ServerUnavailable):
        client.list_projects()
    client.close()
    assert not server.running


def test_a_start_up_failure_is_raised_by_start(tmp_path: Path):
    server = InProcessServer(
        f"sqlite+aiosqlite:///{tmp_path / 'missing-dir' / 'x.db'}", home=tmp_path
    )
    # The server's own start-up error, raised in the caller (not a timeout of start()).
    with pytest.raises(OSError, match="missing-dir"):
        server.start()
    assert not server.running
    with pytest.raises(RuntimeError, match="not started"):
        _ = server.app


def test_runs_on_postgresql(tmp_path: Path, flow_spec_dict):
    name = f"proctor_in_process_{uuid.uuid4().hex[:10]}"

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(f"{POSTGRES}/postgres")
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    try:
        asyncio.run(admin(f"CREATE DATABASE {name}"))
    except OSError as error:  # no PostgreSQL on this machine: outside the test's control
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES}: {error}")
    try:
        url = f"{POSTGRES.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"
        with InProcessServer(url, home=tmp_path) as server, server.client() as client:
            project = client.create_project("on-postgres")
            flow = client.register_flow(project.name, flow_spec_dict).flow
            run = client.create_flow_run(flow.id, parameters={"n": 4})
            assert client.get_flow_run(run.id).parameters == {"n": 4}
            assert [p.name for p in client.list_projects()] == ["on-postgres"]
    finally:
        asyncio.run(admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


def test_a_path_given_as_text_is_refused_before_anything_starts(tmp_path: Path):
    with pytest.raises(ValueError, match="not a database URL"):
        InProcessServer(str(tmp_path))


def test_a_server_without_home_gets_a_temporary_one_that_stop_removes(tmp_path: Path):
    server = InProcessServer(f"sqlite+aiosqlite:///{tmp_path / 'only-the-database.db'}")
    assert server.home is None
    server.start()
    try:
        home = server.home
        assert home is not None and home.is_dir()
        with server.client() as client:
            assert client.list_projects() == []
    finally:
        server.stop()
    assert not home.exists()
    assert server.home is None


def test_an_unknown_setting_fails_start_and_leaves_nothing_behind():
    server = InProcessServer(
        "sqlite+aiosqlite:////never/used.db", settings={"server_no_such_setting": "1"}
    )
    with pytest.raises(KeyError, match="PROCTOR_SERVER_NO_SUCH_SETTING"):
        server.start()
    assert server.home is None  # the temporary home made for it is gone
    assert not server.running


def test_a_failure_in_the_shutdown_is_raised_by_stop(tmp_path: Path):
    server = InProcessServer(tmp_path)
    server.start()

    def broken() -> None:
        raise OSError("could not close something")

    server.app.state.begin_shutdown = broken
    with pytest.raises(RuntimeError, match="after its start-up") as failed:
        server.stop()
    assert isinstance(failed.value.__cause__, OSError)
    assert not server.running


class _FakeServer:
    """Stands in for a server: hands out mock transports answering one fixed reply."""

    def _handler(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": {"projects": []}})

    def transport(self) -> httpx.BaseTransport:
        return httpx.MockTransport(self._handler)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        return httpx.MockTransport(self._handler)


def test_the_url_registry_matches_loosely_and_refuses_a_second_server():
    from proctor.client._local import (
        local_transport,
        register_local_server,
        unregister_local_server,
    )

    url = f"http://registry-{uuid.uuid4().hex[:6]}.proctor.test"
    register_local_server(url, _FakeServer())
    try:
        found = local_transport(url.upper() + "/", httpx.BaseTransport)
        assert isinstance(found, httpx.MockTransport)
        assert local_transport(url + ":8080", httpx.BaseTransport) is None
        with pytest.raises(ValueError, match="already answers"):
            register_local_server(url + "/", _FakeServer())
        with Client(url + "/") as client:
            assert client.list_projects() == []
    finally:
        unregister_local_server(url)
    assert local_transport(url, httpx.AsyncBaseTransport) is None
