"""Task-run concurrency slots taken by the transition engine, on SQLite and PostgreSQL:
a Submitted or Running report carrying the task's tags takes a slot of each limited tag
in the transaction that writes it, or is written Queued with the reason; run processes of
the previous version (`acquireTaskRunSlots`) share the same limits."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa
from tests.server.conftest import replicas
from tests.server.scenarios import running_run, running_runs

from proctor.server.database import Database
from proctor.server.database.models import ConcurrencySlot, TaskRunState
from proctor.server.services import concurrency_limits as limits
from proctor.server.services.plumbing.inputs import TaskRunStateChange
from proctor.server.services.task_runs import set_task_run_states

WHO = {"who": "x"}
FULL = "Waiting for a concurrency slot: db (2 of 2 in use)"


def _state(run_id, index: int, state: str, tags=("db",)) -> TaskRunStateChange:
    return TaskRunStateChange(run_id, "inc", {"type": state}, map_index=index, tags=list(tags))


async def _in_use(db: Database, tenant_id) -> int:
    [usage] = await limits.list_concurrency_limits(db, tenant_id, kind="task_tag")
    return usage.in_use


async def _history(db: Database, task_run_id) -> list[str]:
    async with db.session() as session:
        rows = await session.scalars(
            sa.select(TaskRunState.state)
            .where(TaskRunState.task_run_id == task_run_id)
            .order_by(TaskRunState.version)
        )
        return list(rows)


async def test_submitted_with_tags_takes_a_slot_or_is_written_queued(
    database: Database, tenant_id, registered_flow
):
    await limits.set_concurrency_limit(database, tenant_id, "task_tag", "db", 2)
    run, _ = await running_run(database, registered_flow.id, parameters=WHO)
    results = await set_task_run_states(
        database, tenant_id, [_state(run.id, i, "Submitted") for i in range(3)]
    )
    assert [(r.accepted, r.state) for r in results] == [
        (True, "Submitted"),
        (True, "Submitted"),
        (True, "Queued"),
    ]
    queued = results[2]
    assert queued.reason == FULL and queued.rule == "take_concurrency_slots"
    assert await _in_use(database, tenant_id) == 2
    # Asked again while full: still Queued, and nothing written (no new version or row).
    [again] = await set_task_run_states(database, tenant_id, [_state(run.id, 2, "Submitted")])
    assert (again.accepted, again.state, again.version) == (True, "Queued", queued.version)
    assert again.reason == FULL
    assert await _history(database, queued.id) == ["Queued"]
    # Running with its tags keeps the slot it holds (no second one).
    await set_task_run_states(database, tenant_id, [_state(run.id, 0, "Running")])
    assert await _in_use(database, tenant_id) == 2
    # One finishes and the waiting one asks in the same batch: the slot goes to it.
    done, granted = await set_task_run_states(
        database,
        tenant_id,
        [_state(run.id, 0, "Success", tags=()), _state(run.id, 2, "Submitted")],
    )
    assert (done.state, granted.state, granted.reason) == ("Success", "Submitted", None)
    assert await _in_use(database, tenant_id) == 2
    assert await _history(database, queued.id) == ["Queued", "Submitted"]
    [usage] = await limits.list_concurrency_limits(database, tenant_id)
    assert sorted(h.map_index for h in usage.holders) == [1, 2]


async def test_changes_without_tags_or_tags_without_limits_take_nothing(
    database: Database, tenant_id, registered_flow
):
    await limits.set_concurrency_limit(database, tenant_id, "task_tag", "db", 0)
    run, _ = await running_run(database, registered_flow.id, parameters=WHO)
    results = await set_task_run_states(
        database,
        tenant_id,
        [
            TaskRunStateChange(run.id, "inc", {"type": "Running"}, map_index=0),
            _state(run.id, 1, "Running", tags=("cpu",)),
        ],
    )
    assert [r.state for r in results] == ["Running", "Running"]
    async with database.session() as session:
        assert await session.scalar(sa.select(sa.func.count(ConcurrencySlot.id))) == 0


async def test_both_protocols_share_the_limits(database: Database, tenant_id, registered_flow):
    await limits.set_concurrency_limit(database, tenant_id, "task_tag", "db", 2)
    run, _ = await running_run(database, registered_flow.id, parameters=WHO)
    asked = {"flow_run_id": run.id, "task_slug": "inc", "map_index": 0, "tags": ["db"]}
    [old] = (await limits.acquire_task_run_slots(database, tenant_id, [asked])).results
    assert old.granted
    # The old process then reports Submitted without tags: it already holds its slot.
    plain = TaskRunStateChange(run.id, "inc", {"type": "Submitted"}, map_index=0)
    await set_task_run_states(database, tenant_id, [plain])
    new, refused = await set_task_run_states(
        database, tenant_id, [_state(run.id, 1, "Submitted"), _state(run.id, 2, "Submitted")]
    )
    assert (new.state, refused.state, refused.reason) == ("Submitted", "Queued", FULL)
    again = {**asked, "map_index": 3}
    [late] = (await limits.acquire_task_run_slots(database, tenant_id, [again])).results
    assert (late.granted, late.code, late.reason) == (False, "QUEUED", FULL)
    assert await _in_use(database, tenant_id) == 2


async def test_concurrent_reports_never_exceed_the_tag_limit(
    database_url: str, database: Database, tenant_id, registered_flow
):
    await limits.set_concurrency_limit(database, tenant_id, "task_tag", "db", 3)
    runs = await running_runs(database, registered_flow.id, 4, parameters=WHO)
    async with replicas(database_url, len(runs)) as dbs:
        answers = await asyncio.gather(
            *(
                set_task_run_states(
                    db, tenant_id, [_state(run.id, i, "Submitted") for i in range(2)]
                )
                for db, run in zip(dbs, runs, strict=True)
            )
        )
    states = [result.state for answer in answers for result in answer]
    assert sorted(states) == ["Queued"] * 5 + ["Submitted"] * 3
    assert await _in_use(database, tenant_id) == 3


async def test_tags_over_graphql(gql, database: Database, tenant_id, registered_flow):
    await limits.set_concurrency_limit(database, tenant_id, "task_tag", "db", 1)
    run, _ = await running_run(database, registered_flow.id, parameters=WHO)
    changes = [
        {
            "flowRunId": str(run.id),
            "taskSlug": "inc",
            "mapIndex": i,
            "state": {"type": "Submitted"},
            "tags": ["db"],
        }
        for i in range(2)
    ]
    body = await gql(
        "mutation ($c: [JSON!]!) { setTaskRunStates(changes: $c) { accepted state reason } }",
        {"c": changes},
    )
    assert body["data"]["setTaskRunStates"] == [
        {"accepted": True, "state": "Submitted", "reason": None},
        {
            "accepted": True,
            "state": "Queued",
            "reason": "Waiting for a concurrency slot: db (1 of 1 in use)",
        },
    ]
    bad = dict(changes[0], tags="db")
    refused = await gql(
        "mutation ($c: [JSON!]!) { setTaskRunStates(changes: $c) { accepted } }", {"c": [bad]}
    )
    assert refused["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
