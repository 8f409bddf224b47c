"""Teams, members, invitations, switching teams, changing passwords, and the role rules:
nobody grants a role above their own, only owners make owners, a team keeps an owner."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import sqlalchemy as sa
from tests.server.auth.helpers import (
    PASSWORD,
    Browser,
    codes,
    data_of,
    gql,
    join,
    new_team,
    new_user,
    staffed_team,
)

from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import Invitation

INVITE = """mutation($email: String!, $role: String!) {
  inviteMember(email: $email, role: $role) { token url invitation { email role } } }"""
ACCEPT = """mutation($token: String!, $password: String) {
  acceptInvitation(token: $token, password: $password) { user { email } team { id role } } }"""
MEMBERS = "{ members { userId email role } }"
SET_ROLE = """mutation($user: ID!, $role: String!) {
  setMemberRole(userId: $user, role: $role) { email role } }"""
REMOVE = "mutation($user: ID!) { removeMember(userId: $user) }"


async def test_an_invited_person_sets_a_password_and_logs_in(
    http: httpx.AsyncClient, database: Database
):
    team = await staffed_team(database, "inv", DEFAULT_TENANT_ID)
    made = data_of(
        await gql(
            http, INVITE, {"email": "New@Example.com", "role": "member"}, key=team.keys["admin"]
        )
    )["inviteMember"]
    assert made["invitation"] == {"email": "new@example.com", "role": "member"}
    assert made["url"].endswith(made["token"]) and made["url"].startswith("http://proctor.test/")
    short = await gql(http, ACCEPT, {"token": made["token"], "password": "short"})
    assert codes(short) == ["INVALID_INPUT"]  # and nothing was used up:
    accepted = data_of(await gql(http, ACCEPT, {"token": made["token"], "password": PASSWORD}))
    assert accepted["acceptInvitation"]["team"] == {"id": str(DEFAULT_TENANT_ID), "role": "member"}
    again = await gql(http, ACCEPT, {"token": made["token"], "password": PASSWORD})
    assert codes(again) == ["INVALID_INPUT"]  # one use only
    me = await Browser(http).login("new@example.com")
    assert me["role"] == "member"
    emails = {
        m["email"] for m in data_of(await gql(http, MEMBERS, key=team.keys["read_only"]))["members"]
    }
    assert "new@example.com" in emails
    async with database.session() as session:
        stored = await session.scalar(sa.select(Invitation.token_hash))
    assert stored is not None and made["token"] not in stored


async def test_expired_or_made_up_invitations_are_refused(
    http: httpx.AsyncClient, database: Database
):
    team = await staffed_team(database, "exp", DEFAULT_TENANT_ID)
    made = data_of(
        await gql(
            http, INVITE, {"email": "late@example.com", "role": "member"}, key=team.keys["owner"]
        )
    )["inviteMember"]
    async with database.transaction() as session:
        await session.execute(
            sa.update(Invitation).values(expires=datetime(2001, 1, 1, tzinfo=UTC))
        )
    late = await gql(http, ACCEPT, {"token": made["token"], "password": PASSWORD})
    assert codes(late) == ["INVALID_INPUT"]
    made_up = await gql(http, ACCEPT, {"token": "x" * 43, "password": PASSWORD})
    assert codes(made_up) == ["INVALID_INPUT"]
    assert "late@example.com" not in str(data_of(await gql(http, MEMBERS, key=team.keys["owner"])))


async def test_someone_with_an_account_joins_only_as_themselves(
    http: httpx.AsyncClient, database: Database
):
    other_team = await new_team(database, "other")
    existing = await new_user(database, other_team, "owner", "existing@example.com")
    stranger = await new_user(database, other_team, "member", "stranger@example.com")
    owner = await staffed_team(database, "main", DEFAULT_TENANT_ID)
    token = data_of(
        await gql(http, INVITE, {"email": existing.email, "role": "admin"}, key=owner.keys["owner"])
    )["inviteMember"]["token"]
    browser = Browser(http)
    await browser.login(stranger.email)
    wrong = await browser.gql(ACCEPT, {"token": token})
    assert codes(wrong) == ["INVALID_INPUT"]
    await browser.login(existing.email)
    joined = data_of(await browser.gql(ACCEPT, {"token": token}))["acceptInvitation"]
    assert joined == {
        "user": {"email": existing.email},
        "team": {"id": str(DEFAULT_TENANT_ID), "role": "admin"},
    }
    teams = data_of(await browser.gql("{ teams { id role } }"))["teams"]
    assert {t["id"] for t in teams} == {str(DEFAULT_TENANT_ID), str(other_team)}


async def test_invitations_follow_the_role_rules(http: httpx.AsyncClient, database: Database):
    team = await staffed_team(database, "rules", DEFAULT_TENANT_ID)
    refused = await gql(
        http, INVITE, {"email": "o@example.com", "role": "owner"}, key=team.keys["admin"]
    )
    assert codes(refused) == ["FORBIDDEN"]
    by_member = await gql(
        http, INVITE, {"email": "m@example.com", "role": "member"}, key=team.keys["member"]
    )
    assert codes(by_member) == ["FORBIDDEN"]
    ok = await gql(
        http, INVITE, {"email": "o@example.com", "role": "owner"}, key=team.keys["owner"]
    )
    assert data_of(ok)["inviteMember"]["invitation"]["role"] == "owner"
    dup = await gql(
        http,
        INVITE,
        {"email": team.users["member"].email, "role": "member"},
        key=team.keys["owner"],
    )
    assert codes(dup) == ["CONFLICT"]
    bad = await gql(
        http, INVITE, {"email": "not-an-email", "role": "member"}, key=team.keys["owner"]
    )
    assert codes(bad) == ["INVALID_INPUT"]


async def test_member_roles_follow_the_rules_and_a_team_keeps_an_owner(
    http: httpx.AsyncClient, database: Database
):
    team = await staffed_team(database, "roles", DEFAULT_TENANT_ID)
    owner_id, member_id = str(team.users["owner"].id), str(team.users["member"].id)
    admin = team.keys["admin"]
    assert codes(await gql(http, SET_ROLE, {"user": owner_id, "role": "member"}, key=admin)) == [
        "FORBIDDEN"
    ]
    assert codes(await gql(http, SET_ROLE, {"user": member_id, "role": "owner"}, key=admin)) == [
        "FORBIDDEN"
    ]
    assert codes(await gql(http, REMOVE, {"user": owner_id}, key=admin)) == ["FORBIDDEN"]
    promoted = await gql(http, SET_ROLE, {"user": member_id, "role": "admin"}, key=admin)
    assert data_of(promoted)["setMemberRole"]["role"] == "admin"
    owner = team.keys["owner"]
    last = await gql(http, SET_ROLE, {"user": owner_id, "role": "admin"}, key=owner)
    assert codes(last) == ["CONFLICT"]
    assert codes(await gql(http, REMOVE, {"user": owner_id}, key=owner)) == ["CONFLICT"]
    stranger = await new_user(database, await new_team(database, "x"), "member")
    assert codes(await gql(http, REMOVE, {"user": str(stranger.id)}, key=owner)) == ["NOT_FOUND"]
    # With a second owner, the first may step down.
    await gql(http, SET_ROLE, {"user": member_id, "role": "owner"}, key=owner)
    stepped = await gql(http, SET_ROLE, {"user": owner_id, "role": "read_only"}, key=owner)
    assert data_of(stepped)["setMemberRole"]["role"] == "read_only"


async def test_a_removed_member_loses_the_team_and_its_keys(
    http: httpx.AsyncClient, database: Database
):
    team = await staffed_team(database, "rm", DEFAULT_TENANT_ID)
    removed = await gql(
        http, REMOVE, {"user": str(team.users["member"].id)}, key=team.keys["admin"]
    )
    assert data_of(removed) == {"removeMember": True}
    body = await gql(http, "{ flows { totalCount } }", key=team.keys["member"])
    assert codes(body) == ["UNAUTHENTICATED"]
    members = data_of(await gql(http, MEMBERS, key=team.keys["admin"]))["members"]
    assert team.users["member"].email not in {m["email"] for m in members}


async def test_a_person_in_two_teams_switches_between_them(
    http: httpx.AsyncClient, database: Database
):
    user = await new_user(database, DEFAULT_TENANT_ID, "member", "both@example.com")
    second = await new_team(database, "zzz-second")
    await join(database, second, user.id, "read_only")
    browser = Browser(http)
    me = await browser.login(user.email)
    assert me["currentTeam"]["id"] == str(DEFAULT_TENANT_ID)
    assert data_of(await browser.gql('mutation { createProject(name: "in-default") { id } }'))
    switched = await browser.gql(
        "mutation($t: ID!) { switchTeam(teamId: $t) { role currentTeam { id } } }",
        {"t": str(second)},
    )
    assert data_of(switched)["switchTeam"] == {
        "role": "read_only",
        "currentTeam": {"id": str(second)},
    }
    assert data_of(await browser.gql("{ projects { name } }"))["projects"] == []
    refused = await browser.gql('mutation { createProject(name: "x") { id } }')
    assert codes(refused) == ["FORBIDDEN"]  # read-only there
    assert (await http.get("/auth/me")).json()["currentTeam"]["id"] == str(second)
    elsewhere = await new_team(database, "not-mine")
    foreign = await browser.gql(
        "mutation($t: ID!) { switchTeam(teamId: $t) { role } }", {"t": str(elsewhere)}
    )
    assert codes(foreign) == ["NOT_FOUND"]


async def test_create_team_makes_the_creator_its_owner(http: httpx.AsyncClient, database: Database):
    user = await new_user(database, DEFAULT_TENANT_ID, "read_only")
    browser = Browser(http)
    await browser.login(user.email)
    made = data_of(await browser.gql('mutation { createTeam(name: "Data Eng") { id name role } }'))
    assert made["createTeam"]["name"] == "Data Eng" and made["createTeam"]["role"] == "owner"
    teams = data_of(await browser.gql("{ teams { name role } }"))["teams"]
    assert {"name": "Data Eng", "role": "owner"} in teams


async def test_changing_the_password_logs_out_the_other_sessions(
    http: httpx.AsyncClient, database: Database
):
    user = await new_user(database, DEFAULT_TENANT_ID, "member")
    change = """mutation($old: String!, $new: String!) {
      changePassword(currentPassword: $old, newPassword: $new) }"""
    here, there = (
        Browser(http),
        Browser(httpx.AsyncClient(transport=http._transport, base_url=str(http.base_url))),
    )
    await here.login(user.email)
    await there.login(user.email)
    wrong = await here.gql(change, {"old": "wrong password", "new": "a new long password"})
    assert codes(wrong) == ["INVALID_INPUT"]
    ok = await here.gql(change, {"old": PASSWORD, "new": "a new long password"})
    assert data_of(ok) == {"changePassword": True}
    assert data_of(await here.gql("{ me { role } }"))["me"] == {"role": "member"}
    logged_out = await there.gql("{ me { role } }")
    assert (
        codes(logged_out) == ["UNAUTHENTICATED"] and "ended" in logged_out["errors"][0]["message"]
    )
    await there.http.aclose()
    old = await http.post("/auth/login", json={"email": user.email, "password": PASSWORD})
    assert old.status_code == 401
    new = await http.post(
        "/auth/login", json={"email": user.email, "password": "a new long password"}
    )
    assert new.status_code == 200
