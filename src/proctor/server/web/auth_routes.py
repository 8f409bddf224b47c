"""Login, logout and "who am I" over plain HTTP (the UI's login page uses them).

    POST /auth/login    {"email", "password"} -> sets the session cookie (HttpOnly,
                        SameSite=Strict; Secure when PROCTOR_SERVER_AUTH_COOKIE_SECURE)
                        and a readable `proctor_csrf` cookie; 401 wrong credentials,
                        429 + Retry-After while throttled (see `login_limits`)
    POST /auth/logout   ends the session server-side (needs X-CSRF-Token)
    GET  /auth/me       the user, their teams and roles, the current team, the CSRF token

Every login starts a new session: a session id planted in the browser before login is
never the one after it. Errors are JSON: `{"error": {"code", "message"}}`.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from proctor.server.auth.identity import describe, identity_json
from proctor.server.auth.principal import Principal
from proctor.server.auth.resolve import Authenticator, CsrfRefused, same_origin
from proctor.server.auth.sessions import (
    COOKIE,
    CSRF_COOKIE,
    csrf_token,
    end_session,
    start_session,
)
from proctor.server.auth.throttle import Limit
from proctor.server.auth.users import authenticate
from proctor.settings.auth import AuthSettings

MAX_LOGIN_BODY = 16 * 1024


def _error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status, headers=headers)


def _state(request: Request) -> Any:
    return request.app.state.api


async def _credentials(request: Request) -> tuple[str, str] | None:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_LOGIN_BODY:
            return None
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    email, password = data.get("email"), data.get("password")
    if not isinstance(email, str) or not isinstance(password, str):
        return None
    return email, password


def _client(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def login_limits(email: str, address: str, settings: AuthSettings) -> list[Limit]:
    """The counters a login attempt is reserved against, strictest first.

    No counter is the account alone at a low limit: then anyone could lock the owner out
    by failing five times. The low limit is per account *from one address*; an address
    has its own limit across accounts (one machine guessing many accounts); and the
    account has a much higher limit across all addresses, which stops a guess spread
    over many machines while one attacker cannot reach it alone.
    """
    account = email.strip().lower()[:320]
    address = address[:60]  # the key fits the column's 400 characters
    return [
        Limit(f"account-address:{address} {account}", settings.login_attempts),
        Limit(f"ip:{address}", settings.login_ip_attempts),
        Limit(f"account:{account}", settings.login_account_attempts),
    ]


async def login(request: Request) -> Response:
    auth: Authenticator | None = _state(request).authenticator
    if auth is None:
        return _error(400, "AUTH_DISABLED", "This server runs in local mode: no login needed.")
    if not same_origin(request):
        return _error(403, "FORBIDDEN", "Log in from this server's own pages.")
    credentials = await _credentials(request)
    if credentials is None:
        return _error(400, "INVALID_INPUT", 'Send JSON {"email": "...", "password": "..."}.')
    email, password = credentials
    limits = login_limits(email, _client(request), auth.settings)
    reservation = await auth.throttle.reserve(limits)
    if reservation.retry_after is not None:
        wait = reservation.retry_after
        return _error(
            429,
            "TOO_MANY_ATTEMPTS",
            f"Too many failed logins: try again in {wait} s.",
            {"Retry-After": str(wait)},
        )
    user = await authenticate(auth.db, auth.passwords, email, password)
    if user is None:  # the reservation stays: it is the counted failure
        return _error(401, "INVALID_CREDENTIALS", "Wrong email or password.")
    await auth.throttle.release(reservation)
    await auth.throttle.clear(limits[0].key)  # this person's own typos from here
    old = request.cookies.get(COOKIE)
    if old:  # whatever session the browser had (or was given) ends here
        await end_session(auth.db, old)
    new = await start_session(auth.db, user.id, auth.settings.session_lifetime_seconds)
    resolution = await auth.resolve_session(new.token)
    if resolution.principal is None:
        await end_session(auth.db, new.token)
        return _error(
            403, "NO_TEAM", "You are not a member of any team yet: ask for an invitation."
        )
    body = await _me_json(auth, resolution.principal, new.token)
    response = JSONResponse(body)
    _set_cookies(response, new.token, auth.settings)
    return response


def _set_cookies(response: Response, token: str, settings: AuthSettings) -> None:
    lifetime = int(settings.session_lifetime_seconds)
    common: dict[str, Any] = {
        "max_age": lifetime,
        "path": "/",
        "secure": bool(settings.cookie_secure),
        "samesite": "strict",
    }
    response.set_cookie(COOKIE, token, httponly=True, **common)
    # Readable by the UI's scripts, which echo it in X-CSRF-Token (double submit).
    response.set_cookie(CSRF_COOKIE, csrf_token(token), httponly=False, **common)


def _clear_cookies(response: Response, settings: AuthSettings) -> None:
    for name in (COOKIE, CSRF_COOKIE):
        response.delete_cookie(
            name, path="/", secure=bool(settings.cookie_secure), samesite="strict"
        )


async def logout(request: Request) -> Response:
    auth: Authenticator | None = _state(request).authenticator
    if auth is None:
        return _error(400, "AUTH_DISABLED", "This server runs in local mode: no logout needed.")
    token = request.cookies.get(COOKIE)
    if not token:
        return JSONResponse({"loggedOut": False})
    try:
        auth.check_csrf(request, token)
    except CsrfRefused as refused:
        return _error(403, "FORBIDDEN", str(refused))
    ended = await end_session(auth.db, token)
    response = JSONResponse({"loggedOut": ended})
    _clear_cookies(response, auth.settings)
    return response


async def me(request: Request) -> Response:
    state = _state(request)
    auth: Authenticator | None = state.authenticator
    if auth is None:
        identity = await describe(state.database, Principal.local(state.default_tenant_id))
        return JSONResponse(identity_json(identity, auth_enabled=False, csrf=None))
    resolution = await auth.resolve(request)  # a GET: no CSRF check applies
    if resolution.principal is None:
        message = resolution.problem or "Not logged in."
        return _error(401, "UNAUTHENTICATED", message)
    return JSONResponse(await _me_json(auth, resolution.principal, resolution.session_token))


async def _me_json(
    auth: Authenticator, principal: Principal, token: str | None
) -> dict[str, object]:
    identity = await describe(auth.db, principal)
    csrf = csrf_token(token) if token and principal.kind == "session" else None
    return identity_json(identity, auth_enabled=True, csrf=csrf)


def auth_routes() -> list[Route]:
    return [
        Route("/auth/login", login, methods=["POST"]),
        Route("/auth/logout", logout, methods=["POST"]),
        Route("/auth/me", me, methods=["GET"]),
    ]


__all__ = ["auth_routes"]
