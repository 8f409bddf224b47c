"""The audit log (in process, SQLite and PostgreSQL): every mutation is recorded with its
actor and object, hot reports are coalesced and never dropped, filters work, retention
prunes."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from tests.server.api.graphql_results import data_of, error_codes

from proctor.client import AsyncClient, NotFound
from proctor.server.api import build_schema
from proctor.server.api.context import ApiContext
from proctor.server.api.request_limits import RequestLimits
from proctor.server.auth.principal import Principal
from proctor.server.background.audit_retention import AuditRetention
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import ApiKey
from proctor.server.services.audit import AuditRecord, list_audit_events, write_audit_events
from proctor.server.services.audit_writer import close_writer, writer_for

EVENTS = """query ($actor: String, $action: String, $type: String, $object: String,
  $since: DateTime, $until: DateTime, $first: Int, $after: String) {
  auditEvents(actor: $actor, action: $action, objectType: $type, objectId: $object,
    since: $since, until: $until, first: $first, after: $after) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { action actor actorKind actorApiKeyId objectType objectId success details occurred }
  }
}"""


async def events(gql, **filters) -> list[dict]:
    variables = {
        {"object_type": "type", "object_id": "object"}.get(key, key): value
        for key, value in filters.items()
    }
    body = await gql(EVENTS, variables)
    return data_of(body)["auditEvents"]["nodes"]


async def test_mutations_are_recorded_with_actor_object_and_outcome(
    gql, api: AsyncClient, flow_spec
):
    project = await api.create_project("audited")
    result = await api.register_flow("audited", flow_spec())
    run = await api.create_flow_run(result.flow.id, parameters={"who": "me"})
    await api.cancel_flow_run(run.id)
    await api.set_secret("TOKEN", "never-in-the-audit-log-42")
    with pytest.raises(NotFound):
        await api.cancel_flow_run(str(uuid.uuid4()))
    assert await api.delete_secret("TOKEN") is True

    found = await events(gql)
    summary = [(e["action"], e["objectType"], e["objectId"], e["success"]) for e in found]
    assert summary[::-1][:5] == [
        ("createProject", "project", project.id, True),
        ("registerFlow", "flow", result.flow.id, True),
        ("createFlowRun", "flow_run", run.id, True),
        ("cancelFlowRun", "flow_run", run.id, True),
        ("setSecret", "secret", "TOKEN", True),
    ]
    failed = next(e for e in found if e["action"] == "cancelFlowRun" and not e["success"])
    assert failed["details"] == {"error": "NOT_FOUND"}
    assert (found[0]["action"], found[0]["objectId"]) == ("deleteSecret", "TOKEN")
    assert {(e["actor"], e["actorKind"]) for e in found} == {("local", "local")}
    assert "never-in-the-audit-log" not in json.dumps(found)
    assert all(datetime.fromisoformat(e["occurred"]) <= datetime.now(UTC) for e in found)


async def test_a_refused_mutation_is_recorded_as_failed_with_its_api_key(database: Database, gql):
    key_id = uuid.uuid4()
    async with database.transaction() as session:
        session.add(
            ApiKey(
                id=key_id, tenant_id=DEFAULT_TENANT_ID, name="ro", prefix="pk_test",
                key_hash=f"hash-{key_id}", role="read_only",
            )
        )  # fmt: skip
    who = Principal(DEFAULT_TENANT_ID, "read_only", "api_key", api_key_id=key_id)
    context = ApiContext(
        db=database, events=database.events, tenant_id=DEFAULT_TENANT_ID,
        request_limits=RequestLimits(), principal=who,
    )  # fmt: skip
    result = await build_schema().execute(
        'mutation { createProject(name: "nope") { id } }', context_value=context
    )
    assert result.errors and result.errors[0].extensions["code"] == "FORBIDDEN"
    [event] = await events(gql, actor=f"api_key:{key_id}")
    assert event["action"] == "createProject" and event["success"] is False
    assert event["details"] == {"error": "FORBIDDEN"} and event["actorApiKeyId"] == str(key_id)
    assert event["actorKind"] == "api_key" and event["objectId"] == "nope"
    assert await events(gql, actor=str(key_id)) == [event]
    assert await events(gql, actor="local") == []


async def test_filters_and_pages(gql, api: AsyncClient):
    for index in range(5):
        await api.create_project(f"p{index}")
    before = datetime.now(UTC)
    project = await api.create_project("later")
    await api.delete_project(project.id)
    assert len(await events(gql, action="createProject")) == 6
    assert [
        e["action"] for e in await events(gql, object_type="project", object_id=project.id)
    ] == [
        "deleteProject",
        "createProject",
    ]
    assert {e["objectId"] for e in await events(gql, since=before.isoformat())} == {project.id}
    assert len(await events(gql, until=before.isoformat())) == 5
    first = data_of(await gql(EVENTS, {"first": 4}))["auditEvents"]
    assert first["totalCount"] == 7 and first["pageInfo"]["hasNextPage"]
    rest = data_of(await gql(EVENTS, {"first": 4, "after": first["pageInfo"]["endCursor"]}))
    seen = [e["occurred"] for e in first["nodes"] + rest["auditEvents"]["nodes"]]
    assert len(seen) == 7 and seen == sorted(seen, reverse=True)
    assert error_codes(await gql(EVENTS, {"actor": "user:not-a-uuid"})) == ["INVALID_INPUT"]


async def test_hot_reports_are_coalesced_and_flushed_before_a_read(
    gql, api: AsyncClient, database: Database
):
    agent = await api.register_agent("busy", [])
    writer = writer_for(database)
    await writer.flush()
    # No timed flush between the beats, however slow the machine: only the read flushes.
    writer.interval, usual = 3600.0, writer.interval
    if writer._wake is not None:  # a loop already waiting restarts its wait with the hour
        writer._wake.set()
        await asyncio.sleep(0.05)
    try:
        for _ in range(5):
            await api.agent_heartbeat(agent.id)
        assert writer.pending == 1  # buffered, not yet written
        [beat] = await events(gql, action="agentHeartbeat")
        assert (beat["objectType"], beat["objectId"]) == ("agent", agent.id)
        assert beat["details"]["count"] == 5 and "last" in beat["details"]
        assert writer.pending == 0
    finally:
        writer.interval = usual


async def test_buffered_events_are_written_at_shutdown(database_url: str):
    db = Database(database_url)
    await db.connect()
    try:
        writer = writer_for(db)
        now = datetime.now(UTC)
        for _ in range(3):
            writer.buffer(AuditRecord(DEFAULT_TENANT_ID, "writeLogs", now, actor_kind="local"))
        assert writer.pending == 1
        await close_writer(db)
        page = await list_audit_events(db, DEFAULT_TENANT_ID, action="writeLogs")
        assert [e.details["count"] for e in page.items] == [3]
    finally:
        await db.dispose()


async def test_retention_prunes_old_events_only(database: Database):
    now = datetime.now(UTC)
    await write_audit_events(
        database,
        [
            AuditRecord(
                DEFAULT_TENANT_ID, f"old{i}", now - timedelta(days=91 + i), actor_kind="local"
            )
            for i in range(3)
        ]
        + [AuditRecord(DEFAULT_TENANT_ID, "recent", now - timedelta(days=89), actor_kind="local")],
    )
    retention = AuditRetention(database, loop_seconds=3600, days=90)
    assert await retention.run_once() == 3
    assert await retention.run_once() == 0
    page = await list_audit_events(database, DEFAULT_TENANT_ID)
    assert [event.action for event in page.items] == ["recent"]
    shorter = AuditRetention(database, loop_seconds=3600, days=10)
    assert await shorter.run_once(now=now + timedelta(days=100)) == 1
