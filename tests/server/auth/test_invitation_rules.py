"""Inviting and accepting, in process against a real database (docs/security.md,
"Invitations"): what an invitation records, who may invite whom, that a member of the
team is not invited again, the open invitations newest first, the lifetime, the refusals
and their messages, and that of two acceptances of one token exactly one wins."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from tests.server.auth.helpers import FAST, PASSWORD, new_team, new_user

from proctor.server.auth.invitations import accept, invite, list_invitations
from proctor.server.auth.passwords import Passwords
from proctor.server.database import Database
from proctor.server.database.models import Invitation, Membership, User
from proctor.server.database.types import utcnow
from proctor.server.errors import Conflict, Forbidden, InvalidInput

NEW_PASSWORD = "a long enough passphrase"
INVALID = "This invitation is unknown, expired or already used."


async def _invite(
    db: Database,
    team: uuid.UUID,
    email: str,
    role: str = "member",
    *,
    by: str = "owner",
    inviter: uuid.UUID | None = None,
    lifetime: float = 3600,
) -> str:
    made = await invite(
        db, team, email=email, role=role, inviter_role=by, inviter_id=inviter,
        lifetime_seconds=lifetime,
    )  # fmt: skip
    return made.token


async def _row(db: Database, token: str) -> Invitation:
    async with db.session() as session:
        row = await session.scalar(
            sa.select(Invitation).where(
                Invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
            )
        )
    assert row is not None, "only the token's SHA-256 is stored"
    return row


async def test_an_invitation_records_the_address_role_inviter_and_lifetime(database: Database):
    team = await new_team(database, "inviting")
    inviter = await new_user(database, team, "admin")
    before = utcnow()
    made = await invite(
        database, team, email="  New.Person@Example.COM ", role="member",
        inviter_role="admin", inviter_id=inviter.id, lifetime_seconds=7200,
    )  # fmt: skip
    after = utcnow()
    info = made.info
    assert (info.tenant_id, info.email, info.role, info.accepted) == (
        team, "new.person@example.com", "member", None,
    )  # fmt: skip
    assert before + timedelta(seconds=7200) <= info.expires <= after + timedelta(seconds=7200)
    row = await _row(database, made.token)
    assert (row.id, row.invited_by, row.accepted_by) == (info.id, inviter.id, None)
    assert made.token not in (row.token_hash, row.email)


async def test_who_may_invite_whom(database: Database):
    team = await new_team(database, "roles")
    # Who may call inviteMember at all is the permission table's; here: no role above your own.
    for inviter, role in (("admin", "owner"), ("member", "admin"), ("read_only", "member")):
        with pytest.raises(Forbidden) as refused:
            await _invite(database, team, "x@example.com", role, by=inviter)
        assert inviter in refused.value.message and role in refused.value.message
    with pytest.raises(InvalidInput) as unknown:
        await _invite(database, team, "x@example.com", "agent")
    assert "'agent'" in unknown.value.message
    with pytest.raises(InvalidInput):
        await _invite(database, team, "not an address")
    assert await list_invitations(database, team) == []
    await _invite(database, team, "o@example.com", "owner", by="owner")
    await _invite(database, team, "a@example.com", "admin", by="admin")
    assert {i.role for i in await list_invitations(database, team)} == {"owner", "admin"}


async def test_a_member_of_the_team_is_not_invited_again_a_member_elsewhere_is(
    database: Database,
):
    team = await new_team(database, "ours")
    elsewhere = await new_team(database, "theirs")
    member = await new_user(database, team, "member", "member@example.com")
    await new_user(database, elsewhere, "member", "outsider@example.com")
    with pytest.raises(Conflict) as already:
        await _invite(database, team, " MEMBER@example.com")
    assert "member@example.com" in already.value.message
    await _invite(database, elsewhere, member.email)  # a member of another team only
    await _invite(database, team, "outsider@example.com")
    listed = {(i.tenant_id, i.email) for i in await list_invitations(database, team)}
    assert listed == {(team, "outsider@example.com")}


async def test_open_invitations_are_listed_newest_first(database: Database):
    team = await new_team(database, "listed")
    tokens = [await _invite(database, team, f"p{index}@example.com") for index in range(3)]
    for index, token in enumerate(tokens):
        async with database.transaction() as session:
            await session.execute(
                sa.update(Invitation)
                .where(Invitation.id == (await _row(database, token)).id)
                .values(created=datetime(2026, 1, 1 + index, tzinfo=UTC))
            )
    listed = await list_invitations(database, team)
    assert [i.email for i in listed] == ["p2@example.com", "p1@example.com", "p0@example.com"]
    assert all(i.accepted is None for i in listed)
    await accept(database, FAST, tokens[1], current_user=None, password=NEW_PASSWORD, name=None)
    assert [i.email for i in await list_invitations(database, team)] == [
        "p2@example.com",
        "p0@example.com",
    ]


async def test_an_expired_invitation_is_refused_an_open_one_accepted_and_recorded(
    database: Database,
):
    team = await new_team(database, "lifetime")
    late = await _invite(database, team, "late@example.com")
    async with database.transaction() as session:
        await session.execute(
            sa.update(Invitation)
            .where(Invitation.email == "late@example.com")
            .values(expires=utcnow() - timedelta(seconds=1))
        )
    with pytest.raises(InvalidInput) as refused:
        await accept(database, FAST, late, current_user=None, password=NEW_PASSWORD, name=None)
    assert refused.value.message == INVALID
    async with database.session() as session:
        assert await session.scalar(sa.select(User).where(User.email == "late@example.com")) is None

    token = await _invite(database, team, "on-time@example.com", lifetime=60)
    before = utcnow()
    user, joined = await accept(
        database, FAST, token, current_user=None, password=NEW_PASSWORD, name=None
    )
    row = await _row(database, token)
    assert row.accepted_by == user.id and row.accepted is not None
    assert before <= row.accepted <= utcnow()
    assert (joined.id, joined.role, user.name) == (team, "member", None)


async def test_a_refused_existing_account_is_told_how_to_accept(database: Database):
    team = await new_team(database, "existing")
    person = await new_user(database, await new_team(database, "home"), "member")
    token = await _invite(database, team, person.email)
    with pytest.raises(InvalidInput) as refused:
        await accept(database, FAST, token, current_user=None, password=None, name=None)
    assert refused.value.message == (
        f"Log in as {person.email} (or give that account's password) to accept."
    )
    with pytest.raises(InvalidInput) as weak:
        await accept(database, FAST, await _invite(database, team, "new@example.com"),
                     current_user=None, password="short", name=None)  # fmt: skip
    assert "characters" in weak.value.message
    # The right password of the account, logged in as nobody: joins as that account.
    user, _ = await accept(database, FAST, token, current_user=None, password=PASSWORD, name="x")
    assert (user.id, user.name) == (person.id, None), "an existing account keeps its name"
    assert (await _row(database, token)).accepted_by == person.id


class _Together(Passwords):
    """Argon2 at its cheapest, where two acceptances wait for each other after both read
    the invitation (at the password step), so they race for it at the same moment."""

    def __init__(self, parties: int) -> None:
        super().__init__(time_cost=1, memory_kib=8, parallelism=1)
        self.barrier = asyncio.Barrier(parties)

    async def hash(self, password: str) -> str:
        await asyncio.wait_for(self.barrier.wait(), 60)
        return await super().hash(password)


async def test_of_two_acceptances_of_one_token_exactly_one_wins(database: Database):
    team = await new_team(database, "race")
    token = await _invite(database, team, "racer@example.com", "admin")
    together = _Together(2)
    outcomes = await asyncio.gather(
        *(
            accept(database, together, token, current_user=None, password=NEW_PASSWORD, name=n)
            for n in ("first", "second")
        ),
        return_exceptions=True,
    )
    won = [o for o in outcomes if not isinstance(o, BaseException)]
    lost = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert isinstance(lost[0], InvalidInput) and lost[0].message == INVALID
    async with database.session() as session:
        users = (await session.scalars(sa.select(User.email))).all()
        members = (await session.scalars(sa.select(Membership.role))).all()
    assert (users, members) == (["racer@example.com"], ["admin"])


async def test_two_invitations_of_one_new_person_accepted_at_once_make_one_account(
    database: Database,
):
    team = await new_team(database, "twice")
    tokens = [await _invite(database, team, "twice@example.com", role) for role in ("member",) * 2]
    together = _Together(2)
    outcomes = await asyncio.gather(
        *(
            accept(database, together, t, current_user=None, password=NEW_PASSWORD, name=None)
            for t in tokens
        ),
        return_exceptions=True,
    )
    lost = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(lost) == 1 and isinstance(lost[0], Conflict), outcomes
    # SQLite lets one writer in at a time: the second finds the account made. On
    # PostgreSQL both insert it and the database refuses the second: either way, a
    # sentence saying what happened.
    message = lost[0].message
    assert message[0].isupper() and message.endswith("."), message
    assert "already exists" in message or "at the same time" in message, message
    async with database.session() as session:
        assert (await session.scalars(sa.select(User.email))).all() == ["twice@example.com"]
        assert len((await session.scalars(sa.select(Membership.id))).all()) == 1
    # The loser's invitation was not used up: it stays open.
    assert len(await list_invitations(database, team)) == 1
