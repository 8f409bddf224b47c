"""Secrets through the GraphQL API (in process, SQLite and PostgreSQL): what each role
gets, and that no response to a read-only principal ever holds a value."""

from __future__ import annotations

import json
import uuid

import pytest
import sqlalchemy as sa
from tests.server.api.graphql_results import error_codes

from proctor.client import AsyncClient, GraphQLError, NotFound
from proctor.server.api import build_schema
from proctor.server.api.context import ApiContext
from proctor.server.api.request_limits import RequestLimits
from proctor.server.auth.principal import Principal
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import FlowRun

VALUE = "api-visible-NEVER-0a1b2c3d"


def principal(role: str, tenant: uuid.UUID = DEFAULT_TENANT_ID) -> Principal:
    return Principal(tenant_id=tenant, role=role, kind="api_key", api_key_id=uuid.uuid4())  # type: ignore[arg-type]


async def as_role(
    database: Database, who: Principal, query: str, variables: dict | None = None
) -> dict:
    """Run one operation as `who` (what the request would get), as a JSON-ready dict."""
    schema = build_schema(RequestLimits())
    context = ApiContext(
        db=database, events=database.events, tenant_id=who.tenant_id,
        request_limits=RequestLimits(), principal=who,
    )  # fmt: skip
    result = await schema.execute(query, variable_values=variables, context_value=context)
    body: dict = {"data": result.data}
    if result.errors:
        body["errors"] = [e.formatted for e in result.errors]
    return body


@pytest.fixture
async def live_run(api: AsyncClient, flow_spec) -> str:
    """A flow run claimed by an agent (Submitted): one that may read secrets."""
    result = await api.register_flow("proj", flow_spec(), create_project=True)
    run = await api.create_flow_run(result.flow.id, parameters={"who": "me"})
    agent = await api.register_agent("box", [])
    [claimed] = await api.claim_flow_runs(agent.id, [])
    assert claimed.id == run.id
    return run.id


async def test_set_list_read_and_delete_through_the_client(api: AsyncClient, live_run: str):
    made = await api.set_secret("API_TOKEN", VALUE)
    assert made.name == "API_TOKEN" and made.created_by == "local"
    [listed] = await api.list_secrets()
    assert listed.name == "API_TOKEN" and VALUE not in listed.model_dump_json()
    assert await api.secret_value("API_TOKEN", live_run) == VALUE
    with pytest.raises(NotFound):
        await api.secret_value("OTHER", live_run)
    assert await api.delete_secret("API_TOKEN") is True
    assert await api.delete_secret("API_TOKEN") is False
    assert await api.list_secrets() == []


async def test_bad_input_gets_stable_codes_and_changes_nothing(gql, api: AsyncClient):
    bad_name = await gql('mutation { setSecret(name: "no way", value: "x") { name } }')
    assert error_codes(bad_name) == ["INVALID_INPUT"]
    empty = await gql('mutation { setSecret(name: "EMPTY", value: "") { name } }')
    assert error_codes(empty) == ["INVALID_INPUT"]
    huge = await gql(
        'mutation ($v: String!) { setSecret(name: "HUGE", value: $v) { name } }',
        {"v": "x" * 70_000},
    )
    assert error_codes(huge) == ["LIMIT_EXCEEDED"]
    not_a_run = await gql('{ secretValue(name: "A", flowRunId: "nope") }')
    assert error_codes(not_a_run) == ["INVALID_INPUT"]
    assert await api.list_secrets() == []


@pytest.mark.parametrize("role", ["read_only", "member", "admin", "owner", "agent"])
async def test_what_each_role_may_do_with_secrets(
    database: Database, api: AsyncClient, live_run: str, role: str
):
    await api.set_secret("TOKEN", VALUE)
    who = principal(role)
    listed = await as_role(database, who, "{ secrets { name createdBy updatedBy } }")
    read_value = 'query ($r: ID!) { secretValue(name: "TOKEN", flowRunId: $r) }'
    if role == "agent":  # an agent's key reads the secrets of the runs it claimed only
        unclaimed = await as_role(database, who, read_value, {"r": live_run})
        assert error_codes(unclaimed) == ["FORBIDDEN"], unclaimed
        async with database.transaction() as session:
            await session.execute(
                sa.update(FlowRun)
                .where(FlowRun.id == uuid.UUID(live_run))
                .values(agent_key_id=who.api_key_id)
            )
    value = await as_role(database, who, read_value, {"r": live_run})
    write = await as_role(
        database, who, 'mutation { setSecret(name: "NEW", value: "v-1234") { name } }'
    )
    delete = await as_role(database, who, 'mutation { deleteSecret(name: "TOKEN") }')
    if role == "agent":
        assert error_codes(listed) == ["FORBIDDEN"]
    else:
        assert listed["data"]["secrets"] == [
            {"name": "TOKEN", "createdBy": "local", "updatedBy": "local"}
        ]
    if role in ("member", "admin", "owner", "agent"):
        assert value["data"] == {"secretValue": VALUE}
    else:
        assert error_codes(value) == ["FORBIDDEN"]
    if role in ("admin", "owner"):
        assert write["data"]["setSecret"]["name"] == "NEW" and delete["data"]["deleteSecret"]
    else:
        assert error_codes(write) == ["FORBIDDEN"] and error_codes(delete) == ["FORBIDDEN"]
        assert {s.name for s in await api.list_secrets()} == {"TOKEN"}


async def test_no_response_to_a_read_only_principal_holds_a_value(
    database: Database, api: AsyncClient, live_run: str
):
    """Every query of the schema a read-only principal may send, with the secret set and a
    run that read it: the value is in none of the answers."""
    await api.set_secret("TOKEN", VALUE)
    assert await api.secret_value("TOKEN", live_run) == VALUE  # the run read it
    who = principal("read_only")
    queries = [
        "{ secrets { name created updated createdBy updatedBy } }",
        f'{{ secretValue(name: "TOKEN", flowRunId: "{live_run}") }}',
        "{ flowRuns { nodes { id stateMessage parameters } } }",
        f'{{ flowRun(id: "{live_run}") {{ id stateMessage states {{ message }} }} }}',
        f'{{ logs(flowRunId: "{live_run}") {{ nodes {{ message }} }} }}',
        "{ agents { name health recentRuns { id stateMessage } } }",
        "{ auditEvents { nodes { action details objectId } } }",
        'mutation { setSecret(name: "TOKEN", value: "x-1234") { name } }',
        "{ __schema { types { name fields { name } } } }",
    ]
    for query in queries:
        answer = json.dumps(await as_role(database, who, query))
        assert VALUE not in answer, query
    schema = json.dumps(
        await as_role(database, who, '{ __type(name: "Secret") { fields { name } } }')
    )
    assert '"value"' not in schema


async def test_another_teams_run_is_not_found(database: Database, api: AsyncClient, live_run: str):
    await api.set_secret("TOKEN", VALUE)
    stranger = principal("owner", tenant=uuid.uuid4())
    answer = await as_role(
        database, stranger, "query ($r: ID!) { secretValue(name: \"TOKEN\", flowRunId: $r) }",
        {"r": live_run},
    )  # fmt: skip
    assert error_codes(answer) == ["NOT_FOUND"] and VALUE not in json.dumps(answer)


async def test_a_finished_run_gets_no_value(api: AsyncClient, live_run: str, gql):
    await api.set_secret("TOKEN", VALUE)
    await api.cancel_flow_run(live_run)
    with pytest.raises(GraphQLError) as caught:
        await api.secret_value("TOKEN", live_run)
    assert caught.value.code == "FORBIDDEN" and VALUE not in str(caught.value)
