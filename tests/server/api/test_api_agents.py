"""The agents' API through the Python client (in process), and the long-poll against a
real server process: registration, heartbeats, claims, what a run process reads and
reports, restarts."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.server.api.graphql_results import error_codes

from proctor.client import AsyncClient, Client, FlowRunStateChange, NotFound, TaskRunStateChange
from proctor.states import Running
from proctor.testing import ServerProcess

WHO = {"who": "me"}


@pytest.fixture
async def flow(api: AsyncClient, flow_spec):
    storage = {"type": "Local", "path": "/srv/flows/etl.py"}
    result = await api.register_flow("proj", flow_spec(), storage=storage, create_project=True)
    return result.flow


async def test_agents_register_idempotently_by_name(api: AsyncClient, gql):
    first = await api.register_agent("box-1", ["gpu"], version="1.0")
    again = await api.register_agent("box-1", ["gpu", "eu"], version="1.1")
    assert again.id == first.id and again.labels == ["eu", "gpu"] and again.version == "1.1"
    beat = await api.agent_heartbeat(first.id)
    assert beat.last_heartbeat >= again.last_heartbeat
    [listed] = await api.list_agents()
    assert (listed.name, listed.version, listed.runs_in_flight) == ("box-1", "1.1", 0)
    unknown = await gql(
        'mutation { agentHeartbeat(agentId: "00000000-0000-4000-8000-00000000abcd") { id } }'
    )
    assert error_codes(unknown) == ["NOT_FOUND"]


async def test_claim_context_heartbeat_and_cancel(api: AsyncClient, flow):
    agent = await api.register_agent("box", ["gpu"])
    run = await api.create_flow_run(flow.id, parameters=WHO, labels=["gpu"])
    [claimed] = await api.claim_flow_runs(agent.id, ["gpu"], limit=5)
    assert (claimed.id, claimed.state, claimed.agent_id) == (run.id, "Submitted", agent.id)
    assert await api.claim_flow_runs(agent.id, ["gpu"]) == []

    [started] = await api.set_flow_run_states(
        [FlowRunStateChange(flow_run_id=run.id, state=Running(), agent_id=agent.id)]
    )
    assert started.accepted and started.state == "Running"
    await api.set_task_run_states(
        [
            TaskRunStateChange(
                flow_run_id=run.id,
                task_slug="inc",
                map_index=0,
                state={"type": "Success", "result_location": "file:///r/0"},
            )
        ]
    )
    context = await api.get_flow_run_context(run.id)
    assert (context.state, context.version, context.parameters) == ("Running", 3, {**WHO, "n": 3})
    assert context.spec["name"] == "etl" and context.storage == {
        "type": "Local",
        "path": "/srv/flows/etl.py",
    }
    assert context.flow_run.agent_id == agent.id and context.flow_run.run_count == 1
    [task_run] = context.task_runs
    assert (task_run.task_slug, task_run.map_index, task_run.state) == ("inc", 0, "Success")
    assert (task_run.result_location, task_run.version, task_run.state_type) == (
        "file:///r/0",
        1,
        "Success",
    )

    [beat] = await api.heartbeat_flow_runs([run.id])
    assert beat.state == "Running" and beat.heartbeat is not None
    await api.cancel_flow_run(run.id)
    [beat] = await api.heartbeat_flow_runs([run.id])
    assert beat.state == "Cancelling"  # the run process learns it at its next heartbeat
    with pytest.raises(NotFound):
        await api.get_flow_run_context("00000000-0000-4000-8000-00000000abcd")


async def test_a_run_process_requeues_its_run_for_later(api: AsyncClient, flow):
    agent = await api.register_agent("box", [])
    run = await api.create_flow_run(flow.id, parameters=WHO)
    await api.claim_flow_runs(agent.id, [])
    await api.set_flow_run_states(
        [FlowRunStateChange(flow_run_id=run.id, state=Running(), agent_id=agent.id)]
    )
    retry_at = datetime.now(UTC) + timedelta(hours=1)
    retry = {"type": "Retrying", "start_time": retry_at.isoformat(), "message": "retry later"}
    [requeued] = await api.set_flow_run_states(
        [FlowRunStateChange(flow_run_id=run.id, state=retry, agent_id=agent.id)]
    )
    assert requeued.accepted
    again = await api.get_flow_run(run.id)
    assert (again.state, again.agent_id, again.scheduled_start_time) == ("Retrying", None, retry_at)


async def test_long_poll_through_the_api(api: AsyncClient, flow):
    agent = await api.register_agent("box", [])
    # The server caps a claim's wait at 30 s: one not woken by the new run would answer
    # only then, so an answer within 20 s was woken.
    waiting = asyncio.create_task(api.claim_flow_runs(agent.id, [], wait_seconds=30))
    await asyncio.sleep(0.3)
    run = await api.create_flow_run(flow.id, parameters=WHO)
    [claimed] = await asyncio.wait_for(waiting, 20)
    assert claimed.id == run.id
    started = time.monotonic()
    assert await api.claim_flow_runs(agent.id, [], wait_seconds=0.3) == []
    assert time.monotonic() - started >= 0.25  # it waited for a run before answering


async def test_restart_through_the_client(api: AsyncClient, flow):
    run = await api.create_flow_run(flow.id, parameters=WHO)
    await api.set_flow_run_states([FlowRunStateChange(flow_run_id=run.id, state=Running())])
    await api.set_task_run_states(
        [
            TaskRunStateChange(
                flow_run_id=run.id, task_slug="inc", map_index=0, state={"type": "Success"}
            ),
            TaskRunStateChange(
                flow_run_id=run.id, task_slug="inc", map_index=1, state={"type": "Failed"}
            ),
        ]
    )
    await api.set_flow_run_states(
        [FlowRunStateChange(flow_run_id=run.id, state={"type": "Failed"})]
    )
    restarted = await api.restart_flow_run(run.id)
    assert restarted.state == "Scheduled" and restarted.agent_id is None
    states = {(t.map_index, t.state) for t in (await api.list_task_runs(run.id)).items}
    assert states == {(0, "Success"), (1, "Pending")}


# -- a real server process -------------------------------------------------------------------


WAIT = 20.0  # seconds a claim may wait for a run


@pytest.mark.slow
def test_long_poll_against_a_real_server(tmp_path: Path, flow_spec):
    """Over real HTTP: a waiting claim is answered with a run created while it waits,
    before its own 20 s wait is over (a claim that waited it out would have seen the run
    only then), and a server told to stop answers a waiting claim instead of holding its
    shutdown for the whole wait. How fast is `benchmarks/`'s business, not this test's."""
    server = ServerProcess(f"sqlite+aiosqlite:///{tmp_path / 'proctor.db'}", tmp_path)
    url = server.start()
    try:
        with Client(url) as client:
            flow = client.register_flow("proj", flow_spec(), create_project=True).flow
            agent = client.register_agent("box", [])
            answered: list = []

            def claim() -> None:
                with Client(url) as waiter:
                    began = time.monotonic()
                    claimed = waiter.claim_flow_runs(agent.id, [], wait_seconds=WAIT)
                    answered.append((claimed, time.monotonic() - began))

            waiter = threading.Thread(target=claim)
            waiter.start()
            time.sleep(0.5)
            run = client.create_flow_run(flow.id, parameters=WHO)
            waiter.join(timeout=WAIT * 3)
            [(claimed, waited)] = answered
            assert [r.id for r in claimed] == [run.id] and waited < WAIT

            answered.clear()
            waiter = threading.Thread(target=claim)
            waiter.start()
            time.sleep(0.5)
            server.stop()
            waiter.join(timeout=WAIT * 3)
            [(claimed, waited)] = answered
            assert claimed == [] and waited < WAIT
    finally:
        server.stop()


async def test_schedule_switch_through_the_client(api: AsyncClient):
    from tests.server.scenarios import scheduled_spec

    flow = (await api.register_flow("proj", scheduled_spec(), create_project=True)).flow
    assert flow.schedule_active
    group = await api.set_schedule_active(flow.id, False)
    assert (group.id, group.schedule_active) == (flow.flow_group_id, False)
    assert (await api.set_schedule_active(flow.flow_group_id, True)).schedule_active
