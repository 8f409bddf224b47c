"""What the auth services return: plain frozen dataclasses (never ORM objects, never a
hash). A plaintext token appears only in the result of the call that created it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: uuid.UUID
    email: str
    name: str | None


@dataclass(frozen=True, slots=True)
class TeamInfo:
    """A team as one person sees it: with their role in it."""

    id: uuid.UUID
    name: str
    slug: str
    role: str


@dataclass(frozen=True, slots=True)
class MemberInfo:
    user_id: uuid.UUID
    email: str
    name: str | None
    role: str
    joined: datetime


@dataclass(frozen=True, slots=True)
class ApiKeyInfo:
    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    prefix: str
    role: str
    user_id: uuid.UUID | None
    user_email: str | None
    service_account: bool
    created_by: uuid.UUID | None
    created: datetime
    expires_at: datetime | None
    last_used: datetime | None
    revoked: bool


@dataclass(frozen=True, slots=True)
class NewApiKey:
    """A key just made: `key` is its only plaintext copy."""

    info: ApiKeyInfo
    key: str


@dataclass(frozen=True, slots=True)
class InvitationInfo:
    id: uuid.UUID
    tenant_id: uuid.UUID
    email: str
    role: str
    expires: datetime
    accepted: datetime | None


@dataclass(frozen=True, slots=True)
class NewInvitation:
    """An invitation just made: `token` is its only plaintext copy."""

    info: InvitationInfo
    token: str


@dataclass(frozen=True, slots=True)
class SessionInfo:
    id: uuid.UUID
    user_id: uuid.UUID
    tenant_id: uuid.UUID | None
    expires: datetime


@dataclass(frozen=True, slots=True)
class NewSession:
    """A login just made: `token` goes into the cookie and nowhere else."""

    info: SessionInfo
    token: str


__all__ = [
    "ApiKeyInfo",
    "InvitationInfo",
    "MemberInfo",
    "NewApiKey",
    "NewInvitation",
    "NewSession",
    "SessionInfo",
    "TeamInfo",
    "UserInfo",
]
