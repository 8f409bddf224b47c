"""The identity a request acts with, resolved once per request or websocket connection."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

# Team roles, strongest first. `agent` is the role of service-account keys that agents
# and run processes use: they may claim and report runs, nothing else.
ROLES: tuple[str, ...] = ("owner", "admin", "member", "read_only", "agent")

Role = Literal["owner", "admin", "member", "read_only", "agent"]
PrincipalKind = Literal["local", "session", "api_key"]


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking: in which team, with which role, as which user and/or key.

    `kind="local"` is the principal of local mode (no auth, loopback only): the owner of
    the default team. `session` is a logged-in browser; `api_key` a user's or a service
    account's key (`user_id` is None for service accounts).
    """

    tenant_id: uuid.UUID
    role: Role
    kind: PrincipalKind
    user_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None

    @classmethod
    def local(cls, tenant_id: uuid.UUID) -> Principal:
        return cls(tenant_id=tenant_id, role="owner", kind="local")


__all__ = ["ROLES", "Principal", "PrincipalKind", "Role"]
