"""Who may do what, checked against the hand-written matrix (`permission_matrix.MATRIX`,
read from docs/security.md, not from the permission table in the code).

A real auth-mode server is started; its owner invites one person per role (who accepts
and makes a key of their own), makes an agent service account, and then every root field
of the schema is sent by every role and without credentials. A field is *refused* when
the answer carries FORBIDDEN (UNAUTHENTICATED without credentials) before anything ran:
an error without a `path`. Errors a resolver raises (NOT_FOUND for a made-up id,
INVALID_INPUT for a made-up value) mean the operation got past authorization.

The same comparison also runs on the app in this process (queries and mutations), which
is what a mutation run of `proctor.server.auth` uses: it sees the mutated code, a
server process would not.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
)
from tests.server.auth.helpers import service_key, staffed_team
from tests.server.auth.live_server import OWNER, OWNER_PASSWORD, auth_server, client_from
from tests.server.auth.permission_matrix import MATRIX, ROLES, may
from websockets.asyncio.client import connect

from proctor.server.api import build_schema
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.testing import ServerProcess

GRAPHQL = build_schema()._schema
KEYWORDS = {"Query": "query", "Mutation": "mutation", "Subscription": "subscription"}
REFUSALS = {"FORBIDDEN", "UNAUTHENTICATED"}
PASSWORD = "a password for the matrix"

# Arguments whose minimal value would make the call slow or odd.
ARGUMENTS: dict[str, dict[str, Any]] = {
    "Mutation.claimFlowRuns": {"limit": 1, "waitSeconds": 0.0},
    "Query.runCounts": {"bucketSeconds": 3600},
}
SCALARS: dict[str, Any] = {
    "ID": lambda: str(uuid.uuid4()),
    "Int": lambda: 1,
    "Float": lambda: 1.0,
    "Boolean": lambda: False,
    "DateTime": lambda: "2031-01-01T00:00:00+00:00",
    "JSON": dict,
}


def live_root_fields() -> set[str]:
    found: set[str] = set()
    for type_name in KEYWORDS:
        root = GRAPHQL.get_type(type_name)
        assert isinstance(root, GraphQLObjectType)
        found |= {f"{type_name}.{name}" for name in root.fields}
    return found


def minimal(type_: GraphQLInputType) -> Any:
    """A valid value of `type_`, as small as possible."""
    if isinstance(type_, GraphQLNonNull):
        return minimal(type_.of_type)
    if isinstance(type_, GraphQLList):
        return []
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {
            name: minimal(field.type)
            for name, field in type_.fields.items()
            if isinstance(field.type, GraphQLNonNull) and field.default_value is None
        }
    assert isinstance(type_, GraphQLScalarType)
    return SCALARS.get(type_.name, lambda: "matrix")()


def document(field: str) -> tuple[str, dict[str, Any]]:
    """An operation selecting only root field `field` with its required arguments."""
    type_name, name = field.split(".")
    root = GRAPHQL.get_type(type_name)
    assert isinstance(root, GraphQLObjectType)
    definition = root.fields[name]
    needed = {a: arg for a, arg in definition.args.items() if isinstance(arg.type, GraphQLNonNull)}
    declared = ", ".join(f"${a}: {arg.type}" for a, arg in needed.items())
    passed = ", ".join(f"{a}: ${a}" for a in needed)
    named = get_named_type(definition.type)
    selection = "" if isinstance(named, GraphQLScalarType | GraphQLEnumType) else " { __typename }"
    text = (
        f"{KEYWORDS[type_name]} Matrix{f'({declared})' if declared else ''} "
        f"{{ {name}{f'({passed})' if passed else ''}{selection} }}"
    )
    values = {a: minimal(arg.type) for a, arg in needed.items()}
    return text, {**values, **ARGUMENTS.get(field, {})}


def refusal_codes(errors: list[dict[str, Any]] | None) -> list[str]:
    """The codes of refusals made before execution (validation errors carry no path)."""
    return [
        str(error.get("extensions", {}).get("code"))
        for error in errors or []
        if "path" not in error and error.get("extensions", {}).get("code") in REFUSALS
    ]


def verdict(field: str, role: str, refused: list[str]) -> str | None:
    """What is wrong with the answer, or None when it matches the matrix."""
    if may(field, role):
        return f"{field}: refused {refused}, the docs allow it" if refused else None
    wanted = "UNAUTHENTICATED" if role == "anonymous" else "FORBIDDEN"
    return None if refused == [wanted] else f"{field}: got {refused or 'an answer'}, want {wanted}"


async def http_mismatches(client: httpx.AsyncClient, keys: dict[str, str | None]) -> list[str]:
    """Every query and mutation sent by every role; the answers that contradict the matrix."""
    wrong: list[str] = []
    for role in ROLES:
        headers = {"authorization": f"Bearer {keys[role]}"} if keys[role] else {}
        for field in sorted(MATRIX):
            if field.startswith("Subscription."):
                continue
            text, variables = document(field)
            response = await client.post(
                "/graphql", json={"query": text, "variables": variables}, headers=headers
            )
            assert response.status_code == 200, (field, role, response.text)
            problem = verdict(field, role, refusal_codes(response.json().get("errors")))
            if problem:
                wrong.append(f"{role}: {problem}")
    return wrong


async def subscription_mismatches(ws_url: str, keys: dict[str, str | None]) -> list[str]:
    """Every subscription opened by every role over the websocket (graphql-transport-ws).

    A refused subscription is answered at once with an `error` message; one that is let
    through waits for events (or answers with its own error, NOT_FOUND for a made-up id)."""
    fields = sorted(field for field in MATRIX if field.startswith("Subscription."))
    wrong: list[str] = []
    for role in ROLES:
        payload = {"Authorization": f"Bearer {keys[role]}"} if keys[role] else {}
        answers: dict[str, list[str]] = {}
        async with connect(ws_url, subprotocols=["graphql-transport-ws"]) as socket:
            await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
            assert json.loads(await socket.recv())["type"] == "connection_ack"
            for index, field in enumerate(fields):
                text, variables = document(field)
                message = {"query": text, "variables": variables}
                await socket.send(
                    json.dumps({"id": str(index), "type": "subscribe", "payload": message})
                )
            while len(answers) < len(fields):
                try:
                    received = json.loads(await asyncio.wait_for(socket.recv(), timeout=3))
                except TimeoutError:
                    break  # the others were let through and wait for events
                if received.get("type") == "error":
                    answers[fields[int(received["id"])]] = refusal_codes(received["payload"])
                elif received.get("type") == "next":
                    errors = received["payload"].get("errors")
                    answers[fields[int(received["id"])]] = refusal_codes(errors)
        for field in fields:
            problem = verdict(field, role, answers.get(field, []))
            if problem:
                wrong.append(f"{role}: {problem}")
    return wrong


# -- the live schema and the matrix -----------------------------------------------------


def test_the_matrix_has_a_row_for_every_root_field_of_the_schema():
    live = live_root_fields()
    missing = sorted(live - set(MATRIX))
    assert not missing, f"root fields with no row in permission_matrix.MATRIX: {missing}"
    stale = sorted(set(MATRIX) - live)
    assert not stale, f"permission_matrix.MATRIX rows the schema no longer has: {stale}"


def test_the_matrix_documents_are_valid_for_the_schema():
    from graphql import parse, validate

    for field in MATRIX:
        text, _variables = document(field)
        assert not validate(GRAPHQL, parse(text)), field


# -- a real server ------------------------------------------------------------------------


async def _post(client: httpx.AsyncClient, query: str, variables: dict[str, Any], **kw: Any) -> Any:
    response = await client.post("/graphql", json={"query": query, "variables": variables}, **kw)
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return body["data"]


async def _login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    response = await client.post("/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"x-csrf-token": response.json()["csrfToken"]}


async def _own_key(url: str, email: str, password: str) -> str:
    """Logs in as a person (their own browser) and makes a key of their own."""
    async with client_from(url) as browser:
        csrf = await _login(browser, email, password)
        made = await _post(
            browser, 'mutation { createApiKey(name: "matrix") { key } }', {}, headers=csrf
        )
        return str(made["createApiKey"]["key"])


async def staff(url: str) -> dict[str, str | None]:
    """One key per role, made the way people make them: invitations, own keys, and a
    service account for the agent."""
    keys: dict[str, str | None] = {
        "anonymous": None,
        "owner": await _own_key(url, OWNER, OWNER_PASSWORD),
    }
    async with client_from(url) as owner, client_from(url) as stranger:
        csrf = await _login(owner, OWNER, OWNER_PASSWORD)
        for role in ("admin", "member", "read_only"):
            email = f"{role}@matrix.example.com"
            invited = await _post(
                owner,
                "mutation ($e: String!, $r: String!) "
                "{ inviteMember(email: $e, role: $r) { token } }",
                {"e": email, "r": role},
                headers=csrf,
            )
            await _post(
                stranger,
                "mutation ($t: String!, $p: String!) "
                '{ acceptInvitation(token: $t, password: $p, name: "M") { __typename } }',
                {"t": invited["inviteMember"]["token"], "p": PASSWORD},
            )
            keys[role] = await _own_key(url, email, PASSWORD)
        made = await _post(
            owner,
            'mutation { createServiceAccount(name: "matrix-agent", role: "agent") { key } }',
            {},
            headers=csrf,
        )
        keys["agent"] = str(made["createServiceAccount"]["key"])
    async with client_from(url) as check:
        for role in ROLES[:-1]:
            me = await _post(
                check, "{ me { role } }", {}, headers={"authorization": f"Bearer {keys[role]}"}
            )
            assert me["me"]["role"] == role
    return keys


@pytest.fixture
def matrix_server(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    with auth_server(database_url, tmp_path / "home", {}) as server:
        yield server


async def test_a_real_server_answers_every_role_as_the_docs_say(matrix_server: ServerProcess):
    url = matrix_server.url
    keys = await staff(url)
    async with client_from(url) as client:
        introspected = await _post(
            client,
            "{ __schema { queryType { fields { name } } mutationType { fields { name } } "
            "subscriptionType { fields { name } } } }",
            {},
            headers={"authorization": f"Bearer {keys['read_only']}"},
        )
        served = {
            f"{type_name}.{field['name']}"
            for type_name, root in zip(KEYWORDS, introspected["__schema"].values(), strict=True)
            for field in root["fields"]
        }
        assert served == set(MATRIX), sorted(served ^ set(MATRIX))
        wrong = await http_mismatches(client, keys)
    wrong += await subscription_mismatches(url.replace("http://", "ws://") + "/graphql", keys)
    assert not wrong, "answers that contradict docs/security.md:\n" + "\n".join(wrong)


# -- the app in this process ----------------------------------------------------------------


@pytest.fixture
async def in_process_keys(database: Database) -> AsyncIterator[dict[str, str | None]]:
    team = await staffed_team(database, "matrix", DEFAULT_TENANT_ID)
    keys: dict[str, str | None] = {"anonymous": None, **team.keys}
    keys["agent"] = await service_key(database, DEFAULT_TENANT_ID)
    yield keys


async def test_the_app_answers_every_role_as_the_docs_say(
    http: httpx.AsyncClient, in_process_keys: dict[str, str | None]
):
    wrong = await http_mismatches(http, in_process_keys)
    assert not wrong, "answers that contradict docs/security.md:\n" + "\n".join(wrong)
