"""People, in process against a real database (docs/security.md, "The first owner",
"Logging in" and "API keys"): the first owner (`create-admin`) owns the default team and
follows the password rules; one account per address; logging in checks an active account's
password and answers nothing else (whatever is sent as the password); unknown users are
NOT_FOUND; a new password follows the rules."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import sqlalchemy as sa
from tests.server.auth.helpers import FAST, PASSWORD, new_team, new_user

from proctor.server.auth.passwords import Passwords
from proctor.server.auth.users import (
    add_user,
    authenticate,
    change_password,
    create_admin,
    get_user,
)
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import Membership, User
from proctor.server.errors import Conflict, InvalidInput, NotFound

FIRST_PASSWORD = "the first owner's passphrase"


async def _memberships(db: Database) -> list[tuple[uuid.UUID, uuid.UUID, str]]:
    async with db.session() as session:
        rows = await session.execute(
            sa.select(Membership.tenant_id, Membership.user_id, Membership.role)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def test_the_first_owner_owns_the_default_team_and_logs_in(database: Database):
    admin = await create_admin(database, FAST, "  Boss@Example.COM ", FIRST_PASSWORD)
    assert (admin.email, admin.name) == ("boss@example.com", None)
    assert await _memberships(database) == [(DEFAULT_TENANT_ID, admin.id, "owner")]
    assert await authenticate(database, FAST, "boss@example.com", FIRST_PASSWORD) == admin
    assert await get_user(database, admin.id) == admin
    async with database.session() as session:
        stored = await session.scalar(sa.select(User.password_hash))
    assert stored is not None and stored.startswith("$argon2id$")
    assert FIRST_PASSWORD not in stored


async def test_a_first_owner_of_another_team_owns_that_one(database: Database):
    team = await new_team(database, "other")
    admin = await create_admin(database, FAST, "o@example.com", FIRST_PASSWORD, tenant_id=team)
    assert await _memberships(database) == [(team, admin.id, "owner")]


async def test_create_admin_refuses_a_short_password_a_bad_address_or_a_taken_one(
    database: Database,
):
    with pytest.raises(InvalidInput) as short:
        await create_admin(database, FAST, "boss@example.com", "1234567")
    assert "8 characters" in short.value.message
    with pytest.raises(InvalidInput):
        await create_admin(database, FAST, "not an address", FIRST_PASSWORD)
    async with database.session() as session:
        assert (await session.scalars(sa.select(User.id))).all() == []
    first = await create_admin(database, FAST, "boss@example.com", FIRST_PASSWORD)
    with pytest.raises(Conflict) as taken:
        await create_admin(database, FAST, "BOSS@example.com", "another passphrase")
    assert "boss@example.com" in taken.value.message
    # The first account is untouched: same password, still the only owner.
    assert await authenticate(database, FAST, "boss@example.com", FIRST_PASSWORD) == first
    assert await _memberships(database) == [(DEFAULT_TENANT_ID, first.id, "owner")]


async def test_one_account_per_address(database: Database):
    async with database.transaction() as session:
        user = await add_user(session, "one@example.com", FAST.hash_now(PASSWORD), "One")
        assert (user.email, user.name, user.is_active) == ("one@example.com", "One", True)
    with pytest.raises(Conflict) as taken:
        async with database.transaction() as session:
            await add_user(session, "one@example.com", FAST.hash_now(PASSWORD), None)
    assert "one@example.com" in taken.value.message
    assert taken.value.details == {"email": "one@example.com"}


async def test_logging_in_needs_the_right_password_of_an_active_account(database: Database):
    person = await new_user(database, DEFAULT_TENANT_ID, "member", "ana@example.com")
    assert await authenticate(database, FAST, " ANA@example.com ", PASSWORD) == person
    for email, password in (
        ("ana@example.com", PASSWORD + "!"),
        ("ana@example.com", ""),
        ("nobody@example.com", PASSWORD),
        ("not an address", PASSWORD),
        ("", PASSWORD),
    ):
        assert await authenticate(database, FAST, email, password) is None, (email, password)
    async with database.transaction() as session:
        await session.execute(sa.update(User).values(is_active=False))
    assert await authenticate(database, FAST, "ana@example.com", PASSWORD) is None


@pytest.mark.parametrize("password", [None, 42, b"correct horse battery staple", "x" * 5000])
async def test_a_password_that_is_not_text_or_is_huge_is_just_wrong(
    database: Database, password: object
):
    await new_user(database, DEFAULT_TENANT_ID, "member", "ana@example.com")
    assert await authenticate(database, FAST, "ana@example.com", password) is None  # type: ignore[arg-type]
    assert await authenticate(database, FAST, 42, password) is None  # type: ignore[arg-type]


async def test_the_longest_allowed_password_logs_in(database: Database):
    longest = "p" * 1024  # the password policy's limit
    await create_admin(database, FAST, "long@example.com", longest)
    assert await authenticate(database, FAST, "long@example.com", longest) is not None


async def test_an_unknown_user_is_not_found(database: Database):
    with pytest.raises(NotFound) as unknown:
        await get_user(database, uuid.uuid4())
    assert unknown.value.message == "No such user."


async def test_a_new_password_follows_the_rules_and_an_unknown_user_changes_nothing(
    database: Database,
):
    person = await new_user(database, DEFAULT_TENANT_ID, "member")
    with pytest.raises(InvalidInput) as short:
        await change_password(database, FAST, person.id, PASSWORD, "short")
    assert "8 characters" in short.value.message
    assert await authenticate(database, FAST, person.email, PASSWORD) == person
    with pytest.raises(InvalidInput):
        await change_password(database, FAST, uuid.uuid4(), PASSWORD, "a long new passphrase")
    # Changing one person's password leaves the others' alone.
    other = await new_user(database, DEFAULT_TENANT_ID, "member")
    await change_password(database, FAST, person.id, PASSWORD, "a long new passphrase")
    assert await authenticate(database, FAST, other.email, PASSWORD) == other
    assert await authenticate(database, FAST, person.email, "a long new passphrase") == person


class _Together(Passwords):
    """Argon2 at its cheapest, where two calls wait for each other once both hash a
    password, so both go on to write at the same moment."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_kib=8, parallelism=1)
        self.barrier = asyncio.Barrier(2)

    async def hash(self, password: str) -> str:
        await asyncio.wait_for(self.barrier.wait(), 60)
        return await super().hash(password)


async def test_two_first_owners_with_one_address_at_once_make_one_account(database: Database):
    together = _Together()
    outcomes = await asyncio.gather(
        create_admin(database, together, "boss@example.com", FIRST_PASSWORD),
        create_admin(database, together, "boss@example.com", "another passphrase"),
        return_exceptions=True,
    )
    [won] = [o for o in outcomes if not isinstance(o, BaseException)]
    [lost] = [o for o in outcomes if isinstance(o, BaseException)]
    # SQLite lets one writer in at a time (the second finds the account); on PostgreSQL
    # the database refuses the second insert: a CONFLICT naming the address either way.
    assert isinstance(lost, Conflict) and "boss@example.com" in lost.message, outcomes
    assert await _memberships(database) == [(DEFAULT_TENANT_ID, won.id, "owner")]  # type: ignore[union-attr]
