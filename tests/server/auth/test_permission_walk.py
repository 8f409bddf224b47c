"""The permission table, walked: every root field of `build_schema()` (found by
introspection, never listed by hand) is called by every role and by nobody, and must be
refused (FORBIDDEN / UNAUTHENTICATED) exactly when `proctor.server.auth.permissions`
says so.

Each call gets minimal valid arguments built from the field's argument types (random
ids, empty lists, the first enum value, required input fields filled in), so a permitted
call gets past authorization; any error code other than FORBIDDEN/UNAUTHENTICATED
(NOT_FOUND, INVALID_INPUT, ...) means "allowed". A root field missing from
`FIELD_ACTIONS` fails `test_every_root_field_has_a_permission_rule` with its name.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    get_named_type,
)
from tests.server.auth.helpers import new_user, service_key, user_key

from proctor.server.api import build_schema
from proctor.server.api.context import ApiContext
from proctor.server.api.request_limits import RequestLimits
from proctor.server.auth.api_keys import authenticate_key
from proctor.server.auth.permissions import FIELD_ACTIONS, Action, allowed
from proctor.server.auth.principal import Principal
from proctor.server.database import DEFAULT_TENANT_ID, Database

ROLES = ("owner", "admin", "member", "read_only", "agent", "anonymous")
REFUSALS = {"FORBIDDEN", "UNAUTHENTICATED"}
SCALARS: dict[str, Any] = {
    "ID": lambda: str(uuid.uuid4()),
    "String": lambda: "walk",
    "Int": lambda: 1,
    "Float": lambda: 1.0,
    "Boolean": lambda: False,
    "DateTime": lambda: "2031-01-01T00:00:00+00:00",
    "Date": lambda: "2031-01-01",
    "JSON": dict,
    "UUID": lambda: str(uuid.uuid4()),
}
OPERATIONS = {"Query": "query", "Mutation": "mutation", "Subscription": "subscription"}

SCHEMA = build_schema()
GRAPHQL: GraphQLSchema = SCHEMA._schema


def root_fields() -> list[tuple[str, str]]:
    found = []
    for type_name in OPERATIONS:
        root = GRAPHQL.get_type(type_name)
        if isinstance(root, GraphQLObjectType):
            found += [(type_name, name) for name in root.fields]
    return found


ROOT_FIELDS = root_fields()


def value_for(type_: GraphQLInputType) -> Any:
    """A minimal valid value of an input type."""
    if isinstance(type_, GraphQLNonNull):
        return value_for(type_.of_type)
    if isinstance(type_, GraphQLList):
        return []
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {
            name: value_for(field.type)
            for name, field in type_.fields.items()
            if isinstance(field.type, GraphQLNonNull) and field.default_value is None
        }
    assert isinstance(type_, GraphQLScalarType)
    return SCALARS.get(type_.name, lambda: "walk")()


def _required(argument: GraphQLArgument) -> bool:
    return isinstance(argument.type, GraphQLNonNull)


def operation_for(type_name: str, field_name: str) -> tuple[str, dict[str, Any]]:
    """A document selecting only `field_name`, and variables for its required arguments."""
    root = GRAPHQL.get_type(type_name)
    assert isinstance(root, GraphQLObjectType)
    field = root.fields[field_name]
    needed = {name: arg for name, arg in field.args.items() if _required(arg)}
    declarations = ", ".join(f"${name}: {arg.type}" for name, arg in needed.items())
    arguments = ", ".join(f"{name}: ${name}" for name in needed)
    named = get_named_type(field.type)
    selection = "" if isinstance(named, GraphQLScalarType | GraphQLEnumType) else " { __typename }"
    document = (
        f"{OPERATIONS[type_name]} Walk{f'({declarations})' if declarations else ''} "
        f"{{ {field_name}{f'({arguments})' if arguments else ''}{selection} }}"
    )
    return document, {name: value_for(arg.type) for name, arg in needed.items()}


async def principal_of(db: Database, role: str) -> Principal | None:
    """A real person (or service account) of the default team with `role`."""
    if role == "anonymous":
        return None
    if role == "agent":
        key = await service_key(db, DEFAULT_TENANT_ID)
    else:
        user = await new_user(db, DEFAULT_TENANT_ID, role)
        key = await user_key(db, DEFAULT_TENANT_ID, user, role)
    checked = await authenticate_key(db, key)
    assert checked.principal is not None and checked.principal.role == role
    return checked.principal


async def error_codes_of(
    db: Database, type_name: str, field_name: str, principal: Principal | None
) -> list[str]:
    document, variables = operation_for(type_name, field_name)
    context = ApiContext(
        db=db,
        events=db.events,
        tenant_id=principal.tenant_id if principal else None,
        request_limits=RequestLimits(),
        principal=principal,
        stopping=asyncio.Event(),
    )
    if type_name != "Subscription":
        result = await SCHEMA.execute(document, variables, context_value=context)
        return [str((e.extensions or {}).get("code")) for e in result.errors or []]
    stream = await SCHEMA.subscribe(document, variables, context_value=context)
    if not hasattr(stream, "__anext__"):
        return [str((e.extensions or {}).get("code")) for e in stream.errors or []]
    try:
        first = await asyncio.wait_for(stream.__anext__(), timeout=1.0)
    except (TimeoutError, StopAsyncIteration):
        return []  # it subscribed and waits for events: allowed
    finally:
        context.stopping.set()  # type: ignore[union-attr]
        await stream.aclose()
    return [str((e.extensions or {}).get("code")) for e in first.errors or []]


def expected_refusal(action: Action, role: str) -> str | None:
    if role == "anonymous":
        return None if action is Action.PUBLIC else "UNAUTHENTICATED"
    return None if allowed(role, action) else "FORBIDDEN"


def test_every_root_field_has_a_permission_rule():
    missing = [f"{t}.{f}" for t, f in ROOT_FIELDS if f"{t}.{f}" not in FIELD_ACTIONS]
    assert not missing, f"root fields without a line in FIELD_ACTIONS: {', '.join(missing)}"


def test_the_table_lists_no_field_the_schema_lacks():
    present = {f"{t}.{f}" for t, f in ROOT_FIELDS}
    stale = sorted(set(FIELD_ACTIONS) - present)
    assert not stale, f"FIELD_ACTIONS names fields the schema does not have: {stale}"


def test_the_walk_sees_the_whole_schema():
    # The walk would pass vacuously on an empty list: the core fields must be among them.
    names = {f"{t}.{f}" for t, f in ROOT_FIELDS}
    assert {"Query.flowRuns", "Mutation.createFlowRun", "Subscription.logs", "Query.me"} <= names
    assert len(names) >= 40


@pytest.mark.parametrize("role", ROLES)
async def test_every_root_field_is_refused_exactly_when_the_table_says(
    database: Database, role: str
):
    wrong: list[str] = []
    principal = await principal_of(database, role)
    for type_name, field_name in ROOT_FIELDS:
        name = f"{type_name}.{field_name}"
        action = FIELD_ACTIONS.get(name)
        if action is None:
            wrong.append(f"{name}: not in FIELD_ACTIONS")
            continue
        found = await error_codes_of(database, type_name, field_name, principal)
        refused = [code for code in found if code in REFUSALS]
        expected = expected_refusal(action, role)
        if expected is None and refused:
            wrong.append(f"{name} ({action.value}): refused with {refused}, should be allowed")
        elif expected is not None and refused != [expected]:
            wrong.append(f"{name} ({action.value}): got {found or 'no error'}, wanted {expected}")
    assert not wrong, f"role {role}:\n" + "\n".join(wrong)


async def test_a_field_missing_from_the_table_is_refused_for_everyone(database: Database):
    """What the walk relies on: the enforcement refuses unknown fields at runtime."""
    from proctor.server.api.authorization import refusal

    for role in ROLES:
        error = refusal(await principal_of(database, role), "Query", "notInTheTable")
        assert error is not None and error.extensions == {"code": "FORBIDDEN"}
        assert "notInTheTable" in error.message
