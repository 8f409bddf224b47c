"""The activity table on SQLite and PostgreSQL: rows are written in the transaction that
made the change (never for one that rolled back), only for the feed's kinds, with the
flow's name; the audit retention pass prunes old rows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from proctor.server.background import AuditRetention
from proctor.server.database import DEFAULT_TENANT_ID, Database, record_event
from proctor.server.database.models import Activity
from proctor.server.events import Event
from proctor.server.services.activity import list_activity
from proctor.server.services.flow_runs import create_flow_run


async def kinds_of(db: Database, flow: str | None = None) -> list[str]:
    page = await list_activity(db, DEFAULT_TENANT_ID, flow=flow, first=100)
    return [item.kind for item in page.items]


async def test_rows_commit_with_their_change_and_only_then(database: Database, registered_flow):
    run = await create_flow_run(
        database, DEFAULT_TENANT_ID, flow_id=registered_flow.id, parameters={"who": "me"}
    )
    assert await kinds_of(database, registered_flow.name) == ["flow_run.created", "flow.registered"]

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with database.transaction() as session:
            record_event(
                session,
                Event("flow_run.state", str(DEFAULT_TENANT_ID), flow_run_id=str(run.id),
                      data={"state": "Running"}),
            )  # fmt: skip
            raise Boom
    # Rolled back: no row.
    assert await kinds_of(database, registered_flow.name) == ["flow_run.created", "flow.registered"]

    async with database.transaction() as session:
        for kind in ("task_runs.state", "logs.written", "flow_run.state"):
            record_event(
                session,
                Event(kind, str(DEFAULT_TENANT_ID), flow_run_id=str(run.id),
                      data={"state": "Running"}),
            )  # fmt: skip
    # Only the feed's kind became a row, named after the run's flow.
    page = await list_activity(database, DEFAULT_TENANT_ID, flow=registered_flow.name)
    assert [(i.kind, i.flow_run_id, i.flow_name) for i in page.items][0] == (
        "flow_run.state", run.id, registered_flow.name,
    )  # fmt: skip
    assert len(page.items) == 3


async def test_retention_prunes_old_rows_and_keeps_new_ones(database: Database, registered_flow):
    old = datetime.now(UTC) - timedelta(days=100)
    async with database.transaction() as session:
        await session.execute(
            sa.insert(Activity),
            [
                {"id": uuid.uuid4(), "tenant_id": DEFAULT_TENANT_ID, "kind": "agent.healthy",
                 "family": "agent",
                 "occurred": old + timedelta(minutes=i), "data": {"name": f"a{i}"}}
                for i in range(7)
            ],
        )  # fmt: skip
    assert (await kinds_of(database)).count("agent.healthy") == 7
    service = AuditRetention(database, loop_seconds=3600, days=90)
    await service.run_once()
    kinds = await kinds_of(database)
    assert "agent.healthy" not in kinds
    assert "flow.registered" in kinds  # today's row stays
