"""API keys, in process against a real database (docs/security.md, "API keys" and "Keys
made with a key"): what a new key is and says, who it belongs to, the expiry a key made
with a key gets, revocation down the chain, the reason a refused key is given, and the
team's list. `test_api_key_lineage.py` checks the same lineage rules through a server
process; these run where a mutated copy of the module is seen."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from tests.server.auth.helpers import join, new_team, new_user

from proctor.server.auth import api_keys
from proctor.server.auth.records import UserInfo
from proctor.server.database import Database
from proctor.server.database.models import ApiKey, Membership, User
from proctor.server.errors import Forbidden, InvalidInput, NotFound


def _soon(**delta: float) -> datetime:
    return datetime.now(UTC) + timedelta(**delta)


async def _key(
    db: Database,
    team: uuid.UUID,
    user: UserInfo | None,
    *,
    role: str = "member",
    granter: str = "owner",
    parent: uuid.UUID | None = None,
    expires_at: datetime | None = None,
    name: str = "k",
) -> tuple[str, uuid.UUID]:
    made = await api_keys.create_api_key(
        db,
        team,
        name=name,
        role=role,
        granter_role=granter,
        user_id=user.id if user else None,
        created_by=user.id if user else None,
        expires_at=expires_at,
        service_account=user is None,
        parent_key_id=parent,
    )
    return made.key, made.info.id


def _sentence(message: str) -> str:
    """A refusal says why in a sentence: capitalised, a full stop, not shouted."""
    assert message[:1].isupper() and message.endswith("."), message
    assert message != message.upper(), message
    return message


async def _problem(db: Database, key: str) -> str:
    checked = await api_keys.authenticate_key(db, key)
    assert checked.principal is None and checked.problem, checked
    return _sentence(checked.problem)


async def _set(db: Database, key_id: uuid.UUID, **values: Any) -> None:
    async with db.transaction() as session:
        await session.execute(sa.update(ApiKey).where(ApiKey.id == key_id).values(**values))


# --- the key itself ---------------------------------------------------------------------


async def test_a_new_key_is_pk_prefix_secret_shown_once_and_stored_as_its_sha256(
    database: Database,
):
    team = await new_team(database, "keys")
    person = await new_user(database, team, "admin")
    expires = _soon(days=3)
    made = await api_keys.create_api_key(
        database,
        team,
        name="  laptop  ",
        role="member",
        granter_role="admin",
        user_id=person.id,
        created_by=person.id,
        expires_at=expires,
    )
    info = made.info
    kind, prefix, secret = made.key.split("_", 2)
    assert kind == "pk" and prefix == info.prefix and re.fullmatch(r"[0-9a-f]{8}", prefix)
    assert len(secret) >= 40, "a 32-byte secret"
    assert (info.tenant_id, info.name, info.role) == (team, "laptop", "member")
    assert (info.user_id, info.user_email, info.created_by) == (person.id, person.email, person.id)
    assert info.service_account is False and info.revoked is False and info.last_used is None
    assert info.expires_at == expires and info.created is not None
    async with database.session() as session:
        stored = (await session.execute(sa.select(ApiKey.key_hash, ApiKey.prefix))).all()
    assert stored == [(hashlib.sha256(made.key.encode()).hexdigest(), prefix)]
    other = await api_keys.create_api_key(
        database, team, name="x", role="member", granter_role="admin",
        user_id=person.id, created_by=person.id,
    )  # fmt: skip
    assert other.key != made.key and other.info.prefix != prefix


def test_what_looks_like_a_key():
    assert api_keys.looks_like_key("pk_0123abcd_secret")
    assert api_keys.looks_like_key("pk_0123abcd_sec_ret")  # the secret may hold "_"
    for not_a_key in (
        "pk_0123abc_secret",  # a 7-character prefix
        "pk_0123abcde_secret",  # 9 characters
        "sk_0123abcd_secret",
        "pk_0123abcd_",
        "pk_0123abcd",
        "pk0123abcdsecret",
        "",
    ):
        assert not api_keys.looks_like_key(not_a_key), not_a_key


async def test_a_service_accounts_key_belongs_to_nobody(database: Database):
    team = await new_team(database, "svc")
    made = await api_keys.create_api_key(
        database, team, name="agents", role="agent", granter_role="admin",
        user_id=None, created_by=None, service_account=True,
    )  # fmt: skip
    assert made.info.service_account is True and made.info.user_id is None
    assert made.info.user_email is None and made.info.expires_at is None
    principal = (await api_keys.authenticate_key(database, made.key)).principal
    assert principal is not None
    assert (principal.tenant_id, principal.role, principal.kind) == (team, "agent", "api_key")
    assert principal.user_id is None and principal.api_key_id == made.info.id


async def test_a_key_is_refused_for_what_is_wrong_with_it_and_nothing_is_stored(
    database: Database,
):
    team = await new_team(database, "refused")
    person = await new_user(database, team, "member")

    async def refused(error: type[Exception], **kw: Any) -> str:
        args: dict[str, Any] = {
            "name": "k", "role": "member", "granter_role": "member",
            "user_id": person.id, "created_by": person.id, **kw,
        }  # fmt: skip
        with pytest.raises(error) as caught:
            await api_keys.create_api_key(database, team, **args)
        return str(caught.value.message)  # type: ignore[attr-defined]

    message = _sentence(await refused(InvalidInput, role="god"))
    assert "'god'" in message and all(role in message for role in ("owner", "agent"))
    assert "admin" in _sentence(await refused(Forbidden, role="admin"))
    past = await refused(InvalidInput, expires_at=_soon(seconds=-1))
    assert past.startswith("expiresAt ") and past.endswith(" future."), "names the argument"
    assert "service account" in _sentence(await refused(InvalidInput, service_account=True))
    assert "service account" in _sentence(await refused(InvalidInput, user_id=None))
    with pytest.raises(InvalidInput) as unnamed:
        await api_keys.create_api_key(
            database, team, name="   ", role="member", granter_role="member",
            user_id=person.id, created_by=person.id,
        )  # fmt: skip
    assert unnamed.value.details == {"field": "name"} and unnamed.value.message.startswith("name ")
    async with database.session() as session:
        assert await session.scalar(sa.select(sa.func.count()).select_from(ApiKey)) == 0


# --- who is behind a key ----------------------------------------------------------------


async def test_a_persons_key_acts_as_them_with_its_role_capped_by_theirs(database: Database):
    team = await new_team(database, "people")
    person = await new_user(database, team, "admin")
    key, key_id = await _key(database, team, person, role="member")
    principal = (await api_keys.authenticate_key(database, key)).principal
    assert principal is not None
    assert (principal.tenant_id, principal.role, principal.kind) == (team, "member", "api_key")
    assert (principal.user_id, principal.api_key_id) == (person.id, key_id)
    assert principal.session_id is None


async def test_a_key_works_only_in_its_own_team_while_its_person_is_in_it(database: Database):
    team = await new_team(database, "home")
    elsewhere = await new_team(database, "elsewhere")
    person = await new_user(database, team, "admin")
    key, _ = await _key(database, team, person, role="admin")
    async with database.transaction() as session:
        await session.execute(sa.delete(Membership))
    # A membership in another team is not one in the key's team.
    await join(database, elsewhere, person.id, "owner")
    assert "no longer a member" in await _problem(database, key)
    await join(database, team, person.id, "member")
    principal = (await api_keys.authenticate_key(database, key)).principal
    assert principal is not None and principal.role == "member"  # capped by the person's role


async def test_a_removed_persons_key_stops_working_the_others_keep_theirs(database: Database):
    team = await new_team(database, "removal")
    leaving = await new_user(database, team, "admin")
    staying = await new_user(database, team, "owner")
    leaving_key, _ = await _key(database, team, leaving, role="admin")
    staying_key, _ = await _key(database, team, staying, role="admin")
    async with database.transaction() as session:
        await session.execute(sa.delete(Membership).where(Membership.user_id == leaving.id))
    assert "no longer a member" in await _problem(database, leaving_key)
    principal = (await api_keys.authenticate_key(database, staying_key)).principal
    assert principal is not None and principal.user_id == staying.id
    assert principal.role == "admin"  # the key's role, under its own person's (owner)


async def test_a_deactivated_persons_key_stops_working(database: Database):
    team = await new_team(database, "inactive")
    person = await new_user(database, team, "member")
    key, _ = await _key(database, team, person)
    async with database.transaction() as session:
        await session.execute(sa.update(User).where(User.id == person.id).values(is_active=False))
    assert "no longer a member" in await _problem(database, key)


async def test_a_read_only_persons_agent_key_has_no_role_left(database: Database):
    team = await new_team(database, "agentkey")
    person = await new_user(database, team, "member")
    key, _ = await _key(database, team, person, role="agent")
    assert (await api_keys.authenticate_key(database, key)).principal is not None
    async with database.transaction() as session:
        await session.execute(sa.update(Membership).values(role="read_only"))
    assert "role" in await _problem(database, key)


async def test_each_refused_key_is_told_why(database: Database):
    team = await new_team(database, "why")
    person = await new_user(database, team, "member")
    assert "pk_" in await _problem(database, "not a key")
    assert "Unknown" in await _problem(database, "pk_0123abcd_" + "x" * 43)
    revoked, revoked_id = await _key(database, team, person)
    await _set(database, revoked_id, revoked=True)
    assert "revoked" in await _problem(database, revoked)
    expired, expired_id = await _key(database, team, person)
    await _set(database, expired_id, expires_at=_soon(seconds=-1))
    assert "expired" in await _problem(database, expired)
    # Not yet expired: works.
    lasting, _ = await _key(database, team, person, expires_at=_soon(hours=1))
    assert (await api_keys.authenticate_key(database, lasting)).principal is not None


async def test_last_used_is_refreshed_once_the_minute_is_over(database: Database):
    team = await new_team(database, "used")
    key, key_id = await _key(database, team, None, role="agent")

    async def last_used() -> datetime | None:
        async with database.session() as session:
            return await session.scalar(sa.select(ApiKey.last_used).where(ApiKey.id == key_id))

    await api_keys.authenticate_key(database, key)
    first = await last_used()
    assert first is not None
    # 59 seconds ago: less than a minute, left alone.
    await _set(database, key_id, last_used=first - timedelta(seconds=59))
    await api_keys.authenticate_key(database, key)
    assert await last_used() == first - timedelta(seconds=59)
    # 61 seconds ago: refreshed to about now.
    await _set(database, key_id, last_used=first - timedelta(seconds=61))
    await api_keys.authenticate_key(database, key)
    refreshed = await last_used()
    assert refreshed is not None and refreshed >= first


# --- keys made with a key ---------------------------------------------------------------


async def test_a_child_key_expires_no_later_than_any_key_up_its_chain(database: Database):
    team = await new_team(database, "lineage")
    person = await new_user(database, team, "owner")
    parent_end = _soon(hours=2)
    _, parent = await _key(database, team, person, expires_at=parent_end)

    async def child_of(key_id: uuid.UUID, wanted: datetime | None) -> datetime | None:
        made = await api_keys.create_api_key(
            database, team, name="child", role="member", granter_role="owner",
            user_id=person.id, created_by=person.id, expires_at=wanted, parent_key_id=key_id,
        )  # fmt: skip
        async with database.session() as session:
            stored = await session.scalar(
                sa.select(ApiKey.expires_at).where(ApiKey.id == made.info.id)
            )
        assert stored == made.info.expires_at, "the result says the expiry that was stored"
        async with database.session() as session:
            assert (
                await session.scalar(sa.select(ApiKey.parent_id).where(ApiKey.id == made.info.id))
                == key_id
            )
        return made.info.expires_at

    assert await child_of(parent, None) == parent_end
    assert await child_of(parent, _soon(days=30)) == parent_end
    earlier = _soon(hours=1)
    assert await child_of(parent, earlier) == earlier
    # A parent without an expiry under a grandparent with one: the grandparent's.
    _, middle = await _key(database, team, person, parent=parent)
    await _set(database, middle, expires_at=None)
    assert await child_of(middle, None) == parent_end
    # Nothing up the chain expires: the child keeps what it asked for.
    _, lasting = await _key(database, team, person)
    assert await child_of(lasting, None) is None
    assert await child_of(lasting, earlier) == earlier


async def test_a_revoked_expired_or_unknown_parent_makes_no_keys(database: Database):
    team = await new_team(database, "noparent")
    person = await new_user(database, team, "owner")
    _, grandparent = await _key(database, team, person)
    _, parent = await _key(database, team, person, parent=grandparent)

    async def refused(key_id: uuid.UUID) -> str:
        with pytest.raises(Forbidden) as caught:
            await _key(database, team, person, parent=key_id)
        return _sentence(caught.value.message)

    await _set(database, grandparent, revoked=True)
    assert "revoked" in await refused(parent)
    await _set(database, grandparent, revoked=False, expires_at=_soon(seconds=-1))
    assert "expired" in await refused(parent)
    assert "revoked" in await refused(uuid.uuid4())


async def test_a_key_ends_when_a_key_up_its_chain_ends(database: Database):
    team = await new_team(database, "ends")
    person = await new_user(database, team, "owner")
    _, grandparent = await _key(database, team, person)
    _, parent = await _key(database, team, person, parent=grandparent)
    child, _ = await _key(database, team, person, parent=parent)
    assert (await api_keys.authenticate_key(database, child)).principal is not None
    await _set(database, grandparent, expires_at=_soon(seconds=-1))
    assert "created it has expired" in await _problem(database, child)
    await _set(database, grandparent, expires_at=None, revoked=True)
    assert "created it was revoked" in await _problem(database, child)
    await _set(database, grandparent, revoked=False)
    assert (await api_keys.authenticate_key(database, child)).principal is not None


async def test_revoking_a_key_revokes_the_keys_it_made_and_theirs_only(database: Database):
    team = await new_team(database, "cascade")
    person = await new_user(database, team, "owner")
    _, top = await _key(database, team, person)
    _, parent = await _key(database, team, person, parent=top)
    _, child = await _key(database, team, person, parent=parent)
    _, grandchild = await _key(database, team, person, parent=child)
    _, sibling = await _key(database, team, person, parent=top)
    _, stranger = await _key(database, team, person)
    revoked = await api_keys.revoke_api_key(database, team, str(parent))
    assert (revoked.id, revoked.revoked, revoked.user_email) == (parent, True, person.email)
    async with database.session() as session:
        states = dict((await session.execute(sa.select(ApiKey.id, ApiKey.revoked))).all())
    assert states == {
        top: False, parent: True, child: True, grandchild: True, sibling: False, stranger: False,
    }  # fmt: skip


async def test_only_a_key_of_the_team_and_of_the_person_when_asked_is_revoked(
    database: Database,
):
    team = await new_team(database, "mine")
    other_team = await new_team(database, "theirs")
    me = await new_user(database, team, "member")
    you = await new_user(database, team, "member")
    _, mine = await _key(database, team, me)
    _, yours = await _key(database, team, you)
    _, service = await _key(database, team, None, role="agent")
    _, foreign = await _key(database, other_team, None, role="agent")
    for key_id, only in ((yours, me.id), (service, me.id), (foreign, None)):
        with pytest.raises(NotFound) as unknown:
            await api_keys.revoke_api_key(database, team, key_id, only_user=only)
        _sentence(unknown.value.message)
        assert unknown.value.details == {"id": str(key_id)}
    with pytest.raises(InvalidInput) as not_an_id:
        await api_keys.revoke_api_key(database, team, "not an id")
    assert not_an_id.value.details == {"field": "id"}
    assert (await api_keys.revoke_api_key(database, team, mine, only_user=me.id)).revoked
    by_admin = await api_keys.revoke_api_key(database, team, service)
    assert by_admin.revoked and by_admin.user_email is None
    async with database.session() as session:
        states = dict((await session.execute(sa.select(ApiKey.id, ApiKey.revoked))).all())
    assert states == {mine: True, yours: False, service: True, foreign: False}


# --- the team's list --------------------------------------------------------------------


async def test_the_list_is_the_teams_keys_newest_first_or_one_persons(database: Database):
    team = await new_team(database, "listed")
    other_team = await new_team(database, "other")
    me = await new_user(database, team, "member")
    you = await new_user(database, team, "member")
    ids = []
    for index, owner in enumerate((me, you, None, me)):
        _, key_id = await _key(
            database, team, owner, role="agent" if owner is None else "member", name=f"k{index}"
        )
        # Creation times the other way round from the order the rows were written in:
        # newest first is by when a key was created.
        await _set(database, key_id, created=datetime(2026, 1, 10 - index, tzinfo=UTC))
        ids.append(key_id)
    await _key(database, other_team, None, role="agent")
    everyone = await api_keys.list_api_keys(database, team)
    assert [k.id for k in everyone] == ids
    assert [k.user_email for k in everyone] == [me.email, you.email, None, me.email]
    assert [k.name for k in everyone] == ["k0", "k1", "k2", "k3"]
    mine = await api_keys.list_api_keys(database, team, user_id=me.id)
    assert [k.id for k in mine] == [ids[0], ids[3]]


async def test_the_list_shows_when_a_key_was_last_used(database: Database):
    team = await new_team(database, "usage")
    used, used_id = await _key(database, team, None, role="agent", name="used")
    await _key(database, team, None, role="agent", name="idle")
    await api_keys.authenticate_key(database, used)
    listed = {k.name: k for k in await api_keys.list_api_keys(database, team)}
    assert listed["idle"].last_used is None
    last_used = listed["used"].last_used
    assert last_used is not None and datetime.now(UTC) - last_used < timedelta(minutes=1)
    assert listed["used"].id == used_id and listed["used"].revoked is False


async def test_a_failed_last_used_write_is_logged_and_the_key_still_works(
    sqlite_database: Database, caplog: pytest.LogCaptureFixture
):
    """`lastUsed` is bookkeeping: when writing it fails (here a trigger of the database
    refuses it), the request is served and a warning names the key."""
    team = await new_team(sqlite_database, "bookkeeping")
    key, key_id = await _key(sqlite_database, team, None, role="agent")
    async with sqlite_database.transaction() as session:
        await session.execute(
            sa.text(
                "CREATE TRIGGER no_last_used BEFORE UPDATE OF last_used ON api_key "
                "BEGIN SELECT RAISE(ABORT, 'last_used is read-only here'); END"
            )
        )
    with caplog.at_level("WARNING", logger="proctor.server.auth"):
        checked = await api_keys.authenticate_key(sqlite_database, key)
    assert checked.principal is not None and checked.principal.api_key_id == key_id
    [warning] = [r for r in caplog.records if r.name == "proctor.server.auth"]
    assert warning.levelname == "WARNING"
    assert str(key_id) in warning.getMessage() and "read-only here" in warning.getMessage()


async def test_a_chain_of_keys_ends_whole_when_its_first_key_is_revoked(database: Database):
    """Every key made with a key ends with it, however long the chain: a chain is at most
    64 keys long (a key 64 keys down makes no more keys), so the revocation and the check
    on every use, both bounded walks of the chain, always reach its first key."""
    team = await new_team(database, "chain")
    person = await new_user(database, team, "owner")
    first_key, first = await _key(database, team, person)
    keys, parent = [first_key], first
    for _ in range(63):
        key, parent = await _key(database, team, person, parent=parent)
        keys.append(key)
    with pytest.raises(Forbidden) as too_deep:
        await _key(database, team, person, parent=parent)
    assert "64" in _sentence(too_deep.value.message)
    assert (await api_keys.authenticate_key(database, keys[-1])).principal is not None
    await api_keys.revoke_api_key(database, team, first)
    async with database.session() as session:
        assert set((await session.scalars(sa.select(ApiKey.revoked))).all()) == {True}
    # Even where the cascade was missed (a key made while its chain was being revoked).
    await _set(database, parent, revoked=False)
    assert "created it was revoked" in await _problem(database, keys[-1])
