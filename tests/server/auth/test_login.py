"""Logging in and out over HTTP: cookies, throttling, fixation, CSRF, password storage."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from starlette.applications import Starlette
from tests.server.auth.conftest import BASE_URL, auth_settings_for
from tests.server.auth.helpers import PASSWORD, codes, count, data_of, gql, new_user

from proctor.server.app import create_app
from proctor.server.auth.sessions import COOKIE, CSRF_COOKIE
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import LoginThrottle, User
from proctor.settings import get_settings

PROJECTS = 'mutation { createProject(name: "p") { id } }'


async def login(http: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return await http.post("/auth/login", json={"email": email, "password": password})


async def test_login_sets_an_httponly_strict_cookie_and_me_describes_the_user(
    http: httpx.AsyncClient, database: Database
):
    user = await new_user(database, DEFAULT_TENANT_ID, "admin")
    response = await login(http, user.email.upper())  # emails are not case-sensitive
    assert response.status_code == 200, response.text
    header = "; ".join(response.headers.get_list("set-cookie"))
    session_cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(COOKIE)
    )
    assert "HttpOnly" in session_cookie and "SameSite=strict" in session_cookie
    assert "Secure" not in session_cookie  # cookie_secure is off by default
    assert CSRF_COOKIE in header
    body = response.json()
    assert body["user"]["email"] == user.email and body["role"] == "admin"
    assert body["currentTeam"]["id"] == str(DEFAULT_TENANT_ID)
    assert [team["role"] for team in body["teams"]] == ["admin"]
    me = (await http.get("/auth/me")).json()
    assert me["user"]["id"] == str(user.id) and me["csrfToken"] == body["csrfToken"]
    assert me["csrfToken"] == http.cookies[CSRF_COOKIE]


async def test_wrong_password_is_401_and_nothing_is_logged_in(
    http: httpx.AsyncClient, database: Database
):
    user = await new_user(database, DEFAULT_TENANT_ID, "member")
    response = await login(http, user.email, "not the password")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "INVALID_CREDENTIALS"
    assert COOKIE not in http.cookies
    unknown = await login(http, "nobody@example.com")
    assert unknown.status_code == 401
    assert await count(database, "auth_session") == 0


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"email": 1, "password": "x"}'])
async def test_malformed_login_bodies_are_400(http: httpx.AsyncClient, body: bytes):
    response = await http.post("/auth/login", content=body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_INPUT"


async def test_brute_force_is_throttled_even_for_the_right_password(
    http: httpx.AsyncClient, database: Database
):
    """The fixture allows 3 failures per account per window."""
    user = await new_user(database, DEFAULT_TENANT_ID, "member")
    for _ in range(3):
        assert (await login(http, user.email, "guess")).status_code == 401
    throttled = await login(http, user.email, "guess")
    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "TOO_MANY_ATTEMPTS"
    assert 0 < int(throttled.headers["retry-after"]) <= 300
    right = await login(http, user.email)
    assert right.status_code == 429 and COOKIE not in http.cookies
    # Another account is not affected by this one's throttle.
    other = await new_user(database, DEFAULT_TENANT_ID, "member")
    assert (await login(http, other.email)).status_code == 200


async def test_the_throttle_window_ends(http: httpx.AsyncClient, database: Database):
    user = await new_user(database, DEFAULT_TENANT_ID, "member")
    for _ in range(3):
        await login(http, user.email, "guess")
    assert (await login(http, user.email)).status_code == 429
    async with database.transaction() as session:  # the window started long ago
        await session.execute(
            sa.update(LoginThrottle).values(window_start=datetime(2000, 1, 1, tzinfo=UTC))
        )
    assert (await login(http, user.email)).status_code == 200


@pytest.fixture
async def ip_limited_http(database: Database) -> AsyncIterator[httpx.AsyncClient]:
    settings_iter = auth_settings_for(
        server_auth_login_attempts="100", server_auth_login_ip_attempts="4"
    )
    settings = next(settings_iter)
    try:
        app: Starlette = create_app(settings, database=database, background=False)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
                yield client
    finally:
        settings_iter.close()


async def test_one_address_guessing_many_accounts_is_throttled(
    ip_limited_http: httpx.AsyncClient, database: Database
):
    for n in range(4):
        response = await login(ip_limited_http, f"victim{n}@example.com", "guess")
        assert response.status_code == 401
    user = await new_user(database, DEFAULT_TENANT_ID, "member")
    assert (await login(ip_limited_http, user.email)).status_code == 429


async def test_a_session_id_planted_before_login_is_not_the_one_after(
    http: httpx.AsyncClient, database: Database
):
    user = await new_user(database, DEFAULT_TENANT_ID, "member")
    # An attacker's own valid session, planted in the victim's browser...
    async with httpx.AsyncClient(transport=http._transport, base_url=BASE_URL) as attacker:
        assert (await login(attacker, user.email)).status_code == 200
        planted = attacker.cookies[COOKIE]
    http.cookies.set(COOKIE, planted, domain="proctor.test")
    assert (await login(http, user.email)).status_code == 200
    after = http.cookies[COOKIE]
    assert after != planted
    # ...is ended by the login: it no longer authenticates anyone.
    stale = await http.get("/auth/me", headers={"cookie": f"{COOKIE}={planted}"})
    assert stale.status_code == 401
    assert (await http.get("/auth/me", headers={"cookie": f"{COOKIE}={after}"})).status_code == 200
    # A made-up id is never adopted either.
    http.cookies.clear()
    http.cookies.set(COOKIE, "made-up-by-an-attacker", domain="proctor.test")
    assert (await login(http, user.email)).status_code == 200
    assert http.cookies[COOKIE] != "made-up-by-an-attacker"


async def test_logout_ends_the_session_on_the_server(http: httpx.AsyncClient, database: Database):
    user = await new_user(database, DEFAULT_TENANT_ID, "member")
    body = (await login(http, user.email)).json()
    token = http.cookies[COOKIE]
    refused = await http.post("/auth/logout")  # no CSRF token: refused, nothing ends
    assert refused.status_code == 403 and await count(database, "auth_session") == 1
    response = await http.post("/auth/logout", headers={"x-csrf-token": body["csrfToken"]})
    assert response.status_code == 200 and response.json() == {"loggedOut": True}
    assert await count(database, "auth_session") == 0
    # A copy of the cookie kept by someone is dead too.
    again = await http.get("/auth/me", headers={"cookie": f"{COOKIE}={token}"})
    assert again.status_code == 401
    replay = await gql(
        http,
        "{ flows { totalCount } }",
        headers={"cookie": f"{COOKIE}={token}", "x-csrf-token": body["csrfToken"]},
    )
    assert codes(replay) == ["UNAUTHENTICATED"]


async def test_cookie_posts_need_the_csrf_token_from_our_own_origin(
    http: httpx.AsyncClient, database: Database
):
    user = await new_user(database, DEFAULT_TENANT_ID, "member")
    csrf = (await login(http, user.email)).json()["csrfToken"]
    forged = await http.post("/graphql", json={"query": PROJECTS})
    assert forged.status_code == 403
    assert forged.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    wrong_token = await http.post(
        "/graphql", json={"query": PROJECTS}, headers={"x-csrf-token": "0" * 64}
    )
    assert wrong_token.status_code == 403
    other_origin = await http.post(
        "/graphql",
        json={"query": PROJECTS},
        headers={"x-csrf-token": csrf, "origin": "https://evil.example"},
    )
    assert other_origin.status_code == 403
    assert await count(database, "project") == 0  # none of them ran
    ok = await http.post(
        "/graphql",
        json={"query": PROJECTS},
        headers={"x-csrf-token": csrf, "origin": BASE_URL},
    )
    assert ok.status_code == 200 and not ok.json().get("errors")
    assert await count(database, "project") == 1


async def test_a_login_form_posted_from_another_site_is_refused(
    http: httpx.AsyncClient, database: Database
):
    user = await new_user(database, DEFAULT_TENANT_ID, "member")
    response = await http.post(
        "/auth/login",
        json={"email": user.email, "password": PASSWORD},
        headers={"origin": "https://evil.example"},
    )
    assert response.status_code == 403 and COOKIE not in http.cookies


async def test_nobody_gets_unauthenticated_and_a_null_me(http: httpx.AsyncClient):
    body = await gql(http, "{ flows { totalCount } }")
    assert codes(body) == ["UNAUTHENTICATED"] and body["data"] is None
    assert data_of(await gql(http, "{ me { role } }")) == {"me": None}
    assert (await http.get("/auth/me")).status_code == 401
    introspection = await gql(http, "{ __schema { queryType { name } } }")
    assert codes(introspection) == ["UNAUTHENTICATED"]


async def test_passwords_are_stored_as_argon2id_hashes_only(
    http: httpx.AsyncClient, database: Database
):
    user = await new_user(database, DEFAULT_TENANT_ID, "member")
    assert (await login(http, user.email)).status_code == 200
    async with database.session() as session:
        stored = await session.scalar(sa.select(User.password_hash).where(User.id == user.id))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored
    session_token = http.cookies[COOKIE]
    if database.dialect == "sqlite":
        raw = Path(database.url.database or "").read_bytes()
        wal = Path(f"{database.url.database}-wal")
        raw += wal.read_bytes() if wal.exists() else b""
        assert PASSWORD.encode() not in raw
        assert session_token.encode() not in raw  # sessions are stored as digests too


async def test_local_mode_has_no_login(database: Database):
    app = create_app(get_settings(), database=database, background=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            me = (await client.get("/auth/me")).json()
            refused = await client.post("/auth/login", json={"email": "a@b.c", "password": "x"})
            body = await gql(client, "{ me { kind role authEnabled user { email } } }")
    assert me["authEnabled"] is False and me["role"] == "owner" and me["user"] is None
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "AUTH_DISABLED"
    assert data_of(body)["me"] == {
        "kind": "local",
        "role": "owner",
        "authEnabled": False,
        "user": None,
    }
