"""People: accounts, passwords, the first owner (`proctor server create-admin`)."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.auth.passwords import Passwords, check_policy
from proctor.server.auth.records import UserInfo
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import Membership, User
from proctor.server.errors import Conflict, InvalidInput, NotFound

MAX_EMAIL = 320


def normalize_email(email: Any) -> str:
    """Emails are compared lower-cased and without surrounding blanks."""
    if not isinstance(email, str):
        raise InvalidInput("An email address is required.")
    cleaned = email.strip().lower()
    local, at, domain = cleaned.partition("@")
    if (
        not at
        or not local
        or not domain
        or len(cleaned) > MAX_EMAIL
        or any(c.isspace() for c in cleaned)
    ):
        raise InvalidInput(f"Not an email address: {email[:100]!r}")
    return cleaned


def user_info(row: User) -> UserInfo:
    return UserInfo(id=row.id, email=row.email, name=row.name)


async def add_user(session: AsyncSession, email: str, password_hash: str, name: str | None) -> User:
    """Insert a user (in the caller's transaction); `Conflict` if the email is taken."""
    taken = await session.scalar(sa.select(User.id).where(User.email == email))
    if taken is not None:
        raise Conflict(f"A user with email {email} already exists.", details={"email": email})
    user = User(email=email, name=name, password_hash=password_hash, is_active=True)
    session.add(user)
    await session.flush()
    return user


async def create_admin(
    db: Database,
    passwords: Passwords,
    email: str,
    password: str,
    *,
    tenant_id: uuid.UUID = DEFAULT_TENANT_ID,
) -> UserInfo:
    """A new user who owns the default team (the first login of a new server)."""
    email = normalize_email(email)
    hashed = await passwords.hash(check_policy(password))
    try:
        async with db.transaction() as session:
            user = await add_user(session, email, hashed, None)
            session.add(Membership(tenant_id=tenant_id, user_id=user.id, role="owner"))
            await session.flush()
            return user_info(user)
    except sa_exc.IntegrityError:  # a concurrent create won the race
        raise Conflict(f"A user with email {email} already exists.") from None


async def authenticate(
    db: Database, passwords: Passwords, email: str, password: str
) -> UserInfo | None:
    """The user with these credentials, or None (same cost whether the email exists)."""
    try:
        email = normalize_email(email)
    except InvalidInput:
        email = ""
    async with db.session() as session:
        user = await session.scalar(sa.select(User).where(User.email == email)) if email else None
    hashed = user.password_hash if user is not None and user.is_active else None
    if not isinstance(password, str) or len(password) > 4096:
        password = ""
    if not await passwords.verify(hashed, password) or user is None:
        return None
    return user_info(user)


async def get_user(db: Database, user_id: uuid.UUID) -> UserInfo:
    async with db.session() as session:
        user = await session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user_info(user)


async def change_password(
    db: Database, passwords: Passwords, user_id: uuid.UUID, current: str, new: str
) -> None:
    """Set a new password after checking the current one (`InvalidInput` if wrong: the
    caller is authenticated, it is the form that is wrong)."""
    async with db.session() as session:
        hashed = await session.scalar(sa.select(User.password_hash).where(User.id == user_id))
    if not await passwords.verify(hashed, current if isinstance(current, str) else ""):
        raise InvalidInput("The current password is not correct.")
    new_hash = await passwords.hash(check_policy(new))
    async with db.transaction() as session:
        await session.execute(
            sa.update(User).where(User.id == user_id).values(password_hash=new_hash)
        )


__all__ = [
    "add_user",
    "authenticate",
    "change_password",
    "create_admin",
    "get_user",
    "normalize_email",
    "user_info",
]
