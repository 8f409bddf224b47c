"""Accepting an invitation, in process (docs/security.md, "Invitations"): the one-time
token creates the account of a new person (a password is required); someone who already
has an account accepts while logged in as the invited email, or by giving that account's
password; a token that is unknown, empty or already used is refused, and accepting one
invitation leaves the team's other invitations open."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from tests.server.auth.helpers import FAST, PASSWORD, new_team, new_user

from proctor.server.auth.invitations import accept, invite, list_invitations
from proctor.server.auth.users import authenticate
from proctor.server.database import Database
from proctor.server.database.models import Membership
from proctor.server.database.types import utcnow
from proctor.server.errors import InvalidInput

NEW_PASSWORD = "a long enough passphrase"
INVALID = "unknown, expired or already used"


async def _invite(db: Database, team: uuid.UUID, email: str, role: str = "member") -> str:
    made = await invite(
        db,
        team,
        email=email,
        role=role,
        inviter_role="owner",
        inviter_id=None,
        lifetime_seconds=3600,
    )
    return made.token


async def _refused(db: Database, token: object, **kw: object) -> str:
    args = {"current_user": None, "password": None, "name": None, **kw}
    with pytest.raises(InvalidInput) as refused:
        await accept(db, FAST, token, **args)  # type: ignore[arg-type]
    assert refused.value.message, "a refusal says why"
    return refused.value.message


async def test_a_new_person_needs_a_password_and_gets_their_name(database: Database):
    team = await new_team(database, "inviting")
    token = await _invite(database, team, "newcomer@example.com")
    message = await _refused(database, token)
    assert "password" in message and message[0].isupper()
    user, joined = await accept(
        database, FAST, token, current_user=None, password=NEW_PASSWORD, name="New Comer"
    )
    assert (user.email, user.name) == ("newcomer@example.com", "New Comer")
    assert (joined.id, joined.role) == (team, "member")
    assert await authenticate(database, FAST, "newcomer@example.com", NEW_PASSWORD) == user


async def test_an_existing_account_proves_it_is_them(database: Database):
    team = await new_team(database, "inviting")
    home = await new_team(database, "home")
    person = await new_user(database, home, "member")
    someone_else = await new_user(database, home, "member")
    token = await _invite(database, team, person.email, role="admin")

    for attempt in (
        {},  # not logged in, no password
        {"password": "not their password"},
        {"current_user": someone_else.id},
        {"current_user": someone_else.id, "password": "not their password"},
    ):
        message = await _refused(database, token, **attempt)
        assert f"Log in as {person.email}" in message
    # The invitation is still open after the refusals; the right password accepts it.
    user, joined = await accept(
        database, FAST, token, current_user=None, password=PASSWORD, name=None
    )
    assert user.id == person.id and (joined.id, joined.role) == (team, "admin")


async def test_logged_in_as_the_invited_account_needs_no_password(database: Database):
    team = await new_team(database, "inviting")
    person = await new_user(database, await new_team(database, "home"), "member")
    token = await _invite(database, team, person.email)
    user, joined = await accept(
        database, FAST, token, current_user=person.id, password=None, name=None
    )
    assert user.id == person.id and joined.id == team


@pytest.mark.parametrize("token", ["", None, 42, "no-such-token"])
async def test_a_token_that_is_not_an_open_invitation_is_refused(database: Database, token: object):
    assert INVALID in await _refused(database, token, password=NEW_PASSWORD)


async def test_a_token_is_used_once_and_leaves_other_invitations_open(database: Database):
    team = await new_team(database, "inviting")
    first = await _invite(database, team, "first@example.com")
    second = await _invite(database, team, "second@example.com")
    await accept(database, FAST, first, current_user=None, password=NEW_PASSWORD, name=None)
    assert INVALID in await _refused(database, first, password=NEW_PASSWORD)
    assert [i.email for i in await list_invitations(database, team)] == ["second@example.com"]
    user, _ = await accept(
        database, FAST, second, current_user=None, password=NEW_PASSWORD, name=None
    )
    assert user.email == "second@example.com"


async def test_the_membership_has_the_invited_role_and_an_earlier_one_is_kept(
    database: Database,
):
    team = await new_team(database, "inviting")
    as_admin = await _invite(database, team, "twice@example.com", role="admin")
    as_member = await _invite(database, team, "twice@example.com", role="member")
    user, joined = await accept(
        database, FAST, as_admin, current_user=None, password=NEW_PASSWORD, name=None
    )
    assert (joined.id, joined.name, joined.role) == (team, "inviting", "admin")
    assert joined.slug.startswith("inviting-")
    # A second invitation of someone who joined since changes nothing: still one admin.
    _, again = await accept(
        database, FAST, as_member, current_user=user.id, password=None, name=None
    )
    assert again.role == "admin"
    async with database.session() as session:
        rows = (
            await session.execute(
                sa.select(Membership.role).where(
                    Membership.tenant_id == team, Membership.user_id == user.id
                )
            )
        ).all()
    assert [row.role for row in rows] == ["admin"]


async def test_open_invitations_are_listed_per_team(database: Database):
    team, other = await new_team(database, "inviting"), await new_team(database, "other")
    await _invite(database, team, "ours@example.com", role="admin")
    await _invite(database, other, "theirs@example.com")
    [listed] = await list_invitations(database, team)
    assert (listed.tenant_id, listed.email, listed.role) == (team, "ours@example.com", "admin")
    assert listed.accepted is None and listed.expires > utcnow()
    assert isinstance(listed.id, uuid.UUID)
