"""The write hot path's machinery: bulk writes (constant columns sent once, upserts),
task runs written once in their final state, and the pool replacing connections the
server ended (instead of a pre-ping round trip per transaction)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import cast

import asyncpg
import pytest
import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.bulk import BulkWrite, scalar_positions
from proctor.server.database.models import FlowGroup, Project, TaskRun, TaskRunState
from proctor.server.services.plumbing.inputs import TaskRunStateChange
from proctor.server.services.projects import create_project
from proctor.server.services.task_runs import set_task_run_states

_PROJECT = cast(sa.Table, Project.__table__)
_GROUP = cast(sa.Table, FlowGroup.__table__)


def test_constant_columns_but_the_first_are_sent_as_scalars():
    assert scalar_positions([True, True, False, True]) == {1, 3}
    assert scalar_positions([True, True]) == {1}  # one row: unnest() still needs an array
    assert scalar_positions([False, False]) == set()


async def test_bulk_writes_with_constant_and_varying_columns(database: Database, tenant_id):
    now = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    ids = [uuid.uuid4() for _ in range(4)]
    columns = ("id", "tenant_id", "name", "description", "created", "updated")
    insert = BulkWrite(_PROJECT, columns=columns)
    upsert = BulkWrite(
        _PROJECT,
        columns=columns,
        conflict=("id",),
        update=("name", "description"),
    )
    update = BulkWrite(_PROJECT, key="id", columns=("description", "updated"))
    async with database.transaction() as session:
        # tenant, description (None) and created are the same in every row
        await insert(
            session,
            database.config,
            [(i, tenant_id, f"p{n}", None, now, now) for n, i in enumerate(ids[:3])],
        )
        # one row: every column is constant
        await insert(session, database.config, [(ids[3], tenant_id, "p3", "solo", now, now)])
    async with database.transaction() as session:
        # two existing rows change, one new row arrives
        extra = uuid.uuid4()
        later = now + timedelta(seconds=1)
        rows = [
            (ids[0], tenant_id, "renamed", "d", now, now),
            (ids[1], tenant_id, "p1", "d", now, now),
            (extra, tenant_id, "new", "d", later, later),
        ]
        await upsert(session, database.config, rows)
        await update(session, database.config, [(ids[2], "same", now), (ids[3], "same", now)])
    async with database.session() as session:
        rows = (
            await session.execute(
                sa.select(
                    _PROJECT.c.id, _PROJECT.c.name, _PROJECT.c.description, _PROJECT.c.created
                )
            )
        ).all()
    found = {row.id: (row.name, row.description, row.created) for row in rows}
    assert found == {
        ids[0]: ("renamed", "d", now),
        ids[1]: ("p1", "d", now),
        ids[2]: ("p2", "same", now),
        ids[3]: ("p3", "same", now),
        extra: ("new", "d", now + timedelta(seconds=1)),
    }


async def test_constant_json_columns_are_stored_in_every_row(database: Database, tenant_id):
    project = await create_project(database, tenant_id, "json")
    now = datetime.now(UTC)
    write = BulkWrite(
        _GROUP,
        columns=(
            "id",
            "tenant_id",
            "project_id",
            "name",
            "schedule_active",
            "labels",
            "settings",
            "created",
            "updated",
        ),
    )
    rows = [
        (uuid.uuid4(), tenant_id, project.id, f"g{n}", False, ["a", str(n)], {"k": [1]}, now, now)
        for n in range(3)
    ]
    async with database.transaction() as session:
        await write(session, database.config, rows)
    async with database.session() as session:
        stored = (
            await session.execute(
                sa.select(_GROUP.c.name, _GROUP.c.labels, _GROUP.c.settings).order_by(_GROUP.c.name)
            )
        ).all()
    assert [tuple(row) for row in stored] == [
        ("g0", ["a", "0"], {"k": [1]}),
        ("g1", ["a", "1"], {"k": [1]}),
        ("g2", ["a", "2"], {"k": [1]}),
    ]


async def test_a_batch_writes_new_and_existing_task_runs_as_it_leaves_them(
    database: Database, tenant_id, flow_run
):
    """New task runs are inserted in their final state (never Pending first), existing
    ones are updated, refused ones are still created (Pending), history follows."""
    at = datetime(2030, 1, 1, tzinfo=UTC)

    def change(
        slug: str, state: str, seconds: int, version: int | None = None, **extra: object
    ) -> TaskRunStateChange:
        timestamp = (at + timedelta(seconds=seconds)).isoformat()
        return TaskRunStateChange(
            flow_run.id, slug, {"type": state, "timestamp": timestamp, **extra}, version=version
        )

    await set_task_run_states(database, tenant_id, [change("a", "Running", 0)])
    results = await set_task_run_states(
        database,
        tenant_id,
        [
            change("a", "Success", 5, result_location="r/a"),  # existing
            change("b", "Running", 6, message="go"),  # new
            change("b", "Failed", 7, message="boom"),  # new, twice in the batch
            change("c", "Running", 8, version=4),  # new, refused (stale version)
        ],
    )
    assert [(r.accepted, r.state, r.version) for r in results] == [
        (True, "Success", 2),
        (True, "Running", 1),
        (True, "Failed", 2),
        (False, "Pending", 0),
    ]
    async with database.session() as session:
        rows = {
            row.task_slug: row
            for row in (await session.execute(sa.select(TaskRun.__table__))).all()
        }
        history = (
            await session.execute(
                sa.select(TaskRunState.state, TaskRunState.message).order_by(TaskRunState.timestamp)
            )
        ).all()
    a, b, c = rows["a"], rows["b"], rows["c"]
    assert (a.state, a.state_type, a.version, a.run_count) == ("Success", "Success", 2, 1)
    assert (a.start_time, a.end_time, a.result_location) == (at, at + timedelta(seconds=5), "r/a")
    assert (b.state, b.state_type, b.state_message, b.version, b.run_count) == (
        "Failed",
        "Failed",
        "boom",
        2,
        1,
    )
    assert (b.start_time, b.end_time) == (at + timedelta(seconds=6), at + timedelta(seconds=7))
    assert (c.state, c.version, c.run_count, c.start_time, c.end_time) == (
        "Pending",
        0,
        0,
        None,
        None,
    )
    assert [tuple(row) for row in history] == [
        ("Running", None),
        ("Success", None),
        ("Running", "go"),
        ("Failed", "boom"),
    ]


async def test_a_batch_bigger_than_a_pipeline_chunk_is_written_as_one(
    database: Database, tenant_id, flow_run
):
    """A batch is evaluated and written in chunks that overlap (plumbing.write_pipeline):
    a task run first reported in one chunk and changed again chunks later, new and
    existing ones, and refused ones, all end as one in-order evaluation leaves them."""
    chunk = database.config.pipeline_chunk or 250
    size = chunk * 3 + 7
    at = datetime(2030, 1, 1, tzinfo=UTC)

    def change(index: int, state: str, seconds: int, **extra: object) -> dict[str, object]:
        stamp = (at + timedelta(seconds=seconds)).isoformat()
        return {
            "flow_run_id": flow_run.id,
            "task_slug": "many",
            "map_index": index,
            "state": {"type": state, "timestamp": stamp},
            **extra,
        }

    existing = [change(i, "Running", 0) for i in range(0, size, 2)]  # even indexes exist
    await set_task_run_states(database, tenant_id, existing)
    batch = [change(i, "Running", 1) for i in range(1, size, 2)]  # odd ones are new
    batch += [change(i, "Success", 2) for i in range(size)]  # every one, chunks later
    batch += [change(size, "Running", 3, version=9)]  # new and refused: stored Pending
    results = await set_task_run_states(database, tenant_id, batch)
    assert len(batch) > 2 * chunk
    assert sum(result.accepted for result in results) == len(batch) - 1
    assert (results[-1].accepted, results[-1].state) == (False, "Pending")

    async with database.session() as session:
        rows = (
            await session.execute(
                sa.select(TaskRun.map_index, TaskRun.state, TaskRun.version, TaskRun.end_time)
                .where(TaskRun.flow_run_id == uuid.UUID(str(flow_run.id)))
                .order_by(TaskRun.map_index)
            )
        ).all()
        history = (
            await session.execute(
                sa.select(TaskRun.map_index, sa.func.count(TaskRunState.id))
                .join(TaskRunState, TaskRunState.task_run_id == TaskRun.id)
                .group_by(TaskRun.map_index)
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        (i, "Success", 2, at + timedelta(seconds=2)) for i in range(size)
    ] + [(size, "Pending", 0, None)]
    assert dict(history) == dict.fromkeys(range(size), 2)  # Running and Success, once each


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_chunk_the_database_refuses_fails_the_whole_batch(
    database: Database, tenant_id, flow_run
):
    """A write that fails while the next chunk is evaluated (PostgreSQL refuses U+0000,
    which the API replaces but a direct caller might not) fails the whole batch: the
    chunks written before it roll back, and the connection works afterwards."""
    chunk = database.config.pipeline_chunk or 250
    batch = [
        {
            "flow_run_id": flow_run.id,
            "task_slug": "many",
            "map_index": index,
            "state": {"type": "Running", "message": "bad\x00" if index == chunk + 1 else "ok"},
        }
        for index in range(chunk * 3)
    ]
    with pytest.raises(sa.exc.DBAPIError):
        await set_task_run_states(database, tenant_id, batch)
    async with database.session() as session:
        assert await session.scalar(sa.select(sa.func.count(TaskRun.id))) == 0
        assert await session.scalar(sa.select(sa.func.count(TaskRunState.id))) == 0
    batch[chunk + 1]["state"] = {"type": "Running", "message": "fine"}
    results = await set_task_run_states(database, tenant_id, batch)
    assert all(result.accepted for result in results)


async def test_a_connection_the_server_ended_is_replaced_before_use(
    postgres_database: Database, postgres_url: str, tenant_id
):
    """PostgreSQL restarted or ended a pooled connection: the next request gets a fresh
    one (no pre-ping round trip, and no error for the request)."""
    async with postgres_database.session() as session:
        connection = await session.connection()
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        pid = (await session.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one()
    admin = await asyncpg.connect(postgres_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()
    for _ in range(1000):  # the event loop reads the server's goodbye
        if driver.is_closed():
            break
        await asyncio.sleep(0.01)
    assert driver.is_closed()

    async with postgres_database.session() as session:
        other = (await session.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one()
    assert other != pid
    project = await create_project(postgres_database, tenant_id, "after-restart")
    assert project.name == "after-restart"
