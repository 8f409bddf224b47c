# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""Teams, users and API keys in GraphQL: `me`, `teams`, `members`, `apiKeys`,
`invitations`, and the mutations that manage them.

Resolvers are thin: they read the principal, call `proctor.server.auth` and wrap the
records. The permission table decides who may call each field; the rules that depend on
the target (an admin cannot touch an owner, nobody grants a role above their own, a team
keeps an owner) live in the auth services, so the CLI and tests get them too.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from urllib.parse import quote

import strawberry

from proctor.server.api.loaders import ctx
from proctor.server.auth import api_keys, invitations, sessions, teams, users
from proctor.server.auth.identity import Identity, describe
from proctor.server.auth.passwords import Passwords
from proctor.server.auth.principal import Principal
from proctor.server.auth.records import ApiKeyInfo, MemberInfo, NewApiKey, TeamInfo, UserInfo
from proctor.server.errors import InvalidInput, Unauthenticated

# -- types -------------------------------------------------------------------------------


@strawberry.type(description="A person with an account.")
class User:
    id: strawberry.ID
    email: str
    name: str | None

    @classmethod
    def from_record(cls, record: UserInfo) -> User:
        return cls(id=strawberry.ID(str(record.id)), email=record.email, name=record.name)


@strawberry.type(description="A team, with the role the asking person has in it.")
class Team:
    id: strawberry.ID
    name: str
    slug: str
    role: str

    @classmethod
    def from_record(cls, record: TeamInfo) -> Team:
        return cls(
            id=strawberry.ID(str(record.id)), name=record.name, slug=record.slug, role=record.role
        )


@strawberry.type(description="The API key a request is made with.")
class ApiKeyRef:
    id: strawberry.ID
    name: str | None
    service_account: bool


@strawberry.type(description="Who is asking: user, current team, role, other teams.")
class Me:
    auth_enabled: bool
    kind: str = strawberry.field(description="local, session or api_key.")
    role: str
    user: User | None
    current_team: Team
    teams: list[Team]
    api_key: ApiKeyRef | None

    @classmethod
    def from_identity(cls, identity: Identity, auth_enabled: bool) -> Me:
        key = None
        if identity.api_key_id is not None:
            key = ApiKeyRef(
                id=strawberry.ID(str(identity.api_key_id)),
                name=identity.api_key_name,
                service_account=identity.service_account,
            )
        return cls(
            auth_enabled=auth_enabled,
            kind=identity.kind,
            role=identity.role,
            user=User.from_record(identity.user) if identity.user else None,
            current_team=Team.from_record(identity.team),
            teams=[Team.from_record(team) for team in identity.teams],
            api_key=key,
        )


@strawberry.type(description="A member of the team.")
class Member:
    user_id: strawberry.ID
    email: str
    name: str | None
    role: str
    joined: datetime

    @classmethod
    def from_record(cls, record: MemberInfo) -> Member:
        return cls(
            user_id=strawberry.ID(str(record.user_id)),
            email=record.email,
            name=record.name,
            role=record.role,
            joined=record.joined,
        )


@strawberry.type(description="An API key (never its secret: that is shown once, at creation).")
class ApiKey:
    id: strawberry.ID
    name: str
    prefix: str = strawberry.field(description="The key starts with pk_<prefix>_.")
    role: str
    user_id: strawberry.ID | None
    user_email: str | None
    service_account: bool
    created_by: strawberry.ID | None
    created: datetime
    expires_at: datetime | None
    last_used: datetime | None = strawberry.field(description="Updated at most once a minute.")
    revoked: bool

    @classmethod
    def from_record(cls, record: ApiKeyInfo) -> ApiKey:
        return cls(
            id=strawberry.ID(str(record.id)),
            name=record.name,
            prefix=record.prefix,
            role=record.role,
            user_id=_id(record.user_id),
            user_email=record.user_email,
            service_account=record.service_account,
            created_by=_id(record.created_by),
            created=record.created,
            expires_at=record.expires_at,
            last_used=record.last_used,
            revoked=record.revoked,
        )


@strawberry.type(description="A key just made: `key` is shown this once and never again.")
class NewApiKeyResult:
    api_key: ApiKey
    key: str

    @classmethod
    def from_record(cls, record: NewApiKey) -> NewApiKeyResult:
        return cls(api_key=ApiKey.from_record(record.info), key=record.key)


@strawberry.type(description="An invitation to join the team.")
class Invitation:
    id: strawberry.ID
    email: str
    role: str
    expires: datetime
    accepted: datetime | None


@strawberry.type(description="An invitation just made: `token` and `url` are shown once.")
class NewInvitation:
    invitation: Invitation
    token: str
    url: str


@strawberry.type(description="The account and team an accepted invitation led to.")
class AcceptedInvitation:
    user: User
    team: Team


def _id(value: Any) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(str(value))


# -- helpers -----------------------------------------------------------------------------


def _principal(info: strawberry.Info) -> Principal:
    principal = ctx(info).principal
    if principal is None:  # the permission table already refused anonymous callers
        raise Unauthenticated("Log in or send an API key.")
    return principal


def _user_id(principal: Principal, what: str) -> uuid.UUID:
    if principal.user_id is None:
        raise InvalidInput(f"{what} needs a person's account (log in, or use a user's API key).")
    return principal.user_id


def _auth_settings(info: strawberry.Info) -> Any:
    authenticator = ctx(info).authenticator
    if authenticator is not None:
        return authenticator.settings
    from proctor.settings import get_settings

    return get_settings().server.auth


def _passwords(info: strawberry.Info) -> Passwords:
    authenticator = ctx(info).authenticator
    if authenticator is not None:
        passwords: Passwords = authenticator.passwords
        return passwords
    return Passwords.from_settings(_auth_settings(info))


def _is_admin(principal: Principal) -> bool:
    return principal.role in ("owner", "admin")


async def _me(info: strawberry.Info, principal: Principal) -> Me:
    context = ctx(info)
    identity = await describe(context.db, principal)
    return Me.from_identity(identity, auth_enabled=context.authenticator is not None)


# -- roots -------------------------------------------------------------------------------


@strawberry.type
class TeamsQuery:
    @strawberry.field(
        description="Who is asking (null when nobody is logged in). An API key that was "
        "refused (expired, revoked) is an UNAUTHENTICATED error saying why."
    )
    async def me(self, info: strawberry.Info) -> Me | None:
        context = ctx(info)
        if context.principal is None:
            problem = context.extra.get("auth_problem")
            if problem:
                raise Unauthenticated(str(problem))
            return None
        return await _me(info, context.principal)

    @strawberry.field(description="The teams the asking person belongs to, with their role.")
    async def teams(self, info: strawberry.Info) -> list[Team]:
        return (await _me(info, _principal(info))).teams

    @strawberry.field(description="The members of the current team.")
    async def members(self, info: strawberry.Info) -> list[Member]:
        context = ctx(info)
        return [
            Member.from_record(m) for m in await teams.list_members(context.db, context.tenant_id)
        ]

    @strawberry.field(description="Invitations of the current team not accepted yet.")
    async def invitations(self, info: strawberry.Info) -> list[Invitation]:
        context = ctx(info)
        found = await invitations.list_invitations(context.db, context.tenant_id)
        return [
            Invitation(
                id=strawberry.ID(str(i.id)),
                email=i.email,
                role=i.role,
                expires=i.expires,
                accepted=i.accepted,
            )
            for i in found
        ]

    @strawberry.field(
        description="API keys of the current team: your own; owners and admins see all."
    )
    async def api_keys(self, info: strawberry.Info) -> list[ApiKey]:
        context = ctx(info)
        principal = _principal(info)
        only = None if _is_admin(principal) else _user_id(principal, "Listing your keys")
        found = await api_keys.list_api_keys(context.db, context.tenant_id, user_id=only)
        return [ApiKey.from_record(key) for key in found]


@strawberry.type
class TeamsMutation:
    @strawberry.mutation(description="Work in another of your teams (browser sessions).")
    async def switch_team(self, info: strawberry.Info, team_id: strawberry.ID) -> Me:
        context = ctx(info)
        principal = _principal(info)
        if principal.kind != "session" or principal.session_id is None:
            raise InvalidInput("Only a logged-in browser switches teams: an API key has one team.")
        user_id = _user_id(principal, "Switching teams")
        team = await sessions.switch_team(context.db, principal.session_id, user_id, team_id)
        async with context.db.session() as session:
            role = await teams.role_in(session, team, user_id)
        switched = Principal(
            tenant_id=team,
            role=role,  # type: ignore[arg-type]  # a membership role
            kind="session",
            user_id=user_id,
            session_id=principal.session_id,
        )
        return await _me(info, switched)

    @strawberry.mutation(description="Create a team; you are its owner.")
    async def create_team(self, info: strawberry.Info, name: str) -> Team:
        user_id = _user_id(_principal(info), "Creating a team")
        return Team.from_record(await teams.create_team(ctx(info).db, user_id, name))

    @strawberry.mutation(
        description="Invite someone by email with a role (no higher than yours; only owners "
        "invite owners). The token and URL are shown once."
    )
    async def invite_member(
        self, info: strawberry.Info, email: str, role: str = "member"
    ) -> NewInvitation:
        context = ctx(info)
        principal = _principal(info)
        made = await invitations.invite(
            context.db,
            context.tenant_id,
            email=email,
            role=role,
            inviter_role=principal.role,
            inviter_id=principal.user_id,
            lifetime_seconds=_auth_settings(info).invitation_lifetime_seconds,
        )
        base = str(context.connection.base_url).rstrip("/") if context.connection else ""
        i = made.info
        return NewInvitation(
            invitation=Invitation(
                id=strawberry.ID(str(i.id)),
                email=i.email,
                role=i.role,
                expires=i.expires,
                accepted=i.accepted,
            ),
            token=made.token,
            url=f"{base}/accept-invitation?token={quote(made.token)}",
        )

    @strawberry.mutation(
        description="Join a team with an invitation token: a new person chooses a "
        "`password`; someone with an account is logged in as the invited email (or gives "
        "its password)."
    )
    async def accept_invitation(
        self,
        info: strawberry.Info,
        token: str,
        password: str | None = None,
        name: str | None = None,
    ) -> AcceptedInvitation:
        context = ctx(info)
        principal = context.principal
        user, team = await invitations.accept(
            context.db,
            _passwords(info),
            token,
            current_user=principal.user_id if principal is not None else None,
            password=password,
            name=name,
        )
        return AcceptedInvitation(user=User.from_record(user), team=Team.from_record(team))

    @strawberry.mutation(
        description="Change a member's role (no higher than yours; only owners change "
        "owners; a team keeps at least one owner)."
    )
    async def set_member_role(
        self, info: strawberry.Info, user_id: strawberry.ID, role: str
    ) -> Member:
        context = ctx(info)
        principal = _principal(info)
        record = await teams.set_member_role(
            context.db, context.tenant_id, principal.role, user_id, role
        )
        return Member.from_record(record)

    @strawberry.mutation(
        description="Remove a member (their keys of this team are revoked); never the last owner."
    )
    async def remove_member(self, info: strawberry.Info, user_id: strawberry.ID) -> bool:
        context = ctx(info)
        principal = _principal(info)
        return await teams.remove_member(context.db, context.tenant_id, principal.role, user_id)

    @strawberry.mutation(
        description="Change your password; your other browser sessions are logged out."
    )
    async def change_password(
        self, info: strawberry.Info, current_password: str, new_password: str
    ) -> bool:
        context = ctx(info)
        principal = _principal(info)
        user_id = _user_id(principal, "Changing a password")
        await users.change_password(
            context.db, _passwords(info), user_id, current_password, new_password
        )
        await sessions.end_other_sessions(context.db, user_id, principal.session_id)
        return True

    @strawberry.mutation(
        description="Create an API key of your own (role: yours unless lower is asked). "
        "The key is in the result, shown this once. Made with an API key, it expires no "
        "later than that key (the result has the expiry it got) and ends when it is revoked."
    )
    async def create_api_key(
        self,
        info: strawberry.Info,
        name: str,
        role: str | None = None,
        expires_at: datetime | None = None,
    ) -> NewApiKeyResult:
        context = ctx(info)
        principal = _principal(info)
        user_id = _user_id(principal, "A personal API key")
        made = await api_keys.create_api_key(
            context.db,
            context.tenant_id,
            name=name,
            role=role or principal.role,
            granter_role=principal.role,
            user_id=user_id,
            created_by=user_id,
            expires_at=expires_at,
            parent_key_id=principal.api_key_id,
        )
        return NewApiKeyResult.from_record(made)

    @strawberry.mutation(
        description="Revoke an API key: your own, or (owners, admins) any of the team's."
    )
    async def revoke_api_key(self, info: strawberry.Info, id: strawberry.ID) -> ApiKey:
        context = ctx(info)
        principal = _principal(info)
        only = None if _is_admin(principal) else _user_id(principal, "Revoking a key")
        record = await api_keys.revoke_api_key(context.db, context.tenant_id, id, only_user=only)
        return ApiKey.from_record(record)

    @strawberry.mutation(
        description="Create a service account (agents, CI) and its key: role `agent` (claim "
        "and report runs) unless another is asked. The key is shown this once."
    )
    async def create_service_account(
        self,
        info: strawberry.Info,
        name: str,
        role: str = "agent",
        expires_at: datetime | None = None,
    ) -> NewApiKeyResult:
        context = ctx(info)
        principal = _principal(info)
        made = await api_keys.create_api_key(
            context.db,
            context.tenant_id,
            name=name,
            role=role,
            granter_role=principal.role,
            user_id=None,
            created_by=principal.user_id,
            expires_at=expires_at,
            service_account=True,
            parent_key_id=principal.api_key_id,
        )
        return NewApiKeyResult.from_record(made)


__all__ = ["TeamsMutation", "TeamsQuery"]
