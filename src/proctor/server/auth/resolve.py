"""From an HTTP request or websocket to the `Principal` it acts as.

    Authorization: Bearer <key>   an API key (CLI, client, agents, CI); no CSRF check:
                                  browsers never add this header on their own
    cookie proctor_session        a logged-in browser; a POST must also carry the
                                  session's CSRF token in `X-CSRF-Token`, and a websocket
                                  must come from this server's own origin
    neither                       nobody (`None`): only PUBLIC fields are open

In local mode (auth disabled) there is no `Authenticator`: the API context uses the local
owner principal, as before auth existed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from starlette.requests import HTTPConnection

from proctor.server.auth.api_keys import authenticate_key
from proctor.server.auth.passwords import Passwords
from proctor.server.auth.principal import Principal
from proctor.server.auth.sessions import COOKIE, CSRF_HEADER, csrf_token, find_session
from proctor.server.auth.throttle import Throttle
from proctor.server.auth.tokens import same
from proctor.server.database import Database
from proctor.server.database.models import Membership, Tenant
from proctor.settings.auth import AuthSettings


class CsrfRefused(Exception):
    """A cookie-authenticated request without proof that our own pages sent it."""


@dataclass(frozen=True, slots=True)
class Resolution:
    principal: Principal | None
    # Why presented credentials were refused (None: none were presented, or they worked).
    problem: str | None = None
    session_token: str | None = None


def bearer(connection: HTTPConnection) -> str | None:
    """The token of an `Authorization: Bearer` header (None without one)."""
    header = connection.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def same_origin(connection: HTTPConnection) -> bool:
    """Whether the request says it comes from a page of this server. No `Origin` header:
    not a browser, or a same-origin GET. The scheme is not compared: behind a TLS proxy
    the server sees http while the page is https."""
    origin = connection.headers.get("origin")
    if origin is None:
        return True
    scheme, separator, rest = origin.partition("://")
    host = connection.headers.get("host", "").lower()
    return (
        bool(separator) and scheme.lower() in ("http", "https") and rest.rstrip("/").lower() == host
    )


class Authenticator:
    """Auth mode's resolver, with what the login routes and resolvers share."""

    def __init__(self, db: Database, settings: AuthSettings) -> None:
        self.db = db
        self.settings = settings  # AuthSettings
        self.passwords = Passwords.from_settings(settings)
        self.throttle = Throttle(db, settings.login_window_seconds)

    async def resolve(self, connection: HTTPConnection) -> Resolution:
        token = bearer(connection)
        if token is not None:
            if not token:
                return Resolution(None, "Send the API key as `Authorization: Bearer <key>`.")
            return await self.resolve_key(token)
        cookie = connection.cookies.get(COOKIE)
        if not cookie:
            return Resolution(None)
        self.check_csrf(connection, cookie)
        return await self.resolve_session(cookie)

    async def resolve_key(self, key: str) -> Resolution:
        checked = await authenticate_key(self.db, key)
        return Resolution(checked.principal, checked.problem)

    async def resolve_session(self, token: str) -> Resolution:
        found = await find_session(self.db, token)
        if found is None:
            return Resolution(None, "Your session has ended: log in again.", token)
        tenant_id, role = await self._current_team(found.user_id, found.tenant_id)
        if tenant_id is None or role is None:
            return Resolution(None, "You are not a member of any team.", token)
        principal = Principal(
            tenant_id=tenant_id,
            role=role,  # type: ignore[arg-type]  # a membership role
            kind="session",
            user_id=found.user_id,
            session_id=found.id,
        )
        return Resolution(principal, None, token)

    async def _current_team(
        self, user_id: uuid.UUID, wanted: uuid.UUID | None
    ) -> tuple[uuid.UUID | None, str | None]:
        """The session's team and the user's role in it; if they left that team, their
        first other team (so removal from one team does not lock someone out of all)."""
        async with self.db.session() as session:
            rows = (
                await session.execute(
                    sa.select(Membership.tenant_id, Membership.role)
                    .join(Tenant, Tenant.id == Membership.tenant_id)
                    .where(Membership.user_id == user_id)
                    .order_by(Tenant.name, Tenant.id)
                )
            ).all()
        for tenant_id, role in rows:
            if tenant_id == wanted:
                return tenant_id, role
        return (rows[0][0], rows[0][1]) if rows else (None, None)

    def check_csrf(self, connection: HTTPConnection, cookie: str) -> None:
        """`CsrfRefused` unless a cookie request proves it comes from our own pages."""
        if connection.scope["type"] == "websocket":
            if not same_origin(connection):
                raise CsrfRefused(
                    "A websocket using the session cookie must come from this server's pages."
                )
            return
        if connection.scope.get("method", "GET") in ("GET", "HEAD", "OPTIONS"):
            return
        sent = connection.headers.get(CSRF_HEADER, "")
        if not sent or not same(sent, csrf_token(cookie)) or not same_origin(connection):
            raise CsrfRefused(
                "CSRF check failed: a request with the session cookie must send the "
                "X-CSRF-Token header (its value is in GET /auth/me) from this server's pages."
            )


__all__ = ["Authenticator", "CsrfRefused", "Resolution", "bearer", "same_origin"]
