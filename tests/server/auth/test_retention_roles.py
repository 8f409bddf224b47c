"""Who may see and set a team's retention policy (docs/security.md: every person of the
team sees it; owners and admins set it, like the team's other settings), and that one
team's policy never changes another's."""

from __future__ import annotations

import httpx
from tests.server.auth.helpers import gql, staffed_team

from proctor.server.database import Database

POLICY = "{ retentionPolicy { days keepNewestRuns team { days } databaseSizeBytes } }"
SET = "mutation($d: Float) { setRetentionPolicy(days: $d) { days team { days } } }"


async def test_people_see_the_policy_and_only_admins_set_it(
    database: Database, http: httpx.AsyncClient
):
    team = await staffed_team(database, "ops")
    other = await staffed_team(database, "dev")
    for role in ("owner", "admin", "member", "read_only"):
        seen = await gql(http, POLICY, key=team.keys[role])
        assert seen["data"]["retentionPolicy"]["team"] == {"days": None}, (role, seen)
        assert seen["data"]["retentionPolicy"]["databaseSizeBytes"] > 0
    for role, days in (("owner", 10), ("admin", 12)):
        done = await gql(http, SET, {"d": days}, key=team.keys[role])
        assert done["data"]["setRetentionPolicy"] == {"days": days, "team": {"days": days}}
    for role in ("member", "read_only", "agent"):
        refused = await gql(http, SET, {"d": 1}, key=team.keys[role])
        assert refused["data"] is None
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", (role, refused)
    refused = await gql(http, SET, {"d": 1})  # no credentials
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    agent_read = await gql(http, POLICY, key=team.keys["agent"])
    assert agent_read["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # Refused attempts changed nothing; the other team still has the server's default.
    assert (await gql(http, POLICY, key=team.keys["read_only"]))["data"]["retentionPolicy"][
        "days"
    ] == 12
    theirs = (await gql(http, POLICY, key=other.keys["owner"]))["data"]["retentionPolicy"]
    assert theirs["team"] == {"days": None} and theirs["days"] == 30
