"""Who a principal is, as `/auth/me`, the `me` query and `proctor whoami` show it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from proctor.server.auth.principal import Principal
from proctor.server.auth.records import TeamInfo, UserInfo
from proctor.server.auth.teams import get_team, teams_of
from proctor.server.auth.users import get_user
from proctor.server.database import Database
from proctor.server.database.models import ApiKey


@dataclass(frozen=True, slots=True)
class Identity:
    kind: str  # local, session, api_key
    role: str
    user: UserInfo | None
    team: TeamInfo
    teams: list[TeamInfo]
    api_key_id: uuid.UUID | None
    api_key_name: str | None
    service_account: bool


async def describe(db: Database, principal: Principal) -> Identity:
    """The principal's user, current team and the teams it may switch to (a key acts in
    its own team only; local mode is the owner of the default team)."""
    team = await get_team(db, principal.tenant_id, principal.role)
    user = await get_user(db, principal.user_id) if principal.user_id is not None else None
    teams = [team]
    if principal.kind == "session" and principal.user_id is not None:
        teams = await teams_of(db, principal.user_id)
    key_name: str | None = None
    service_account = False
    if principal.api_key_id is not None:
        async with db.session() as session:
            found = (
                await session.execute(
                    sa.select(ApiKey.name, ApiKey.service_account).where(
                        ApiKey.id == principal.api_key_id
                    )
                )
            ).first()
        if found is not None:
            key_name, service_account = found
    return Identity(
        kind=principal.kind,
        role=principal.role,
        user=user,
        team=team,
        teams=teams,
        api_key_id=principal.api_key_id,
        api_key_name=key_name,
        service_account=service_account,
    )


def identity_json(identity: Identity, *, auth_enabled: bool, csrf: str | None) -> dict[str, object]:
    def team(info: TeamInfo) -> dict[str, object]:
        return {"id": str(info.id), "name": info.name, "slug": info.slug, "role": info.role}

    user = identity.user
    return {
        "authEnabled": auth_enabled,
        "kind": identity.kind,
        "role": identity.role,
        "user": None
        if user is None
        else {"id": str(user.id), "email": user.email, "name": user.name},
        "currentTeam": team(identity.team),
        "teams": [team(info) for info in identity.teams],
        "apiKey": None
        if identity.api_key_id is None
        else {
            "id": str(identity.api_key_id),
            "name": identity.api_key_name,
            "serviceAccount": identity.service_account,
        },
        "csrfToken": csrf,
    }


__all__ = ["Identity", "describe", "identity_json"]
