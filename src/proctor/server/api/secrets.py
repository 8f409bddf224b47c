# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""Secrets in the API: `secrets` (names only), `setSecret`, `deleteSecret`, and
`secretValue` for a run's own process.

No output type has a value field: the only way a value leaves the server is the
`secretValue` query, allowed to the roles with `secrets:values` (never read-only), and
only for a flow run of the caller's team that is Submitted or Running.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from proctor.server.api import run_scope
from proctor.server.api.audit import actor_label
from proctor.server.api.loaders import ctx
from proctor.server.services import secrets as service
from proctor.server.services.keyring import Keyring, load_keyring


def server_settings(info: strawberry.Info) -> Any:
    """The settings of the app serving this request (tests run apps with their own)."""
    connection = ctx(info).connection
    app = connection.scope.get("app") if connection is not None else None
    settings = getattr(getattr(app, "state", None), "settings", None)
    if settings is None:
        from proctor.settings import get_settings

        settings = get_settings()
    return settings


def keyring(info: strawberry.Info) -> Keyring:
    return load_keyring(server_settings(info))


@strawberry.type(name="Secret", description="A team secret: its name and history, never its value.")
class SecretInfo:
    name: str
    created: datetime
    updated: datetime
    created_by: str | None = strawberry.field(description="Who set it first.")
    updated_by: str | None = strawberry.field(description="Who set its current value.")

    @classmethod
    def from_record(cls, record: service.SecretRecord) -> SecretInfo:
        return cls(
            name=record.name,
            created=record.created,
            updated=record.updated,
            created_by=record.created_by,
            updated_by=record.updated_by,
        )


@strawberry.type
class SecretsQuery:
    @strawberry.field(description="The team's secrets by name (values are never listed).")
    async def secrets(self, info: strawberry.Info) -> list[SecretInfo]:
        context = ctx(info)
        found = await service.list_secrets(context.db, context.tenant_id)
        return [SecretInfo.from_record(record) for record in found]

    @strawberry.field(
        description="A secret's value, for the process of flow run `flowRunId` (of this "
        "team, Submitted or Running). Every call is in the audit log."
    )
    async def secret_value(
        self, info: strawberry.Info, name: str, flow_run_id: strawberry.ID
    ) -> str:
        context = ctx(info)
        await run_scope.run(info, flow_run_id)
        return await service.secret_value(
            context.db, keyring(info), context.tenant_id, name, flow_run_id
        )


@strawberry.type
class SecretsMutation:
    @strawberry.mutation(description="Create a secret or replace its value.")
    async def set_secret(self, info: strawberry.Info, name: str, value: str) -> SecretInfo:
        context = ctx(info)
        settings = server_settings(info)
        record = await service.set_secret(
            context.db,
            load_keyring(settings),
            context.tenant_id,
            name,
            value,
            actor=actor_label(context.principal),
            max_bytes=settings.server.secrets.max_value_bytes,
        )
        return SecretInfo.from_record(record)

    @strawberry.mutation(description="Delete a secret; false if the team has none of that name.")
    async def delete_secret(self, info: strawberry.Info, name: str) -> bool:
        context = ctx(info)
        return await service.delete_secret(context.db, context.tenant_id, name)


__all__ = ["SecretInfo", "SecretsMutation", "SecretsQuery", "keyring", "server_settings"]
