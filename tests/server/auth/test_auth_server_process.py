"""Auth mode end to end, with real processes: the CLI refuses to expose a server without
auth, `create-admin` makes the first owner, a browser logs in over HTTP, `proctor login`
saves a service account's key, and an agent using it runs a flow whose run process
reports with the key it was handed. Websockets authenticate too, and refuse cookies from
other origins."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.agent.processes import FAST_RUNS, FAST_SERVER, AgentProcess, wait_until
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from proctor.client import Client
from proctor.server.auth.binding import bind_refusal, is_loopback
from proctor.server.auth.sessions import COOKIE
from proctor.testing import ServerProcess

pytestmark = pytest.mark.slow

ADMIN = "admin@example.com"
PASSWORD = "a long enough password"
CHEAP = {
    "PROCTOR_SERVER_AUTH_ARGON2_TIME_COST": "1",
    "PROCTOR_SERVER_AUTH_ARGON2_MEMORY_KIB": "8",
    "PROCTOR_SERVER_AUTH_ARGON2_PARALLELISM": "1",
}
FLOW = Path(__file__).resolve().parents[2] / "agent" / "flows" / "simple.py"
RECHECK = {"PROCTOR_SERVER_AUTH_WEBSOCKET_RECHECK_SECONDS": "0.3"}


def cli(*args: str, home: Path, stdin: str = "", env: dict[str, str] | None = None) -> Any:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PROCTOR_")}
    clean.update({"PROCTOR_HOME": str(home), **CHEAP, **FAST_RUNS, **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "proctor", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=clean,
        timeout=120,
        check=False,
    )


def test_loopback_detection():
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "10.1.2.3", "example.com"))
    assert bind_refusal("127.0.0.1", False) is None and bind_refusal("0.0.0.0", True) is None
    assert "--auth" in (bind_refusal("0.0.0.0", False) or "")


def test_a_non_loopback_server_without_auth_refuses_to_start(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'p.db'}"
    for env in ({}, {"PROCTOR_SERVER_HOST": "0.0.0.0"}):
        args = ["server", "start", "--port", "0", "--no-open", "--database-url", url]
        if not env:
            args += ["--host", "0.0.0.0"]
        done = cli(*args, home=tmp_path, env=env)
        assert done.returncode == 2, done.stdout + done.stderr
        assert "--auth" in done.stderr and "PROCTOR_SERVER_AUTH_ENABLED=true" in done.stderr
        assert "Traceback" not in done.stderr and "ready" not in done.stdout
    assert not (tmp_path / "p.db").exists()  # refused before touching anything


@pytest.fixture
def auth_server(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    home = tmp_path / "server-home"
    made = cli(
        "server", "create-admin", "--email", ADMIN, "--password-stdin", "--json",
        "--database-url", database_url, home=home, stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["email"] == ADMIN
    again = cli(
        "server", "create-admin", "--email", ADMIN, "--password-stdin",
        "--database-url", database_url, home=home, stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert again.returncode == 2 and "already exists" in again.stderr
    env = {"PROCTOR_SERVER_AUTH_ENABLED": "true", **CHEAP, **FAST_SERVER, **RECHECK}
    server = ServerProcess(database_url, home, env=env)
    server.start(timeout=60)
    yield server
    server.stop()


def _browser_login(url: str) -> tuple[httpx.Client, str]:
    browser = httpx.Client(base_url=url, timeout=30)
    response = browser.post("/auth/login", json={"email": ADMIN, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return browser, response.json()["csrfToken"]


def _gql(browser: httpx.Client, csrf: str, query: str, variables: dict | None = None) -> Any:
    response = browser.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"x-csrf-token": csrf},
    )
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return body["data"]


def test_an_agent_with_a_service_account_key_runs_a_flow(
    auth_server: ServerProcess, tmp_path: Path
):
    url = auth_server.url
    with Client(url) as nobody:
        assert nobody.query("{ me { role } }") == {"me": None}  # no key anywhere
    browser, csrf = _browser_login(url)
    with contextlib.closing(browser):
        made = _gql(
            browser, csrf,
            'mutation { createServiceAccount(name: "agents") { key } '
            'createApiKey(name: "laptop") { key } }',
        )  # fmt: skip
    agent_key, admin_key = made["createServiceAccount"]["key"], made["createApiKey"]["key"]

    home = tmp_path / "agent-home"
    refused = cli("login", "--key", "pk_00000000_wrong", "--api-url", url, home=home)
    assert refused.returncode == 2 and "Unknown API key" in refused.stderr
    assert not (home / "profile.json").exists()
    logged = cli("login", "--key", "-", "--api-url", url, home=home, stdin=agent_key + "\n")
    assert logged.returncode == 0, logged.stderr
    profile = home / "profile.json"
    assert stat.S_IMODE(profile.stat().st_mode) == 0o600
    who = cli("whoami", "--json", home=home)  # URL and key both from the profile
    assert who.returncode == 0, who.stderr
    me = json.loads(who.stdout)["me"]
    assert me["role"] == "agent" and me["apiKey"]["serviceAccount"] is True

    registered = cli(
        "register", str(FLOW), "--project", "auth-e2e", "--label", "auth-box", "--json",
        home=tmp_path / "admin-home", env={"PROCTOR_API_URL": url, "PROCTOR_API_KEY": admin_key},
    )  # fmt: skip
    assert registered.returncode == 0, registered.stderr
    flow_id = json.loads(registered.stdout)[0]["flow"]["id"]
    with Client(url, api_key=admin_key) as admin:
        run = admin.create_flow_run(flow_id=flow_id, parameters={"who": "auth"})
        agent = AgentProcess(home, url, "auth-agent", labels=["auth-box"])
        try:
            final = wait_until(
                lambda: (r := admin.get_flow_run(run.id)).state in {"Success", "Failed"} and r,
                90,
                "the run to finish",
            )
        finally:
            agent.stop()
        assert final.state == "Success", agent.output()
        lines = [line.message for line in admin.list_logs(run.id).items]
        assert "hello, auth" in lines
    logout = cli("logout", home=home)
    assert logout.returncode == 0 and not profile.exists()
    assert cli("whoami", "--api-url", url, home=home).returncode == 2


async def test_websockets_authenticate_and_refuse_foreign_cookies(auth_server: ServerProcess):
    url = auth_server.url
    browser, csrf = _browser_login(url)
    with contextlib.closing(browser):
        made = _gql(browser, csrf, 'mutation { createApiKey(name: "ws") { key } }')
    key = made["createApiKey"]["key"]
    ws_url = url.replace("http://", "ws://") + "/graphql"
    subscription = {"query": "subscription { runFeed { kind } }"}

    async def first_message(params: dict, headers: dict | None = None) -> dict:
        async with connect(
            ws_url, subprotocols=["graphql-transport-ws"], additional_headers=headers or {}
        ) as socket:
            await socket.send(json.dumps({"type": "connection_init", "payload": params}))
            assert json.loads(await socket.recv())["type"] == "connection_ack"
            await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": subscription}))
            # A refused operation answers at once; an accepted one waits for events.
            try:
                import asyncio

                return json.loads(await asyncio.wait_for(socket.recv(), timeout=1.5))
            except TimeoutError:
                return {"type": "waiting"}

    nobody = await first_message({})
    assert nobody["type"] == "error"
    assert nobody["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    with_key = await first_message({"Authorization": f"Bearer {key}"})
    assert with_key == {"type": "waiting"}
    cookie = {"Cookie": f"{COOKIE}={browser.cookies[COOKIE]}"}
    same_site = await first_message({}, {**cookie, "Origin": url})
    assert same_site == {"type": "waiting"}
    with pytest.raises(InvalidStatus) as refused:
        await first_message({}, {**cookie, "Origin": "http://evil.example"})
    assert refused.value.response.status_code == 403


async def test_an_open_websocket_is_closed_once_its_access_ends(auth_server: ServerProcess):
    """Revoking the key a websocket connected with, or logging out the session it came
    with, closes it (4403) within a re-check; one whose access holds stays open."""
    import asyncio

    from websockets.exceptions import ConnectionClosed

    url = auth_server.url
    ws_url = url.replace("http://", "ws://") + "/graphql"
    browser, csrf = _browser_login(url)
    made = _gql(browser, csrf, 'mutation { createApiKey(name: "doomed") { key apiKey { id } } }')
    key, key_id = made["createApiKey"]["key"], made["createApiKey"]["apiKey"]["id"]
    kept = _gql(browser, csrf, 'mutation { createApiKey(name: "kept") { key } }')["createApiKey"]

    @contextlib.asynccontextmanager
    async def subscribed(params: dict, headers: dict | None = None) -> Any:
        async with connect(
            ws_url, subprotocols=["graphql-transport-ws"], additional_headers=headers or {}
        ) as socket:
            await socket.send(json.dumps({"type": "connection_init", "payload": params}))
            assert json.loads(await socket.recv())["type"] == "connection_ack"
            operation = {"query": "subscription { runFeed { kind } }"}
            await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": operation}))
            yield socket

    async def closed_with(socket: Any) -> int | None:
        try:
            while True:  # run-feed messages may arrive first
                await asyncio.wait_for(socket.recv(), timeout=10)
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd is not None else None

    async def still_open(socket: Any, seconds: float) -> bool:
        try:
            await asyncio.wait_for(socket.recv(), timeout=seconds)
        except TimeoutError:
            return True
        except ConnectionClosed:
            return False
        return True  # a message: open

    with contextlib.closing(browser):
        cookie = {"Cookie": f"{COOKIE}={browser.cookies[COOKIE]}", "Origin": url}
        async with (
            subscribed({"Authorization": f"Bearer {key}"}) as by_key,
            subscribed({"Authorization": f"Bearer {kept['key']}"}) as by_other_key,
            subscribed({}, cookie) as by_session,
        ):
            assert await still_open(by_key, 1.2)  # several re-checks pass
            _gql(
                browser,
                csrf,
                "mutation ($id: ID!) { revokeApiKey(id: $id) { id } }",
                {"id": key_id},
            )
            assert await closed_with(by_key) == 4403
            assert await still_open(by_session, 1.0)
            logout = browser.post("/auth/logout", headers={"X-CSRF-Token": csrf})
            assert logout.status_code in (200, 204)
            assert await closed_with(by_session) == 4403
            assert await still_open(by_other_key, 1.0)
