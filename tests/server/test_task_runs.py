"""Batched task-run state changes: lazy creation (mapped children too), ordering inside a
batch, history, rejections, idempotent retries, reading them back."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.models import TaskRun, TaskRunState
from proctor.server.errors import InvalidInput, LimitExceeded, NotFound
from proctor.server.services.flow_run_states import set_flow_run_states
from proctor.server.services.flow_runs import list_task_run_states
from proctor.server.services.plumbing.inputs import FlowRunStateChange, TaskRunStateChange
from proctor.server.services.task_runs import (
    create_task_runs,
    get_task_run,
    list_task_runs,
    set_task_run_states,
)
from proctor.settings import temporary_settings


def change(run, slug="inc", state="Running", index=None, **extra) -> TaskRunStateChange:
    return TaskRunStateChange(run.id, slug, {"type": state, **extra}, map_index=index)


async def count(database: Database, model) -> int:
    async with database.session() as session:
        return await session.scalar(sa.select(sa.func.count()).select_from(model))


async def test_ten_thousand_changes_in_one_call(database: Database, tenant_id, flow_run):
    """4,999 mapped children Running then Success, and their parent Running then Mapped:
    10,000 changes, 5,000 task runs created on the fly, one transaction."""
    children = range(4999)
    changes = [change(flow_run, index=i) for i in children]
    changes.append(change(flow_run))
    changes += [
        change(flow_run, state="Success", index=i, result_location=f"r/{i}") for i in children
    ]
    changes.append(change(flow_run, state="Mapped", map_count=4999))
    assert len(changes) == 10_000

    results = await set_task_run_states(database, tenant_id, changes)

    assert len(results) == 10_000 and all(r.accepted for r in results)
    assert results[0].id == results[5000].id and results[0].state == "Running"
    assert (results[5000].state, results[5000].version) == ("Success", 2)
    assert await count(database, TaskRun) == 5000
    assert await count(database, TaskRunState) == 10_000
    page = await list_task_runs(database, tenant_id, flow_run.id, first=3)
    assert [(t.map_index, t.state, t.version, t.run_count) for t in page.items] == [
        (-1, "Mapped", 2, 1),
        (0, "Success", 2, 1),
        (1, "Success", 2, 1),
    ]
    assert page.items[1].result_location == "r/0"
    assert page.items[1].start_time <= page.items[1].end_time
    assert page.total_count == 5000
    history = await list_task_run_states(database, tenant_id, page.items[0].id)
    assert [(h.state, h.version, h.data) for h in history] == [
        ("Running", 1, {}),
        ("Mapped", 2, {"map_count": 4999}),
    ]


async def test_each_change_gets_its_own_result_in_order(database: Database, tenant_id, flow_run):
    ghost = uuid.uuid4()
    results = await set_task_run_states(
        database,
        tenant_id,
        [
            change(flow_run, "a", "Running"),
            change(flow_run, "a", "Success"),
            change(flow_run, "a", "Running"),  # finished is final
            TaskRunStateChange(ghost, "a", {"type": "Running"}),
            {
                "flow_run_id": str(flow_run.id),
                "task_slug": "b",
                "state": {"type": "Running"},
                "version": 3,
            },
        ],
    )
    assert [(r.accepted, r.state, r.version, r.code) for r in results] == [
        (True, "Running", 1, None),
        (True, "Success", 2, None),
        (False, "Success", 2, "TRANSITION_REJECTED"),
        (False, None, 0, "NOT_FOUND"),
        (False, "Pending", 0, "STALE_VERSION"),
    ]
    assert results[2].rule == "finished_is_final"


async def test_a_retried_batch_changes_nothing(database: Database, tenant_id, flow_run):
    """A client that lost the response re-sends the same batch: exact repeats are
    accepted as no-ops (no new versions, no new history)."""
    batch = [change(flow_run, index=i, timestamp=f"2030-01-01T00:00:0{i}+00:00") for i in range(3)]
    first = await set_task_run_states(database, tenant_id, batch)
    again = await set_task_run_states(database, tenant_id, batch)
    assert [r.version for r in first] == [r.version for r in again] == [1, 1, 1]
    assert all(r.accepted for r in again)
    assert await count(database, TaskRunState) == 3


async def test_task_runs_of_a_finished_flow_run_are_frozen(database: Database, tenant_id, flow_run):
    await set_flow_run_states(
        database,
        tenant_id,
        [
            FlowRunStateChange(flow_run.id, {"type": "Running"}),
            FlowRunStateChange(flow_run.id, {"type": "Failed"}),
        ],
    )
    [late] = await set_task_run_states(database, tenant_id, [change(flow_run)])
    assert (late.accepted, late.rule) == (False, "task_run_needs_active_flow_run")
    [forced] = await set_task_run_states(
        database,
        tenant_id,
        [TaskRunStateChange(flow_run.id, "inc", {"type": "Pending"}, force=True)],
    )
    assert forced.accepted


async def test_run_count_and_retries(database: Database, tenant_id, flow_run):
    results = await set_task_run_states(
        database,
        tenant_id,
        [
            change(flow_run, state="Running"),
            change(flow_run, state="Retrying", run_count=1, start_time="2030-01-01T00:00:00Z"),
            change(flow_run, state="Running"),
            TaskRunStateChange(flow_run.id, "inc", {"type": "Failed"}, run_count=2),
        ],
    )
    assert all(r.accepted for r in results)
    [task_run] = (await list_task_runs(database, tenant_id, flow_run.id)).items
    assert (task_run.state, task_run.run_count, task_run.version) == ("Failed", 2, 4)
    assert await get_task_run(database, tenant_id, task_run.id) == task_run


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"task_slug": ""}, "task_slug"),
        ({"map_index": -2}, "map_index must be >= -1"),
        ({"state": {"type": "Nope"}}, "state.type"),
        ({"flow_run_id": "not-a-uuid"}, "flow_run_id must be a UUID"),
        ({"version": "1"}, "version must be an integer"),
        ({"colour": "red"}, "unknown field"),
    ],
)
async def test_a_malformed_change_fails_the_batch_and_writes_nothing(
    database: Database, tenant_id, flow_run, bad, message
):
    good = {"flow_run_id": flow_run.id, "task_slug": "x", "state": {"type": "Running"}}
    with pytest.raises(InvalidInput, match=message):
        await set_task_run_states(database, tenant_id, [good, {**good, **bad}])
    assert await count(database, TaskRun) == 0
    # Nothing is left locked (on PostgreSQL the batch was read while it was checked).
    [result] = await set_task_run_states(database, tenant_id, [good])
    assert result.accepted and result.state == "Running"


async def test_batch_size_is_limited(database: Database, tenant_id, flow_run):
    with (
        temporary_settings(server_limits_max_batch_size=2),
        pytest.raises(LimitExceeded, match="split the batch"),
    ):
        await set_task_run_states(database, tenant_id, [change(flow_run)] * 3)


async def test_create_task_runs_is_idempotent(database: Database, tenant_id, flow_run):
    items = [("inc", 0), ("inc", 1), ("total", None)]
    first = await create_task_runs(database, tenant_id, flow_run.id, items)
    second = await create_task_runs(database, tenant_id, flow_run.id, [*items, ("inc", 2)])
    assert [t.id for t in second[:3]] == [t.id for t in first]
    assert [(t.task_slug, t.map_index, t.state) for t in second] == [
        ("inc", 0, "Pending"),
        ("inc", 1, "Pending"),
        ("total", -1, "Pending"),
        ("inc", 2, "Pending"),
    ]
    with pytest.raises(NotFound):
        await create_task_runs(database, tenant_id, uuid.uuid4(), items)


async def test_list_task_runs_filters_and_pages(database: Database, tenant_id, flow_run):
    await set_task_run_states(
        database,
        tenant_id,
        [change(flow_run, index=i, state="Success" if i % 2 else "Failed") for i in range(10)]
        + [change(flow_run, "total", "TriggerFailed")],
    )

    async def listed(**options) -> list[tuple[str, int]]:
        page = await list_task_runs(database, tenant_id, flow_run.id, **options)
        return [(t.task_slug, t.map_index) for t in page.items]

    assert await listed(task_slug="total") == [("total", -1)]
    assert await listed(states=["Failed"]) == [("inc", i) for i in (0, 2, 4, 6, 8)] + [
        ("total", -1)
    ]
    assert await listed(states=["TriggerFailed"]) == [("total", -1)]
    assert await listed(map_index=3) == [("inc", 3)]
    pages, after = [], None
    while True:
        page = await list_task_runs(
            database, tenant_id, flow_run.id, first=4, after=after, order_by="-state_timestamp"
        )
        pages.append(page)
        if not page.has_next_page:
            break
        after = page.end_cursor
    assert [len(p.items) for p in pages] == [4, 4, 3]
    assert len({t.id for p in pages for t in p.items}) == 11
