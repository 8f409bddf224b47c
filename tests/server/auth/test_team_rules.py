"""The rules that keep a team governable (docs/security.md, "Teams and roles"), each on
its own against a real database: only owners change or remove an owner, nobody grants a
role above their own, a team never loses its last owner (whatever other teams have), a
removed person's keys of that team stop working and their keys elsewhere do not, and
what a new team and a member look like."""

from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa
from tests.server.auth.helpers import join, new_team, new_user, user_key

from proctor.server.auth import teams
from proctor.server.database import Database
from proctor.server.database.models import ApiKey
from proctor.server.errors import Conflict, Forbidden, InvalidInput, NotFound


async def _revoked(db: Database, tenant_id: uuid.UUID, user_id: uuid.UUID) -> list[bool]:
    async with db.session() as session:
        found = await session.scalars(
            sa.select(ApiKey.revoked).where(
                ApiKey.tenant_id == tenant_id, ApiKey.user_id == user_id
            )
        )
        return list(found)


async def test_a_persons_role_is_theirs_only(database: Database):
    team = await new_team(database, "roles")
    owner = await new_user(database, team, "owner")
    stranger = await new_user(database, await new_team(database, "elsewhere"), "owner")
    async with database.session() as session:
        assert await teams.role_in(session, team, owner.id) == "owner"
        assert await teams.role_in(session, team, stranger.id) is None


async def test_the_last_owner_stays_whatever_other_teams_have(database: Database):
    team = await new_team(database, "governed")
    owner = await new_user(database, team, "owner")
    other = await new_team(database, "other")
    await new_user(database, other, "owner")
    await new_user(database, other, "owner")
    for attempt in (
        teams.set_member_role(database, team, "owner", owner.id, "admin"),
        teams.remove_member(database, team, "owner", owner.id),
    ):
        with pytest.raises(Conflict) as caught:
            await attempt
        assert caught.value.message == "A team needs an owner: make someone else owner first."
    # Staying owner is no change at all: allowed.
    same = await teams.set_member_role(database, team, "owner", owner.id, "owner")
    assert same.role == "owner"


async def test_with_two_owners_one_may_step_down_or_leave(database: Database):
    team = await new_team(database, "pair")
    first = await new_user(database, team, "owner")
    second = await new_user(database, team, "owner")
    joined = {m.user_id: m.joined for m in await teams.list_members(database, team)}
    changed = await teams.set_member_role(database, team, "owner", first.id, "member")
    assert (changed.user_id, changed.email, changed.role) == (first.id, first.email, "member")
    assert changed.name == first.name and changed.joined == joined[first.id]
    await teams.set_member_role(database, team, "owner", first.id, "owner")
    assert await teams.remove_member(database, team, "owner", second.id) is True
    assert [m.user_id for m in await teams.list_members(database, team)] == [first.id]


async def test_admins_cannot_touch_owners_nor_grant_above_themselves(database: Database):
    team = await new_team(database, "ranks")
    owner = await new_user(database, team, "owner")
    await new_user(database, team, "owner")
    member = await new_user(database, team, "member")
    with pytest.raises(Forbidden) as caught:
        await teams.set_member_role(database, team, "admin", owner.id, "member")
    assert caught.value.message == "Only owners may change or remove an owner."
    with pytest.raises(Forbidden) as caught:
        await teams.remove_member(database, team, "admin", owner.id)
    assert caught.value.message == "Only owners may change or remove an owner."
    with pytest.raises(Forbidden) as caught:
        await teams.set_member_role(database, team, "admin", member.id, "owner")
    assert caught.value.message == "Your role (admin) may not grant the role owner."


async def test_removing_someone_revokes_their_keys_of_that_team_only(database: Database):
    team = await new_team(database, "keys")
    await new_user(database, team, "owner")
    leaving = await new_user(database, team, "member")
    staying = await new_user(database, team, "member")
    elsewhere = await new_team(database, "elsewhere")
    await join(database, elsewhere, leaving.id, "member")
    for person, where in ((leaving, team), (leaving, elsewhere), (staying, team)):
        await user_key(database, where, person, "member")
    await teams.remove_member(database, team, "owner", leaving.id)
    assert await _revoked(database, team, leaving.id) == [True]
    assert await _revoked(database, elsewhere, leaving.id) == [False]
    assert await _revoked(database, team, staying.id) == [False]


async def test_someone_not_in_the_team_is_not_found_and_a_bad_id_is_named(database: Database):
    team = await new_team(database, "strict")
    await new_user(database, team, "owner")
    outsider = await new_user(database, await new_team(database, "out"), "member")
    with pytest.raises(NotFound) as caught:
        await teams.remove_member(database, team, "owner", str(outsider.id))
    assert caught.value.message == "No such member in this team."
    assert caught.value.details == {"user_id": str(outsider.id)}
    with pytest.raises(InvalidInput, match="userId must be a UUID"):
        await teams.set_member_role(database, team, "owner", "someone", "member")


def test_an_unknown_role_lists_the_roles():
    with pytest.raises(InvalidInput) as caught:
        teams.human_role("boss")
    assert caught.value.message == "Unknown role 'boss': one of owner, admin, member, read_only."
    assert teams.human_role("read_only") == "read_only"


async def test_a_new_team_is_owned_by_its_maker_and_gets_a_readable_slug(database: Database):
    home = await new_team(database, "home")
    maker = await new_user(database, home, "member")
    made = await teams.create_team(database, maker.id, "  Data Platform: Nightly! ")
    assert made.role == "owner" and made.name == "Data Platform: Nightly!"
    assert re.fullmatch(r"data-platform-nightly-[0-9a-f]{6}", made.slug), made.slug
    assert re.fullmatch(
        r"team-[0-9a-f]{6}", (await teams.create_team(database, maker.id, "!!!")).slug
    )
    long = await teams.create_team(database, maker.id, "A" * 70)
    assert re.fullmatch(r"a{60}-[0-9a-f]{6}", long.slug), long.slug
    names = [t.name for t in await teams.teams_of(database, maker.id)]
    assert names == ["!!!", "A" * 70, "Data Platform: Nightly!", "home"]  # by name
