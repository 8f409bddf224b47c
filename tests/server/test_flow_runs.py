"""Flow runs: creation (parameters, idempotency), reading and listing (stable cursors),
state changes through the rules, cancel, restart, delete."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from proctor.server.database import Database
from proctor.server.errors import InvalidInput, NotFound, TransitionRejected
from proctor.server.services.flow_run_states import set_flow_run_states
from proctor.server.services.flow_runs import (
    cancel_flow_run,
    create_flow_run,
    delete_flow_run,
    get_flow_run,
    heartbeat_flow_runs,
    list_flow_run_states,
    list_flow_runs,
)
from proctor.server.services.flows import register_flow
from proctor.server.services.logs import list_logs, write_logs
from proctor.server.services.plumbing.inputs import FlowRunStateChange, LogIn, TaskRunStateChange
from proctor.server.services.restarts import restart_flow_run
from proctor.server.services.task_runs import list_task_runs, set_task_run_states


async def test_create_run_validates_and_fills_parameters(
    database: Database, tenant_id: uuid.UUID, registered_flow
):
    run = await create_flow_run(
        database, tenant_id, flow_id=registered_flow.id, parameters={"who": "ann"}
    )
    assert run.parameters == {"who": "ann", "n": 3}
    assert (run.state, run.state_type, run.version) == ("Scheduled", "Scheduled", 1)
    assert run.flow_name == "etl" and "-" in run.name
    with pytest.raises(InvalidInput) as caught:
        await create_flow_run(
            database, tenant_id, flow_id=registered_flow.id, parameters={"n": "three", "x": 1}
        )
    message = caught.value.message
    assert "'n'" in message and "integer" in message
    assert "Missing required parameter 'who'" in message
    assert "Unknown parameter 'x'" in message
    assert {e["parameter"] for e in caught.value.details["errors"]} == {"n", "who", "x"}


async def test_create_run_by_project_and_name_uses_the_newest_version(
    database: Database, tenant_id: uuid.UUID, registered_flow, flow_spec
):
    newer = await register_flow(database, tenant_id, "proj", flow_spec(mapped=False))
    run = await create_flow_run(
        database,
        tenant_id,
        project="proj",
        flow_name="etl",
        parameters={"who": "x"},
        labels=["b", "a"],
        name="my-run",
    )
    assert run.flow_id == newer.flow.id and run.labels == ["a", "b"] and run.name == "my-run"
    with pytest.raises(NotFound, match="No active flow"):
        await create_flow_run(database, tenant_id, project="proj", flow_name="zzz")
    with pytest.raises(InvalidInput, match="flow_id, or both"):
        await create_flow_run(database, tenant_id, project="proj")


async def test_idempotency_key_returns_the_existing_run(
    database: Database, tenant_id: uuid.UUID, registered_flow
):
    when = datetime(2030, 1, 1, tzinfo=UTC)
    first = await create_flow_run(
        database,
        tenant_id,
        flow_id=registered_flow.id,
        parameters={"who": "a"},
        idempotency_key="2030-01-01",
        scheduled_start_time=when,
    )
    second = await create_flow_run(
        database,
        tenant_id,
        flow_id=registered_flow.id,
        parameters={"who": "a"},
        idempotency_key="2030-01-01",
    )
    assert second.id == first.id and second.scheduled_start_time == when
    assert (await list_flow_runs(database, tenant_id)).total_count == 1


async def test_state_changes_go_through_the_rules_and_keep_history(
    database: Database, tenant_id: uuid.UUID, flow_run
):
    results = await set_flow_run_states(
        database,
        tenant_id,
        [
            FlowRunStateChange(flow_run.id, {"type": "Running"}, version=1),
            FlowRunStateChange(flow_run.id, {"type": "Success"}, version=2),
            FlowRunStateChange(flow_run.id, {"type": "Running"}),
            {"flow_run_id": str(uuid.uuid4()), "state": {"type": "Running"}},
        ],
    )
    assert [(r.accepted, r.state, r.version, r.code) for r in results] == [
        (True, "Running", 2, None),
        (True, "Success", 3, None),
        (False, "Success", 3, "TRANSITION_REJECTED"),
        (False, None, 0, "NOT_FOUND"),
    ]
    run = await get_flow_run(database, tenant_id, flow_run.id)
    assert (run.state, run.version, run.run_count) == ("Success", 3, 1)
    assert run.start_time is not None and run.end_time >= run.start_time
    history = await list_flow_run_states(database, tenant_id, flow_run.id)
    assert [(h.state, h.version) for h in history] == [
        ("Scheduled", 1),
        ("Running", 2),
        ("Success", 3),
    ]


async def test_stale_version_is_rejected(database: Database, tenant_id: uuid.UUID, flow_run):
    [result] = await set_flow_run_states(
        database, tenant_id, [FlowRunStateChange(flow_run.id, {"type": "Running"}, version=7)]
    )
    assert (result.accepted, result.code, result.version) == (False, "STALE_VERSION", 1)


async def test_a_malformed_change_fails_the_whole_call(
    database: Database, tenant_id: uuid.UUID, flow_run
):
    with pytest.raises(InvalidInput, match=r"changes\[1\].state.type"):
        await set_flow_run_states(
            database,
            tenant_id,
            [
                FlowRunStateChange(flow_run.id, {"type": "Running"}),
                FlowRunStateChange(flow_run.id, {"type": "Bogus"}),
            ],
        )
    assert (await get_flow_run(database, tenant_id, flow_run.id)).state == "Scheduled"


async def test_cancel_before_start_is_immediate(database: Database, tenant_id, flow_run):
    run = await cancel_flow_run(database, tenant_id, flow_run.id)
    assert run.state == "Cancelled" and run.end_time is not None
    with pytest.raises(TransitionRejected, match="already finished"):
        await cancel_flow_run(database, tenant_id, flow_run.id)


async def test_cancel_a_running_run_asks_it_to_stop(database: Database, tenant_id, flow_run):
    await set_flow_run_states(
        database, tenant_id, [FlowRunStateChange(flow_run.id, {"type": "Running"})]
    )
    run = await cancel_flow_run(database, tenant_id, flow_run.id)
    assert run.state == "Cancelling"
    assert (await cancel_flow_run(database, tenant_id, flow_run.id)).version == run.version
    [back] = await set_flow_run_states(
        database, tenant_id, [FlowRunStateChange(flow_run.id, {"type": "Running"})]
    )
    assert back.accepted is False and back.rule == "cancelling_only_ends"
    [done] = await set_flow_run_states(
        database, tenant_id, [FlowRunStateChange(flow_run.id, {"type": "Cancelled"})]
    )
    assert done.accepted is True


async def test_restart_reopens_the_run_and_its_unsuccessful_task_runs(
    database: Database, tenant_id, flow_run
):
    await set_flow_run_states(
        database, tenant_id, [FlowRunStateChange(flow_run.id, {"type": "Running"})]
    )
    await set_task_run_states(
        database,
        tenant_id,
        [
            TaskRunStateChange(flow_run.id, "inc", {"type": "Success"}, map_index=0),
            TaskRunStateChange(flow_run.id, "inc", {"type": "Failed"}, map_index=1),
        ],
    )
    await set_flow_run_states(
        database, tenant_id, [FlowRunStateChange(flow_run.id, {"type": "Failed"})]
    )
    with pytest.raises(NotFound):
        await restart_flow_run(database, tenant_id, uuid.uuid4())
    run = await restart_flow_run(database, tenant_id, flow_run.id)
    assert (run.state, run.end_time) == ("Scheduled", None)
    tasks = await list_task_runs(database, tenant_id, flow_run.id)
    assert [(t.map_index, t.state) for t in tasks.items] == [(0, "Success"), (1, "Pending")]
    with pytest.raises(TransitionRejected, match="Only a finished run"):
        await restart_flow_run(database, tenant_id, flow_run.id)


async def test_delete_run_removes_its_children(database: Database, tenant_id, flow_run):
    await set_task_run_states(
        database, tenant_id, [TaskRunStateChange(flow_run.id, "inc", {"type": "Running"})]
    )
    await write_logs(database, tenant_id, [LogIn(flow_run.id, "bye")])
    assert await delete_flow_run(database, tenant_id, flow_run.id) is True
    assert await delete_flow_run(database, tenant_id, flow_run.id) is False
    with pytest.raises(NotFound):
        await get_flow_run(database, tenant_id, flow_run.id)
    with pytest.raises(NotFound):
        await list_flow_run_states(database, tenant_id, flow_run.id)
    assert (await list_logs(database, tenant_id, flow_run.id)).items == []


async def test_list_runs_filters(database: Database, tenant_id, registered_flow, flow_run):
    later = await create_flow_run(
        database,
        tenant_id,
        flow_id=registered_flow.id,
        parameters={"who": "x"},
        scheduled_start_time=datetime.now(UTC) + timedelta(days=1),
    )
    await set_flow_run_states(
        database,
        tenant_id,
        [
            FlowRunStateChange(flow_run.id, {"type": "Running"}),
            FlowRunStateChange(flow_run.id, {"type": "TimedOut"}),
        ],
    )

    async def ids(**filters) -> list[uuid.UUID]:
        page = await list_flow_runs(database, tenant_id, **filters)
        return [run.id for run in page.items]

    assert await ids() == [later.id, flow_run.id]  # newest scheduled first
    assert await ids(states=["Failed"]) == [flow_run.id]  # a family
    assert await ids(states=["TimedOut", "Scheduled"]) == [later.id, flow_run.id]
    assert await ids(scheduled_after=datetime.now(UTC) + timedelta(hours=1)) == [later.id]
    assert await ids(scheduled_before=datetime.now(UTC)) == [flow_run.id]
    assert await ids(project="proj", flow_id=registered_flow.id) == [later.id, flow_run.id]
    assert await ids(flow_group_id=registered_flow.flow_group_id, project="zzz") == []
    with pytest.raises(InvalidInput, match="Unknown state"):
        await ids(states=["Exploded"])


async def test_cursor_pagination_is_stable_under_inserts_and_ties(
    database: Database, tenant_id, registered_flow
):
    same_time = datetime(2030, 5, 5, tzinfo=UTC)
    created = set()
    for _ in range(7):
        run = await create_flow_run(
            database,
            tenant_id,
            flow_id=registered_flow.id,
            parameters={"who": "x"},
            scheduled_start_time=same_time,
        )
        created.add(run.id)
    seen: list[uuid.UUID] = []
    after = None
    while True:
        page = await list_flow_runs(database, tenant_id, first=3, after=after)
        seen.extend(run.id for run in page.items)
        # Runs inserted while paging sort before the cursor here: never seen twice.
        await create_flow_run(
            database,
            tenant_id,
            flow_id=registered_flow.id,
            parameters={"who": "x"},
            scheduled_start_time=same_time + timedelta(days=1),
        )
        if not page.has_next_page:
            break
        after = page.end_cursor
    assert len(seen) == len(set(seen)) == 7 and set(seen) == created
    with pytest.raises(InvalidInput, match="Malformed cursor"):
        await list_flow_runs(database, tenant_id, after="not-a-cursor")


async def test_heartbeats_return_the_current_state(database: Database, tenant_id, flow_run):
    [beat] = await heartbeat_flow_runs(database, tenant_id, [flow_run.id, uuid.uuid4()])
    assert beat.id == flow_run.id and beat.state == "Scheduled" and beat.heartbeat is not None
    assert (await get_flow_run(database, tenant_id, flow_run.id)).heartbeat is not None
    await cancel_flow_run(database, tenant_id, flow_run.id)
    [beat] = await heartbeat_flow_runs(database, tenant_id, [flow_run.id])
    assert beat.state == "Cancelled"
    assert await heartbeat_flow_runs(database, uuid.uuid4(), [flow_run.id]) == []


async def test_hostile_json_is_refused_before_any_write(
    database: Database, tenant_id: uuid.UUID, registered_flow
):
    nested: dict = {}
    deep = nested
    for _ in range(10_000):
        deep["x"] = {}
        deep = deep["x"]
    for parameters, message in [
        ({"who": "x", "n": 1, "deep": nested}, "nested deeper"),
        ({"who": float("nan")}, "not a valid JSON number"),
        ({"who": object()}, "must be JSON"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            await create_flow_run(
                database, tenant_id, flow_id=registered_flow.id, parameters=parameters
            )
    with pytest.raises(InvalidInput, match="nested deeper"):
        await set_task_run_states(
            database,
            tenant_id,
            [TaskRunStateChange(uuid.uuid4(), "t", {"type": "Running", "blob": nested})],
        )
    assert (await list_flow_runs(database, tenant_id)).total_count == 0
