"""Logs (batched writes, filtered reads), agents (registration, claims, the claim rule
end to end) and the dashboard's run counts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from proctor.server.database import Database
from proctor.server.errors import InvalidInput, NotFound
from proctor.server.services.agents import (
    claim_due_runs,
    heartbeat_agent,
    list_agents,
    register_agent,
)
from proctor.server.services.dashboard import run_counts
from proctor.server.services.flow_run_states import set_flow_run_states
from proctor.server.services.flow_runs import create_flow_run
from proctor.server.services.logs import list_logs, write_logs
from proctor.server.services.plumbing import records
from proctor.server.services.plumbing.inputs import FlowRunStateChange, LogIn

T0 = datetime(2020, 1, 1, tzinfo=UTC)


async def test_logs_batched_and_filtered(database: Database, tenant_id, flow_run):
    lines = [
        LogIn(flow_run.id, f"line {i}", timestamp=T0 + timedelta(seconds=i), level="info")
        for i in range(5)
    ]
    lines += [
        LogIn(flow_run.id, "Disk 100% FULL_NOW", T0 + timedelta(seconds=9), "ERROR", "inc", 2),
        {"flow_run_id": str(flow_run.id), "message": "debugging", "level": 10, "extra": {"k": 1}},
    ]
    assert await write_logs(database, tenant_id, lines) == 7

    async def messages(**filters) -> list[str]:
        page = await list_logs(database, tenant_id, flow_run.id, **filters)
        return [line.message for line in page.items]

    assert (await messages())[:5] == [f"line {i}" for i in range(5)]
    assert await messages(level_min="warning") == ["Disk 100% FULL_NOW"]
    assert await messages(task_slug="inc", map_index=2) == ["Disk 100% FULL_NOW"]
    assert await messages(search="full_now") == ["Disk 100% FULL_NOW"]
    assert await messages(search="100%") == ["Disk 100% FULL_NOW"]  # % is not a wildcard
    assert await messages(search="_") == ["Disk 100% FULL_NOW"]
    first = await list_logs(database, tenant_id, flow_run.id, first=4)
    rest = await list_logs(database, tenant_id, flow_run.id, after=first.end_cursor)
    assert len(first.items) + len(rest.items) == 7 and first.has_next_page
    error = next(line for line in rest.items if line.level == 40)
    assert (error.level_name, error.task_slug, error.map_index) == ("ERROR", "inc", 2)


async def test_logs_for_an_unknown_run_write_nothing(database: Database, tenant_id, flow_run):
    with pytest.raises(NotFound):
        await write_logs(
            database, tenant_id, [LogIn(flow_run.id, "ok"), LogIn(uuid.uuid4(), "lost")]
        )
    assert (await list_logs(database, tenant_id, flow_run.id)).items == []
    with pytest.raises(InvalidInput, match="level"):
        await write_logs(database, tenant_id, [LogIn(flow_run.id, "x", level="LOUD")])


async def test_agents_register_heartbeat_and_list(database: Database, tenant_id):
    agent = await register_agent(database, tenant_id, "box-1", labels=["gpu"], version="1")
    again = await register_agent(database, tenant_id, "box-1", labels=["cpu"], version="2")
    assert again.id == agent.id and again.labels == ["cpu"] and again.version == "2"
    beat = await heartbeat_agent(database, tenant_id, agent.id)
    assert beat.last_heartbeat >= agent.last_heartbeat
    [listed] = await list_agents(database, tenant_id)
    assert (listed.name, listed.runs_in_flight) == ("box-1", 0)
    with pytest.raises(NotFound):
        await heartbeat_agent(database, tenant_id, uuid.uuid4())


async def test_claims_follow_labels_and_schedule(database: Database, tenant_id, registered_flow):
    async def run(labels: list[str], delay: timedelta = timedelta(0)) -> records.FlowRun:
        return await create_flow_run(
            database,
            tenant_id,
            flow_id=registered_flow.id,
            parameters={"who": "x"},
            labels=labels,
            scheduled_start_time=datetime.now(UTC) + delay,
        )

    plain, gpu, both, future = (
        await run([]),
        await run(["gpu"]),
        await run(["gpu", "eu"]),
        await run([], timedelta(hours=1)),
    )
    agent = await register_agent(database, tenant_id, "gpu-box", labels=["gpu"])
    claimed = await claim_due_runs(database, tenant_id, agent.id)
    assert {r.id for r in claimed} == {plain.id, gpu.id}
    wider = await claim_due_runs(database, tenant_id, agent.id, labels=["gpu", "eu"])
    assert [r.id for r in wider] == [both.id]
    later = await claim_due_runs(
        database, tenant_id, agent.id, now=datetime.now(UTC) + timedelta(hours=2)
    )
    assert [r.id for r in later] == [future.id]
    assert (await list_agents(database, tenant_id))[0].runs_in_flight == 4


async def test_only_the_claiming_agent_starts_the_run(database: Database, tenant_id, flow_run):
    mine = await register_agent(database, tenant_id, "mine")
    other = await register_agent(database, tenant_id, "other")
    [claimed] = await claim_due_runs(database, tenant_id, mine.id)
    assert claimed.id == flow_run.id and claimed.agent_id == mine.id
    assert await claim_due_runs(database, tenant_id, other.id) == []

    async def start(agent_id) -> records.TransitionResult:
        [result] = await set_flow_run_states(
            database,
            tenant_id,
            [FlowRunStateChange(flow_run.id, {"type": "Running"}, agent_id=agent_id)],
        )
        return result

    assert (await start(other.id)).code == "FORBIDDEN"
    assert (await start(None)).code == "TRANSITION_REJECTED"
    started = await start(mine.id)
    assert started.accepted and started.state == "Running"


async def test_run_counts_per_bucket_and_state(database: Database, tenant_id, registered_flow):
    base = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
    for minutes, state in [(0, None), (1, None), (61, "Running"), (62, None)]:
        run = await create_flow_run(
            database,
            tenant_id,
            flow_id=registered_flow.id,
            parameters={"who": "x"},
            scheduled_start_time=base + timedelta(minutes=minutes),
        )
        if state:
            await set_flow_run_states(
                database,
                tenant_id,
                [
                    FlowRunStateChange(
                        run.id,
                        {"type": state, "timestamp": (base + timedelta(minutes=61)).isoformat()},
                    )
                ],
            )
    counts = await run_counts(
        database, tenant_id, since=base, until=base + timedelta(hours=2), bucket_seconds=3600
    )
    assert counts == [
        {"bucket_start": base, "state": "Scheduled", "count": 2},
        {"bucket_start": base + timedelta(hours=1), "state": "Running", "count": 1},
        {"bucket_start": base + timedelta(hours=1), "state": "Scheduled", "count": 1},
    ]
    with pytest.raises(InvalidInput, match="buckets"):
        await run_counts(database, tenant_id, since=base - timedelta(days=3650), bucket_seconds=1)
