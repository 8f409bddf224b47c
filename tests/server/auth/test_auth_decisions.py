"""The small decisions auth mode is built on, each pinned on its own (real database, real
Starlette connections): which header is an API key, which request passes the CSRF check,
which team a session acts in, when a session counts as ended, how login attempts are
counted and given back, and the digests tokens are stored and compared as.

The expected values come from the rules in docs/security.md and from the algorithms the
docstrings name (SHA-256, HMAC-SHA256), computed here independently."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from starlette.requests import HTTPConnection
from tests.server.auth.helpers import PASSWORD, join, new_team, new_user

from proctor.server.auth import api_keys
from proctor.server.auth.binding import bind_refusal, is_loopback
from proctor.server.auth.grants import key_role, may_grant, outranks
from proctor.server.auth.resolve import Authenticator, CsrfRefused, bearer, same_origin
from proctor.server.auth.sessions import (
    CSRF_HEADER,
    csrf_token,
    end_session,
    find_session,
    start_session,
    switch_team,
)
from proctor.server.auth.throttle import Limit, Throttle
from proctor.server.auth.tokens import derived, digest, same
from proctor.server.database import Database
from proctor.server.database.models import AuthSession, LoginThrottle, Membership, Tenant, User
from proctor.server.database.types import utcnow
from proctor.server.errors import InvalidInput, NotFound
from proctor.settings import Settings

HOST = "proctor.example.com:4200"


def connection(
    kind: str = "http", method: str = "POST", headers: dict[str, str] | None = None
) -> HTTPConnection:
    """A Starlette connection as the server would receive it."""
    raw = [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
    scope: dict[str, Any] = {"type": kind, "headers": [(b"host", HOST.encode()), *raw]}
    if kind == "http":
        scope["method"] = method
    return HTTPConnection(scope)


# -- which header is a key ----------------------------------------------------------------


def test_a_bearer_header_is_read_whatever_its_case_and_spaces():
    assert bearer(connection(headers={"Authorization": "Bearer pk_a_b"})) == "pk_a_b"
    assert bearer(connection(headers={"Authorization": "bearer  pk_a_b "})) == "pk_a_b"


def test_no_header_is_no_key_and_another_scheme_is_an_empty_one():
    assert bearer(connection()) is None
    assert bearer(connection(headers={"Authorization": "Basic dXNlcjpwYXNz"})) == ""


# -- the origin and CSRF checks ----------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "same"),
    [
        (None, True),  # not a browser, or a same-origin GET
        (f"http://{HOST}", True),
        (f"https://{HOST}/", True),  # behind a TLS proxy the server sees http
        (f"HTTPS://{HOST.upper()}", True),
        ("http://evil.example", False),
        (f"ftp://{HOST}", False),
        (HOST, False),  # no scheme at all
        (f"http://{HOST}.evil.example", False),
        (f"http://{HOST}X", False),  # only a trailing slash is forgiven
        ("null", False),
    ],
)
def test_same_origin_compares_the_host_only(origin: str | None, same: bool):
    headers = {"Origin": origin} if origin is not None else {}
    assert same_origin(connection(headers=headers)) is same


def test_without_a_host_header_no_origin_is_ours():
    scope: dict[str, Any] = {
        "type": "http",
        "method": "POST",
        "headers": [(b"origin", b"http://a")],
    }
    assert same_origin(HTTPConnection(scope)) is False


async def test_another_scheme_than_bearer_is_refused_with_how_to_send_a_key(
    sqlite_database: Database,
):
    resolved = await authenticator(sqlite_database).resolve(
        connection(headers={"Authorization": "Basic dXNlcjpwYXNz"})
    )
    assert resolved.principal is None
    assert resolved.problem == "Send the API key as `Authorization: Bearer <key>`."


def authenticator(db: Database) -> Authenticator:
    return Authenticator(db, Settings().server.auth)


def test_reads_need_no_csrf_token(sqlite_database: Database):
    for method in ("GET", "HEAD", "OPTIONS"):
        authenticator(sqlite_database).check_csrf(connection(method=method), "cookie")


def test_a_post_needs_the_sessions_own_csrf_token_from_our_own_pages(sqlite_database: Database):
    check = authenticator(sqlite_database).check_csrf
    right = csrf_token("cookie")
    check(connection(headers={CSRF_HEADER: right, "Origin": f"http://{HOST}"}), "cookie")
    check(connection(headers={CSRF_HEADER: right}), "cookie")
    refused = [
        {},
        {CSRF_HEADER: ""},
        {CSRF_HEADER: csrf_token("another cookie")},
        {CSRF_HEADER: right, "Origin": "http://evil.example"},
    ]
    for headers in refused:
        with pytest.raises(CsrfRefused) as caught:
            check(connection(headers=headers), "cookie")
        assert str(caught.value) == (
            "CSRF check failed: a request with the session cookie must send the X-CSRF-Token "
            "header (its value is in GET /auth/me) from this server's pages."
        )


def test_a_websocket_with_the_cookie_must_come_from_our_pages(sqlite_database: Database):
    check = authenticator(sqlite_database).check_csrf
    check(connection("websocket", headers={"Origin": f"https://{HOST}"}), "cookie")
    check(connection("websocket"), "cookie")
    with pytest.raises(CsrfRefused) as caught:
        check(connection("websocket", headers={"Origin": "https://evil.example"}), "cookie")
    assert str(caught.value) == (
        "A websocket using the session cookie must come from this server's pages."
    )


# -- tokens ----------------------------------------------------------------------------


def test_tokens_are_stored_as_sha256_and_csrf_is_an_hmac_of_the_session_token():
    assert digest("abc") == hashlib.sha256(b"abc").hexdigest()
    expected = hmac.new(b"session", b"proctor-csrf", hashlib.sha256).hexdigest()
    assert derived("session", "proctor-csrf") == expected == csrf_token("session")
    assert derived("session", "other") != expected and derived("other", "proctor-csrf") != expected


def test_tokens_with_lone_surrogates_are_hashed_and_compared_not_refused():
    # A cookie or header can carry any code point; encoding must not fail on one.
    odd = "token-\ud800"
    raw = odd.encode("utf-8", "surrogatepass")
    assert digest(odd) == hashlib.sha256(raw).hexdigest()
    assert derived(odd, "p") == hmac.new(raw, b"p", hashlib.sha256).hexdigest()
    assert same(odd, odd) and not same(odd, "token-")
    assert not same("token-", odd)


def test_same_compares_whole_secrets():
    assert same("s3cret-é", "s3cret-é")
    assert not same("s3cret", "s3cre")
    assert not same("s3cret", "S3cret")
    assert not same("", "x")


# -- sessions --------------------------------------------------------------------------


async def _person_in(db: Database, *team_names: str) -> tuple[uuid.UUID, list[uuid.UUID]]:
    teams = [await new_team(db, name) for name in team_names]
    user = await new_user(db, teams[0], "member")
    for team in teams[1:]:
        await join(db, team, user.id, "read_only")
    return user.id, teams


async def test_a_new_session_starts_in_the_first_team_by_name(database: Database):
    user, (zulu, alpha) = await _person_in(database, "zulu", "alpha")
    made = await start_session(database, user, 3600)
    assert made.info.tenant_id == alpha and made.info.user_id == user
    found = await find_session(database, made.token)
    assert found is not None and found.id == made.info.id and found.tenant_id == alpha
    assert found.user_id == user and found.expires == made.info.expires
    async with database.session() as session:
        row = await session.get(AuthSession, made.info.id)
        assert row is not None and row.token_hash == digest(made.token)
        assert row.expires - row.created == timedelta(seconds=3600)
        assert found.expires == row.expires
    assert zulu != alpha


async def test_a_login_removes_the_users_expired_sessions_only(database: Database):
    user, _teams = await _person_in(database, "t1")
    other, _ = await _person_in(database, "t2")
    old = await start_session(database, user, 3600)
    alive = await start_session(database, user, 3600)
    theirs = await start_session(database, other, 3600)
    past = utcnow() - timedelta(hours=2)
    async with database.transaction() as session:
        await session.execute(
            sa.update(AuthSession)
            .where(AuthSession.id.in_([old.info.id, theirs.info.id]))
            .values(expires=past)
        )
    await start_session(database, user, 3600)
    async with database.session() as session:
        left = set(await session.scalars(sa.select(AuthSession.id)))
    assert old.info.id not in left
    assert {alive.info.id, theirs.info.id} <= left


async def test_unknown_and_expired_sessions_are_not_found(database: Database):
    user, _teams = await _person_in(database, "t")
    assert await find_session(database, "no such token") is None
    made = await start_session(database, user, 3600)
    async with database.transaction() as session:
        await session.execute(
            sa.update(AuthSession).where(AuthSession.id == made.info.id).values(expires=utcnow())
        )
    assert await find_session(database, made.token) is None


async def test_last_seen_is_written_at_most_once_a_minute(database: Database):
    user, _teams = await _person_in(database, "t")
    made = await start_session(database, user, 3600)

    async def last_seen() -> Any:
        async with database.session() as session:
            return await session.scalar(
                sa.select(AuthSession.last_seen).where(AuthSession.id == made.info.id)
            )

    first = await last_seen()
    await find_session(database, made.token)
    assert await last_seen() == first  # seen a moment ago: not written again
    earlier = utcnow() - timedelta(seconds=61)
    async with database.transaction() as session:
        await session.execute(
            sa.update(AuthSession).where(AuthSession.id == made.info.id).values(last_seen=earlier)
        )
    await find_session(database, made.token)
    assert await last_seen() > earlier


async def test_logging_out_ends_the_session_once(database: Database):
    user, _teams = await _person_in(database, "t")
    made = await start_session(database, user, 3600)
    assert await end_session(database, made.token) is True
    assert await find_session(database, made.token) is None
    assert await end_session(database, made.token) is False


async def test_a_session_switches_only_to_a_team_of_its_user(database: Database):
    user, (first, second) = await _person_in(database, "a-first", "b-second")
    stranger, (stranger_team,) = await _person_in(database, "c-strangers")
    made = await start_session(database, user, 3600)
    assert await switch_team(database, made.info.id, user, str(second)) == second
    found = await find_session(database, made.token)
    assert found is not None and found.tenant_id == second
    with pytest.raises(NotFound) as caught:
        await switch_team(database, made.info.id, user, str(stranger_team))
    assert caught.value.message == "No such team."
    assert caught.value.details == {"team_id": str(stranger_team)}
    assert stranger != user
    with pytest.raises(InvalidInput, match="teamId must be a UUID"):
        await switch_team(database, made.info.id, user, "the second one")
    await end_session(database, made.token)
    with pytest.raises(InvalidInput) as ended:
        await switch_team(database, made.info.id, user, str(first))
    assert ended.value.message == "This session has ended: log in again."


# -- which team and role a session acts as -----------------------------------------------


async def test_a_session_acts_in_its_team_with_the_role_there(database: Database):
    user, (member_team, read_only_team) = await _person_in(database, "a-team", "b-team")
    made = await start_session(database, user, 3600)
    await switch_team(database, made.info.id, user, str(read_only_team))
    resolved = await authenticator(database).resolve_session(made.token)
    assert resolved.principal is not None and resolved.problem is None
    assert resolved.principal.tenant_id == read_only_team
    assert resolved.principal.role == "read_only"
    assert resolved.principal.kind == "session" and resolved.principal.user_id == user
    assert resolved.principal.session_id == made.info.id
    assert resolved.session_token == made.token
    async with database.transaction() as session:
        await session.execute(
            sa.delete(Membership).where(
                Membership.user_id == user, Membership.tenant_id == read_only_team
            )
        )
    moved = await authenticator(database).resolve_session(made.token)
    assert moved.principal is not None
    assert (moved.principal.tenant_id, moved.principal.role) == (member_team, "member")


async def test_a_session_of_nobody_in_any_team_or_ended_is_refused(database: Database):
    user, (team,) = await _person_in(database, "only")
    made = await start_session(database, user, 3600)
    async with database.transaction() as session:
        await session.execute(sa.delete(Membership).where(Membership.tenant_id == team))
    alone = await authenticator(database).resolve_session(made.token)
    assert alone.principal is None
    assert alone.problem == "You are not a member of any team."
    assert alone.session_token == made.token
    ended = await authenticator(database).resolve_session("not a session")
    assert ended.principal is None
    assert ended.problem == "Your session has ended: log in again."
    assert ended.session_token == "not a session"


# -- login throttling -----------------------------------------------------------------------


async def failures(db: Database, key: str) -> int | None:
    async with db.session() as session:
        return await session.scalar(
            sa.select(LoginThrottle.failures).where(LoginThrottle.key == key)
        )


async def test_the_attempt_over_the_limit_is_refused_and_given_back(database: Database):
    throttle = Throttle(database, 300)
    limit = [Limit("account:a@example.com", 2)]
    assert not (await throttle.reserve(limit)).refused
    assert not (await throttle.reserve(limit)).refused
    third = await throttle.reserve(limit)
    assert third.refused and third.retry_after is not None and 1 <= third.retry_after <= 300
    assert set(third.windows) == {"account:a@example.com"}
    assert await failures(database, "account:a@example.com") == 2


async def test_a_released_attempt_counts_no_more_and_never_below_zero(database: Database):
    throttle = Throttle(database, 300)
    key = "ip:10.0.0.1"
    first = await throttle.reserve([Limit(key, 5)])
    await throttle.reserve([Limit(key, 5)])
    await throttle.release(first)
    assert await failures(database, key) == 1
    await throttle.release(first)
    await throttle.release(first)
    assert await failures(database, key) == 0


async def test_an_attempt_of_an_ended_window_is_not_taken_from_the_new_one(database: Database):
    throttle = Throttle(database, 300)
    key = "account:b@example.com"
    old = await throttle.reserve([Limit(key, 5)])
    async with database.transaction() as session:
        await session.execute(
            sa.update(LoginThrottle)
            .where(LoginThrottle.key == key)
            .values(window_start=utcnow() - timedelta(seconds=301))
        )
    fresh = await throttle.reserve([Limit(key, 5)])
    assert fresh.windows[key] != old.windows[key]
    await throttle.release(old)
    assert await failures(database, key) == 1


async def test_clearing_forgets_one_key_only(database: Database):
    throttle = Throttle(database, 300)
    await throttle.reserve([Limit("account:c@example.com", 5), Limit("ip:10.0.0.2", 50)])
    await throttle.clear("account:c@example.com")
    assert await failures(database, "account:c@example.com") is None
    assert await failures(database, "ip:10.0.0.2") == 1


def test_the_wait_is_what_is_left_of_the_window_and_at_least_a_second():
    throttle = Throttle(None, 300)  # type: ignore[arg-type]  # no database needed
    now = utcnow()
    assert throttle._remaining(now, now) == 300
    assert throttle._remaining(now - timedelta(seconds=100.5), now) == 200
    assert throttle._remaining(now - timedelta(seconds=299.5), now) == 1
    assert throttle._remaining(now - timedelta(seconds=400), now) == 1


# -- who may grant which role ------------------------------------------------------------

# Granter (rows) x role given (columns): nobody gives a role above their own, only owners
# make owners, an agent key is given by those who may do what it does (docs/security.md).
GRANTS = {
    #              owner  admin  member read_only agent
    "owner":     (True,  True,  True,  True,  True),
    "admin":     (False, True,  True,  True,  True),
    "member":    (False, False, True,  True,  True),
    "read_only": (False, False, False, True,  False),
    "agent":     (False, False, False, False, False),
}  # fmt: skip
GIVEN = ("owner", "admin", "member", "read_only", "agent")


def test_who_may_grant_which_role():
    for granter, row in GRANTS.items():
        for role, expected in zip(GIVEN, row, strict=True):
            assert may_grant(granter, role) is expected, (granter, role)
    assert not may_grant("owner", "superuser") and not may_grant("root", "read_only")


def test_a_keys_role_is_capped_by_its_persons_role_now():
    assert key_role("admin", "owner") == "admin"
    assert key_role("admin", "member") == "member"  # demoted person, demoted key
    assert key_role("owner", "admin") == "admin"
    assert key_role("read_only", "member") == "read_only"
    assert key_role("agent", "member") == "agent"
    assert key_role("agent", "read_only") is None  # could do nothing it was made for


def test_roles_rank_owner_admin_member_read_only():
    order = ["owner", "admin", "member", "read_only"]
    for index, stronger in enumerate(order):
        for weaker in order[index + 1 :]:
            assert outranks(stronger, weaker) and not outranks(weaker, stronger)
        assert not outranks(stronger, stronger)
    assert outranks("read_only", "agent") and not outranks("agent", "read_only")
    assert not outranks("agent", "agent") and not outranks("agent", "nobody")


# -- what /auth/me says ----------------------------------------------------------------------


async def test_auth_me_describes_a_session_and_a_key(http: httpx.AsyncClient, database: Database):
    user, (alpha, beta) = await _person_in(database, "alpha", "beta")
    async with database.session() as session:
        slugs = dict((await session.execute(sa.select(Tenant.id, Tenant.slug))).all())
        email = await session.scalar(sa.select(User.email).where(User.id == user))
    login = await http.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    csrf = login.json()["csrfToken"]
    alpha_json = {"id": str(alpha), "name": "alpha", "slug": slugs[alpha], "role": "member"}
    beta_json = {"id": str(beta), "name": "beta", "slug": slugs[beta], "role": "read_only"}
    me = (await http.get("/auth/me")).json()
    assert me == {
        "authEnabled": True,
        "kind": "session",
        "role": "member",
        "user": {"id": str(user), "email": email, "name": None},
        "currentTeam": alpha_json,
        "teams": [alpha_json, beta_json],
        "apiKey": None,
        "csrfToken": csrf,
    }
    http.cookies.clear()
    made = await api_keys.create_api_key(
        database, beta, name="laptop", role="read_only", granter_role="owner",
        user_id=user, created_by=user,
    )  # fmt: skip
    by_key = (await http.get("/auth/me", headers={"authorization": f"Bearer {made.key}"})).json()
    assert by_key["kind"] == "api_key" and by_key["role"] == "read_only"
    assert by_key["currentTeam"] == beta_json and by_key["teams"] == [beta_json]
    assert by_key["apiKey"] == {"id": str(made.info.id), "name": "laptop", "serviceAccount": False}


# -- "first team" means first by name, whatever the ids -------------------------------------


async def test_first_team_is_by_name_not_by_id(database: Database):
    # Ids in the opposite order of the names, so an order by id picks the other team.
    named = {"zulu": uuid.UUID(int=1), "alpha": uuid.UUID(int=2**128 - 1)}
    async with database.transaction() as session:
        for name, team_id in named.items():
            session.add(
                Tenant(id=team_id, name=name, slug=f"{name}-{team_id.hex[:6]}", settings={})
            )
    user = await new_user(database, named["zulu"], "member")
    await join(database, named["alpha"], user.id, "admin")
    made = await start_session(database, user.id, 3600)
    assert made.info.tenant_id == named["alpha"]
    gone = await new_team(database, "mike")
    await join(database, gone, user.id, "read_only")
    await switch_team(database, made.info.id, user.id, str(gone))
    async with database.transaction() as session:
        await session.execute(sa.delete(Membership).where(Membership.tenant_id == gone))
    resolved = await authenticator(database).resolve_session(made.token)
    assert resolved.principal is not None
    assert (resolved.principal.tenant_id, resolved.principal.role) == (named["alpha"], "admin")


# -- listening beyond loopback --------------------------------------------------------------


def test_only_loopback_names_and_addresses_count_as_loopback():
    assert is_loopback("[::1]") and is_loopback(" LOCALHOST ")
    assert not is_loopback("localhostX") and not is_loopback("[localhost]x")


def test_the_refusal_to_listen_without_auth_says_how_to_turn_it_on():
    assert bind_refusal("0.0.0.0", False) == (
        "refusing to listen on 0.0.0.0 without authentication: anyone who can reach it "
        "could run code on your agents. Start with --auth (or set "
        "PROCTOR_SERVER_AUTH_ENABLED=true) and create the first user with "
        "`proctor server create-admin --email you@example.com`; or listen on 127.0.0.1."
    )
