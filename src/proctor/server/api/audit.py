# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""The audit log in the API: the extension that records every mutation, and the
`auditEvents` query.

`AuditLog` is a schema extension: after each operation it looks at the document, the
variables and the result, and records one event per root mutation field (and per
`secretValue` read): who (the principal's kind, user and API key), what (the field
name), which object (a type and id found in the arguments or the result), when, and
whether it succeeded (a refused or failed field is recorded too, with its error code).
Nothing else is recorded: never argument values, so a secret's value cannot reach the
log. Because it works on the schema, a new mutation is audited without code of its own.

The run-reporting mutations (`HOT_ACTIONS`) are buffered and coalesced by the
`AuditWriter` (see `services.audit_writer`), the others written before the response.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import strawberry
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
)
from graphql.utilities import value_from_ast_untyped
from strawberry.extensions import SchemaExtension
from strawberry.scalars import JSON

from proctor.server.api.loaders import ctx, paging
from proctor.server.api.pagination import Connection, connection_from_page
from proctor.server.auth.principal import Principal
from proctor.server.services.audit import AuditRecord, list_audit_events
from proctor.server.services.audit_writer import writer_for

logger = logging.getLogger("proctor.server.audit")

#: Mutations a run or an agent sends many times a second: coalesced in batches.
HOT_ACTIONS = frozenset(
    {
        "setTaskRunStates",
        "setFlowRunStates",
        "createTaskRuns",
        "writeLogs",
        "heartbeatFlowRuns",
        "agentHeartbeat",
        "claimFlowRuns",
    }
)
#: Queries worth auditing: handing out a secret's value.
AUDITED_QUERIES = frozenset({"secretValue"})

# Arguments that name the object a mutation acts on, strongest first.
_OBJECT_ARGUMENTS = (
    ("flowRunId", "flow_run"),
    ("agentId", "agent"),
    ("flowId", "flow"),
    ("flowGroupId", "flow_group"),
    ("userId", "user"),
    ("apiKeyId", "api_key"),
    ("automationId", "automation"),
)
_VERB = re.compile(
    r"^(create|delete|set|register|archive|cancel|restart|claim|heartbeat|write|update|"
    r"revoke|invite|accept|remove|add|rotate|change|switch|resume|approve|pause|test|"
    r"trigger|enable|disable|reset|rename|upsert|clear|leave|join|transfer|grant|mark)(?=[A-Z])"
)


def actor_label(principal: Principal | None) -> str:
    """How a principal is shown where a name is needed ("local", "user:<id>", ...)."""
    if principal is None:
        return "anonymous"
    if principal.user_id is not None:
        return f"user:{principal.user_id}"
    if principal.api_key_id is not None:
        return f"api_key:{principal.api_key_id}"
    return principal.kind


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


#: Mutations whose name says more than verb + noun: the object they act on.
_NOUNS = {"restartFlowRunFrom": "flow_run"}


def noun_of(action: str) -> str:
    """`deleteProject` -> "project", `createFlowRun` -> "flow_run", `setSecret` -> "secret"."""
    if action in _NOUNS:
        return _NOUNS[action]
    return _snake(_VERB.sub("", action, count=1)) or _snake(action)


def _text(value: Any) -> str | None:
    if isinstance(value, str | int | uuid.UUID) and not isinstance(value, bool):
        return str(value)[:100]
    return None


def _batch_target(arguments: dict[str, Any]) -> tuple[str | None, str | None, dict[str, Any]]:
    """A batched mutation's flow run (when all items share one) and its size."""
    for value in arguments.values():
        if isinstance(value, list) and value:
            if all(isinstance(item, str) for item in value):  # heartbeatFlowRuns
                ids = set(value)
            elif all(isinstance(item, dict) for item in value):
                ids = {item.get("flowRunId") for item in value}
            else:
                continue
            target = _text(next(iter(ids))) if len(ids) == 1 else None
            return (
                ("flow_run", target, {"items": len(value)})
                if target
                else (None, None, {"items": len(value)})
            )
    return None, None, {}


def _result_id(result: Any) -> str | None:
    """The id of what a mutation returned: its `id`, or its one nested object's (e.g.
    `registerFlow { flow { id } status }`)."""
    if not isinstance(result, dict):
        return None
    found = _text(result.get("id"))
    if found is None:
        nested = [value for value in result.values() if isinstance(value, dict)]
        if len(nested) == 1:
            found = _text(nested[0].get("id"))
    return found


def describe_object(
    action: str, arguments: dict[str, Any], result: Any
) -> tuple[str | None, str | None, dict[str, Any]]:
    """(object type, object id, details) of one mutation field, from its arguments and
    what it returned. Only identifiers are taken, never other argument values."""
    for argument, kind in _OBJECT_ARGUMENTS:
        target = _text(arguments.get(argument))
        if target is not None:
            return kind, target, {}
    noun = noun_of(action)
    name = _text(arguments.get("name"))
    named = {"name": name} if name is not None else {}
    found = _text(arguments.get("id")) or _result_id(result)
    if found is not None:
        return noun, found, named
    if name is not None:
        return noun, name, {}
    batch_kind, batch_target, details = _batch_target(arguments)
    if batch_kind is not None or details:
        return batch_kind or noun, batch_target, details
    nested = arguments.get("input")
    if isinstance(nested, dict):
        return describe_object(action, nested, result)
    return noun, None, {}


def _root_fields(
    selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    stack, seen = [selection_set], set()
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FieldNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                stack.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                seen.add(selection.name.value)
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    stack.append(fragment.selection_set)


def _arguments(node: FieldNode, variables: dict[str, Any]) -> dict[str, Any]:
    """A field's arguments as sent (variables looked up, literals read as plain values)."""
    found: dict[str, Any] = {}
    for argument in node.arguments or ():
        value = argument.value
        try:
            if isinstance(value, VariableNode):
                found[argument.name.value] = variables.get(value.name.value)
            else:
                found[argument.name.value] = value_from_ast_untyped(value, variables)
        except Exception:  # a malformed literal: graphql reports it; we just skip it
            continue
    return found


def _operation(document: Any, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)


def _field_errors(result: Any) -> tuple[dict[str, str], str | None]:
    """Error codes by response key, and the code of an error of the whole operation."""
    by_key: dict[str, str] = {}
    whole: str | None = None
    for error in getattr(result, "errors", None) or ():
        code = str((error.extensions or {}).get("code") or "ERROR")
        if error.path:
            by_key.setdefault(str(error.path[0]), code)
        else:
            whole = whole or code
    return by_key, whole


def audit_records(execution_context: Any) -> list[tuple[AuditRecord, bool]]:
    """The events of one finished operation, each with whether it is a hot one."""
    context = execution_context.context
    principal = getattr(context, "principal", None)
    tenant_id = getattr(context, "tenant_id", None)
    document = execution_context.graphql_document
    if tenant_id is None or document is None:
        return []  # nobody to attribute it to, or not even parsed
    operation = _operation(document, execution_context.operation_name)
    if operation is None or operation.operation is OperationType.SUBSCRIPTION:
        return []
    mutation = operation.operation is OperationType.MUTATION
    schema = execution_context.schema._schema
    root: GraphQLObjectType | None = schema.mutation_type if mutation else schema.query_type
    if root is None:
        return []
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    result = execution_context.result
    data = getattr(result, "data", None) or {}
    errors, whole = _field_errors(result)
    now = datetime.now(UTC)
    found: list[tuple[AuditRecord, bool]] = []
    for node in _root_fields(operation.selection_set, fragments):
        action = node.name.value
        definition = root.fields.get(action)
        if definition is None or (not mutation and action not in AUDITED_QUERIES):
            continue
        arguments = _arguments(node, execution_context.variables or {})
        key = node.alias.value if node.alias else action
        object_type, object_id, details = describe_object(action, arguments, data.get(key))
        code = errors.get(key) or (whole if key not in data or data.get(key) is None else None)
        if code is not None:
            details = {**details, "error": code}
        if action in AUDITED_QUERIES and isinstance(arguments.get("flowRunId"), str):
            object_type, object_id = "secret", _text(arguments.get("name"))
            details = {**details, "flow_run_id": arguments["flowRunId"]}
        record = AuditRecord(
            tenant_id=tenant_id,
            action=action,
            occurred=now,
            actor_kind=principal.kind if principal is not None else "anonymous",
            actor_user_id=principal.user_id if principal is not None else None,
            actor_api_key_id=principal.api_key_id if principal is not None else None,
            object_type=object_type,
            object_id=object_id,
            success=code is None,
            details=details,
        )
        found.append((record, action in HOT_ACTIONS))
    return found


class AuditLog(SchemaExtension):
    """Records the operation's mutations once it has run (see the module docstring)."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        try:
            found = audit_records(self.execution_context)
            if not found:
                return
            writer = writer_for(self.execution_context.context.db)
            now = [record for record, hot in found if not hot]
            for record, hot in found:
                if hot:
                    writer.buffer(record)
            if now:
                await writer.write(now)
        except Exception:  # the audit log must never break the API
            logger.exception("Could not record an operation in the audit log")


# -- the query ---------------------------------------------------------------------------------


@strawberry.type(description="One audited action: who did what to which object, and when.")
class AuditEvent:
    id: strawberry.ID
    occurred: datetime
    action: str = strawberry.field(description="The mutation (or `secretValue`).")
    actor: str = strawberry.field(
        description='"local", "user:<id>", "api_key:<id>" or the principal kind.'
    )
    actor_kind: str | None
    actor_user_id: strawberry.ID | None
    actor_api_key_id: strawberry.ID | None
    object_type: str | None
    object_id: str | None
    success: bool
    details: JSON = strawberry.field(
        description="Ids and counts: `count`/`last` for coalesced reports, `error` codes."
    )

    @classmethod
    def from_record(cls, record: AuditRecord) -> AuditEvent:
        if record.actor_user_id is not None:
            actor = f"user:{record.actor_user_id}"
        elif record.actor_api_key_id is not None:
            actor = f"api_key:{record.actor_api_key_id}"
        else:
            actor = record.actor_kind or "unknown"
        return cls(
            id=strawberry.ID(str(record.id)),
            occurred=record.occurred,
            action=record.action,
            actor=actor,
            actor_kind=record.actor_kind,
            actor_user_id=_id(record.actor_user_id),
            actor_api_key_id=_id(record.actor_api_key_id),
            object_type=record.object_type,
            object_id=record.object_id,
            success=record.success,
            details=record.details,  # type: ignore[arg-type]  # JSON is any JSON value
        )


def _id(value: uuid.UUID | None) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(str(value))


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description="The team's audit log, newest first. `actor`: local, session, api_key, "
        "user:<id>, api_key:<id> or an id; `since` <= occurred < `until`; `machine`: true "
        "for only, false for no machine traffic (heartbeats, claims, task states, logs)."
    )
    async def audit_events(
        self,
        info: strawberry.Info,
        actor: str | None = None,
        action: str | None = None,
        object_type: str | None = None,
        object_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        machine: bool | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AuditEvent]:
        context = ctx(info)
        await writer_for(context.db).flush()  # what this process buffered, first
        page = await list_audit_events(
            context.db,
            context.tenant_id,
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            since=since,
            until=until,
            machine=machine,
            **paging(first, after, info),
        )
        return connection_from_page(page, AuditEvent.from_record)


__all__ = [
    "AUDITED_QUERIES",
    "HOT_ACTIONS",
    "AuditEvent",
    "AuditLog",
    "AuditQuery",
    "actor_label",
    "audit_records",
    "describe_object",
    "noun_of",
]
