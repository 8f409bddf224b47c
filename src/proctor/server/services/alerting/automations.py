"""Creating, changing, listing and deleting automations (always within one tenant).

Every write validates the whole automation (`specs`), resolves what it refers to (a
project by name or id, flows by flow-group id or the id of any of their versions) within
the tenant, and publishes `automation.changed` so every replica's matcher reloads it.
A reference to something the tenant does not have is `InvalidInput`, like any other
mistake in the document; an automation of another tenant is `NotFound`.

The credentials in actions (webhook and Slack URLs, webhook header values) are sealed on
every write (`action_secrets`); what is returned holds them in clear only when asked
with a keyring (`reveal`: the answer to an editor, or the notifier), masked otherwise.
"""

from __future__ import annotations

import secrets as secrets_module
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database, record_event
from proctor.server.database.ids import new_id
from proctor.server.database.models import Automation, Flow, FlowGroup, Project
from proctor.server.errors import InvalidInput, NotFound, ProctorServerError
from proctor.server.events import Event
from proctor.server.services.alerting import action_secrets, records, signing, specs
from proctor.server.services.keyring import Keyring
from proctor.server.services.plumbing.parameters import validate_parameters
from proctor.server.services.plumbing.validation import as_uuid, name_arg

MIN_SECRET_CHARS = 16
MAX_SECRET_CHARS = 100


def new_secret() -> str:
    return secrets_module.token_urlsafe(32)


def _record(
    row: Automation, secret: str | None = None, *, keyring: Keyring | None = None
) -> records.Automation:
    """The automation as returned; `secret` only in the answer that set it. Its actions
    are opened with `keyring` when one is given, else masked."""
    actions = (
        action_secrets.open_actions(keyring, row)
        if keyring is not None
        else action_secrets.mask_actions(row.actions)
    )
    return records.Automation(
        id=row.id,
        tenant_id=row.tenant_id,
        name=row.name,
        description=row.description,
        trigger=dict(row.trigger),
        actions=actions,
        enabled=row.enabled,
        secret=secret,
        created=row.created,
        updated=row.updated,
    )


def _maybe_uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


async def resolve_flow_group(
    session: AsyncSession,
    tenant: uuid.UUID,
    value: Any,
    what: str,
    *,
    missing: type[ProctorServerError] = InvalidInput,
) -> str:
    """The flow group `value` names: a flow group id, or the id of one of its versions.
    Raises `missing` when the tenant has no such flow (a reference inside a document is
    invalid input; the object a request is about is not found)."""
    found = _maybe_uuid(value)
    group = None
    if found is not None:
        group = await session.scalar(
            sa.select(FlowGroup.id).where(FlowGroup.tenant_id == tenant, FlowGroup.id == found)
        )
        if group is None:
            group = await session.scalar(
                sa.select(Flow.flow_group_id).where(Flow.tenant_id == tenant, Flow.id == found)
            )
    if group is None:
        raise missing(f"{what}: no flow {value!s:.60}", details={"field": what})
    return str(group)


async def _project_id(session: AsyncSession, tenant: uuid.UUID, value: Any) -> str:
    found = _maybe_uuid(value)
    condition = Project.id == found if found is not None else Project.name == str(value)
    project = await session.scalar(
        sa.select(Project.id).where(Project.tenant_id == tenant, condition)
    )
    if project is None:
        raise InvalidInput(
            f"trigger.project: no project {value!s:.100}", details={"field": "trigger.project"}
        )
    return str(project)


async def normalize_trigger(
    session: AsyncSession, tenant: uuid.UUID, document: Any
) -> dict[str, Any]:
    """The trigger as stored: validated, with its references resolved in `tenant`."""
    if not isinstance(document, dict):
        raise InvalidInput("trigger must be an object with a 'type'", details={"field": "trigger"})
    document = dict(document)
    project = document.pop("project", None)
    if project is None:
        project = document.pop("project_id", None)
    specs.parse_trigger(document)  # the shape first: clear errors before any lookup
    if project is not None:
        document["project_id"] = await _project_id(session, tenant, project)
    if document.get("flow_group_ids"):
        document["flow_group_ids"] = sorted(
            {
                await resolve_flow_group(session, tenant, value, f"trigger.flow_group_ids.{index}")
                for index, value in enumerate(document["flow_group_ids"])
            }
        )
    return specs.dump(specs.parse_trigger(document))


async def _newest_schema(session: AsyncSession, flow_group_id: str) -> dict[str, Any]:
    schema = await session.scalar(
        sa.select(Flow.parameter_schema)
        .where(Flow.flow_group_id == uuid.UUID(flow_group_id), Flow.archived.is_(False))
        .order_by(Flow.version.desc())
        .limit(1)
    )
    return dict(schema or {})


async def normalize_actions(
    session: AsyncSession, tenant: uuid.UUID, documents: Any, trigger_type: str
) -> list[dict[str, Any]]:
    """The actions as stored: validated against the trigger, references resolved."""
    specs.parse_actions(documents, trigger_type)
    stored: list[dict[str, Any]] = []
    for index, given in enumerate(documents):
        document = dict(given)
        if document.get("flow_group_id") is not None:
            document["flow_group_id"] = await resolve_flow_group(
                session, tenant, document["flow_group_id"], f"actions.{index}.flow_group_id"
            )
        action = specs.parse_action(document, index)
        if action.type == "start_flow_run":
            schema = await _newest_schema(session, str(action.flow_group_id))
            try:
                validate_parameters(schema, action.parameters)
            except InvalidInput as error:
                raise InvalidInput(
                    f"actions.{index}.parameters: {error.message}",
                    details={"field": f"actions.{index}.parameters"},
                ) from None
        stored.append(specs.dump(action))
    return stored


def _secret(value: Any) -> str:
    if value is None:
        return new_secret()
    if (
        not isinstance(value, str)
        or not MIN_SECRET_CHARS <= len(value) <= MAX_SECRET_CHARS
        or not value.isprintable()
    ):
        raise InvalidInput(
            f"secret must be {MIN_SECRET_CHARS} to {MAX_SECRET_CHARS} printable characters "
            "(or leave it out to have one generated)",
            details={"field": "secret"},
        )
    return value


def _description(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 2000:
        raise InvalidInput("description must be text of at most 2000 characters")
    return value


def _changed(session: AsyncSession, tenant: uuid.UUID, automation_id: uuid.UUID) -> None:
    record_event(
        session,
        Event("automation.changed", str(tenant), data={"automation_id": str(automation_id)}),
    )


async def create_automation(
    db: Database,
    tenant_id: uuid.UUID | str,
    *,
    name: str,
    trigger: dict[str, Any],
    actions: list[dict[str, Any]],
    description: str | None = None,
    enabled: bool = True,
    secret: str | None = None,
    keyring: Keyring | None = None,
) -> records.Automation:
    """A new automation (its signing secret generated unless given, and sealed with
    `keyring`, by default the one of the process settings)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    clean_name = name_arg(name)
    clean_description = _description(description)
    clean_secret = _secret(secret)
    ring = keyring or signing.current_keyring()
    automation_id = new_id()
    async with db.transaction() as session:
        stored_trigger = await normalize_trigger(session, tenant, trigger)
        stored_actions = await normalize_actions(session, tenant, actions, stored_trigger["type"])
        row = Automation(
            id=automation_id,
            tenant_id=tenant,
            name=clean_name,
            description=clean_description,
            trigger=stored_trigger,
            enabled=bool(enabled),
            **action_secrets.seal_actions(ring, tenant, automation_id, stored_actions),
            **signing.seal_secret(ring, tenant, automation_id, clean_secret),
        )
        session.add(row)
        await session.flush()
        _changed(session, tenant, row.id)
        return _record(row, clean_secret, keyring=ring)


async def _find(
    session: AsyncSession, tenant: uuid.UUID, automation_id: uuid.UUID, *, lock: bool = False
) -> Automation:
    statement = sa.select(Automation).where(
        Automation.tenant_id == tenant, Automation.id == automation_id
    )
    if lock:
        statement = statement.with_for_update()
    row = await session.scalar(statement)
    if row is None:
        raise NotFound(
            f"No automation {automation_id}", details={"automation_id": str(automation_id)}
        )
    return row


async def update_automation(
    db: Database,
    tenant_id: uuid.UUID | str,
    automation_id: uuid.UUID | str,
    *,
    name: str | None = None,
    description: str | None = None,
    trigger: dict[str, Any] | None = None,
    actions: list[dict[str, Any]] | None = None,
    enabled: bool | None = None,
    secret: str | None = None,
    rotate_secret: bool = False,
    keyring: Keyring | None = None,
) -> records.Automation:
    """Change what is given (None keeps a field). A new trigger re-checks the actions.
    A new (given or rotated) secret is sealed and returned in this answer only."""
    tenant = as_uuid(tenant_id, "tenant_id")
    target = as_uuid(automation_id, "automation_id")
    clean_name = None if name is None else name_arg(name)
    clean_description = _description(description)
    if secret is not None and rotate_secret:
        raise InvalidInput("Give a new secret or ask for a rotation, not both")
    ring = keyring or signing.current_keyring()
    async with db.transaction() as session:
        row = await _find(session, tenant, target, lock=True)
        stored_trigger = (
            dict(row.trigger)
            if trigger is None
            else await normalize_trigger(session, tenant, trigger)
        )
        stored_actions = await normalize_actions(
            session,
            tenant,
            action_secrets.open_actions(ring, row) if actions is None else actions,
            stored_trigger["type"],
        )
        row.trigger = stored_trigger
        for column, value in action_secrets.seal_actions(
            ring, tenant, row.id, stored_actions
        ).items():
            setattr(row, column, value)
        if clean_name is not None:
            row.name = clean_name
        if description is not None:
            row.description = clean_description or None
        if enabled is not None:
            row.enabled = bool(enabled)
        new_secret_value = None
        if secret is not None or rotate_secret:
            new_secret_value = _secret(secret)
            for column, value in signing.seal_secret(
                ring, tenant, row.id, new_secret_value
            ).items():
                setattr(row, column, value)
        await session.flush()
        _changed(session, tenant, row.id)
        return _record(row, new_secret_value, keyring=ring)


async def set_automation_enabled(
    db: Database,
    tenant_id: uuid.UUID | str,
    automation_id: uuid.UUID | str,
    enabled: bool,
    *,
    keyring: Keyring | None = None,
) -> records.Automation:
    """Turn it on or off; its actions are returned opened with `keyring` (else masked)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    target = as_uuid(automation_id, "automation_id")
    async with db.transaction() as session:
        row = await _find(session, tenant, target, lock=True)
        if row.enabled != bool(enabled):
            row.enabled = bool(enabled)
            await session.flush()
            _changed(session, tenant, row.id)
        return _record(row, keyring=keyring)


async def delete_automation(
    db: Database, tenant_id: uuid.UUID | str, automation_id: uuid.UUID | str
) -> bool:
    """Delete it (its delivery log stays, under the automation's name); false if absent.
    Deliveries still pending are dropped: nobody asked for them any more."""
    tenant = as_uuid(tenant_id, "tenant_id")
    target = as_uuid(automation_id, "automation_id")
    from proctor.server.database.models import Notification

    async with db.transaction() as session:
        deleted = await session.execute(
            sa.delete(Automation)
            .where(Automation.tenant_id == tenant, Automation.id == target)
            .returning(Automation.id)
        )
        if deleted.first() is None:
            return False
        await session.execute(
            sa.update(Notification)
            .where(
                Notification.tenant_id == tenant,
                Notification.automation_id.is_(None),
                Notification.status == "pending",
            )
            .values(status="failed", last_error="The automation was deleted.")
        )
        _changed(session, tenant, target)
        return True


async def get_automation(
    db: Database,
    tenant_id: uuid.UUID | str,
    automation_id: uuid.UUID | str,
    *,
    keyring: Keyring | None = None,
) -> records.Automation:
    """One automation, its actions opened with `keyring` (masked without one)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    target = as_uuid(automation_id, "automation_id")
    async with db.session() as session:
        return _record(await _find(session, tenant, target), keyring=keyring)


async def list_automations(
    db: Database,
    tenant_id: uuid.UUID | str,
    *,
    enabled: bool | None = None,
    keyring: Keyring | None = None,
) -> list[records.Automation]:
    """The tenant's automations by name (`enabled` narrows to enabled or disabled ones),
    their actions opened with `keyring` (masked without one)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    statement = sa.select(Automation).where(Automation.tenant_id == tenant)
    if enabled is not None:
        statement = statement.where(Automation.enabled.is_(bool(enabled)))
    async with db.session() as session:
        rows = (await session.scalars(statement.order_by(Automation.name, Automation.id))).all()
    return [_record(row, keyring=keyring) for row in rows]


__all__ = [
    "create_automation",
    "delete_automation",
    "get_automation",
    "list_automations",
    "new_secret",
    "normalize_actions",
    "normalize_trigger",
    "resolve_flow_group",
    "set_automation_enabled",
    "update_automation",
]
