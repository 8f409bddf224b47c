"""Agents claiming runs: exactly once across agents and server replicas, the labels rule,
and the long-poll that answers as soon as a run becomes due."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from tests.server.conftest import connected
from tests.server.scenarios import claimed_run, running_run

from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import FlowRunState
from proctor.server.errors import InvalidInput, NotFound
from proctor.server.services.agents import list_agents, register_agent
from proctor.server.services.claims import claim_flow_runs
from proctor.server.services.flow_run_states import set_flow_run_states
from proctor.server.services.flow_runs import create_flow_run
from proctor.server.services.flows import archive_flow, register_flow
from proctor.server.services.plumbing.inputs import FlowRunStateChange

RUNS = 300
WHO = {"who": "x"}  # the required parameter of `registered_flow`


async def _many_runs(db: Database, tenant_id, flow_id, count: int) -> set[uuid.UUID]:
    ids = set()
    for _ in range(count):
        run = await create_flow_run(db, tenant_id, flow_id=flow_id, parameters={"who": "x"})
        ids.add(run.id)
    return ids


async def test_three_agents_claim_300_due_runs_exactly_once(
    database_url: str, database: Database, tenant_id, registered_flow
):
    """Three agents, each on its own `Database` (as on three server replicas), claim
    concurrently with random batch sizes until nothing is left."""
    created = await _many_runs(database, tenant_id, registered_flow.id, RUNS)
    claims: dict[str, list[uuid.UUID]] = {}

    async def agent(name: str) -> None:
        async with connected(database_url) as db:
            me = await register_agent(db, tenant_id, name)
            mine = claims.setdefault(name, [])
            while True:
                batch = await claim_flow_runs(
                    db, tenant_id, me.id, labels=[], limit=random.randint(1, 7)
                )
                if not batch:
                    return
                assert all(run.state == "Submitted" and run.agent_id == me.id for run in batch)
                mine.extend(run.id for run in batch)

    await asyncio.gather(*(agent(f"agent-{i}") for i in range(3)))
    everything = [run_id for ids in claims.values() for run_id in ids]
    assert len(everything) == len(set(everything)) == RUNS and set(everything) == created
    async with database.session() as session:  # one Submitted history row per run
        submitted = await session.scalar(
            sa.select(sa.func.count()).where(FlowRunState.state == "Submitted")
        )
    assert submitted == RUNS


async def test_labels_of_a_run_must_be_a_subset_of_the_agents(
    database: Database, tenant_id, registered_flow
):
    async def run(*labels: str) -> uuid.UUID:
        created = await create_flow_run(
            database,
            tenant_id,
            flow_id=registered_flow.id,
            parameters={"who": "x"},
            labels=list(labels),
        )
        return created.id

    plain, gpu, gpu_eu = await run(), await run("gpu"), await run("gpu", "eu")
    agent = await register_agent(database, tenant_id, "a", labels=["gpu", "big"])

    async def claim(*labels: str) -> set[uuid.UUID]:
        found = await claim_flow_runs(database, tenant_id, agent.id, labels=list(labels), limit=10)
        return {r.id for r in found}

    assert await claim("eu") == {plain}  # no label needed: any agent
    assert await claim("eu", "big") == set()  # gpu runs need gpu
    assert await claim("gpu") == {gpu}  # gpu+eu needs both
    assert await claim("gpu", "eu", "extra") == {gpu_eu}  # more labels than needed is fine


async def test_runs_of_archived_versions_are_not_claimed(
    database: Database, tenant_id, registered_flow
):
    await create_flow_run(database, tenant_id, flow_id=registered_flow.id, parameters={"who": "x"})
    await archive_flow(database, tenant_id, registered_flow.id)
    agent = await register_agent(database, tenant_id, "a")
    assert await claim_flow_runs(database, tenant_id, agent.id, wait_seconds=0) == []


async def test_claim_arguments_are_checked(database: Database, tenant_id):
    agent = await register_agent(database, tenant_id, "a")
    for bad in (-1, float("nan"), "soon", True):
        with pytest.raises(InvalidInput, match="wait_seconds"):
            await claim_flow_runs(database, tenant_id, agent.id, wait_seconds=bad)
    with pytest.raises(InvalidInput, match="limit"):
        await claim_flow_runs(database, tenant_id, agent.id, limit=0)
    with pytest.raises(NotFound):
        await claim_flow_runs(database, tenant_id, uuid.uuid4(), wait_seconds=1)


# -- long-poll ---------------------------------------------------------------------------------


# A claim that was not woken would answer only after LONG_WAIT; one that answers within
# WOKEN_WITHIN was woken by the event (a bound no busy machine comes near).
LONG_WAIT = 60
WOKEN_WITHIN = 40


async def _timed_claim(db: Database, tenant_id, agent_id, **options) -> tuple[list, float]:
    started = time.monotonic()
    claimed = await claim_flow_runs(db, tenant_id, agent_id, labels=[], **options)
    return claimed, time.monotonic() - started


async def test_long_poll_wakes_when_a_run_is_created(
    database: Database, tenant_id, registered_flow
):
    agent = await register_agent(database, tenant_id, "waiter")
    waiting = asyncio.create_task(
        _timed_claim(database, tenant_id, agent.id, wait_seconds=LONG_WAIT)
    )
    await asyncio.sleep(0.3)
    run = await create_flow_run(
        database, tenant_id, flow_id=registered_flow.id, parameters={"who": "x"}
    )
    # Woken by the new run: it answers long before its own wait would have ended.
    [claimed], _ = await asyncio.wait_for(waiting, WOKEN_WITHIN)
    assert claimed.id == run.id and claimed.state == "Submitted"


async def test_long_poll_wakes_at_the_scheduled_time(
    database: Database, tenant_id, registered_flow
):
    agent = await register_agent(database, tenant_id, "waiter")
    due = datetime.now(UTC) + timedelta(seconds=0.8)
    run = await create_flow_run(
        database,
        tenant_id,
        flow_id=registered_flow.id,
        parameters={"who": "x"},
        scheduled_start_time=due,
    )
    # Woken at the due time: never before it, and long before its own wait would end.
    [claimed], _ = await asyncio.wait_for(
        _timed_claim(database, tenant_id, agent.id, wait_seconds=LONG_WAIT), WOKEN_WITHIN
    )
    assert claimed.id == run.id and datetime.now(UTC) >= due


async def test_long_poll_wakes_when_a_run_is_requeued(
    database: Database, tenant_id, registered_flow
):
    """A run process re-queues its run (a flow-level retry): another agent waiting gets it
    at the retry time, and the claim of the first agent is gone."""
    run, first = await running_run(database, registered_flow.id, agent="first", parameters=WHO)
    second = await register_agent(database, tenant_id, "second")
    waiting = asyncio.create_task(
        _timed_claim(database, tenant_id, second.id, wait_seconds=LONG_WAIT)
    )
    await asyncio.sleep(0.3)
    retry_at = datetime.now(UTC) + timedelta(seconds=0.3)
    [requeued] = await set_flow_run_states(
        database,
        tenant_id,
        [
            FlowRunStateChange(
                run.id,
                {"type": "Retrying", "start_time": retry_at.isoformat(), "message": "flow retry"},
                agent_id=first.id,
            )
        ],
    )
    assert requeued.accepted, requeued
    [claimed], _ = await asyncio.wait_for(waiting, WOKEN_WITHIN)
    assert claimed.id == run.id and claimed.agent_id == second.id
    assert datetime.now(UTC) >= retry_at  # not taken before the retry time


async def test_another_agent_cannot_requeue_a_claimed_run(
    database: Database, tenant_id, registered_flow
):
    run, _ = await running_run(database, registered_flow.id, agent="owner", parameters=WHO)
    thief = await register_agent(database, tenant_id, "thief")
    [result] = await set_flow_run_states(
        database,
        tenant_id,
        [FlowRunStateChange(run.id, {"type": "Scheduled"}, agent_id=thief.id)],
    )
    assert (result.accepted, result.code) == (False, "FORBIDDEN")


async def test_long_poll_gives_up_after_its_wait_and_is_capped(database: Database, tenant_id):
    agent = await register_agent(database, tenant_id, "waiter")
    claimed, waited = await _timed_claim(database, tenant_id, agent.id, wait_seconds=0.4)
    assert claimed == [] and waited >= 0.35  # it did wait, then gave up empty-handed
    # Capped: a wait of an hour ends with the server's cap, long before the hour.
    claimed, _ = await asyncio.wait_for(
        _timed_claim(database, tenant_id, agent.id, wait_seconds=3600, max_wait=0.3),
        WOKEN_WITHIN,
    )
    assert claimed == []


async def test_long_poll_ignores_runs_it_may_not_take(
    database: Database, tenant_id, registered_flow
):
    agent = await register_agent(database, tenant_id, "cpu-box", labels=["cpu"])
    waiting = asyncio.create_task(claim_flow_runs(database, tenant_id, agent.id, wait_seconds=0.8))
    await asyncio.sleep(0.2)
    await create_flow_run(
        database, tenant_id, flow_id=registered_flow.id, parameters={"who": "x"}, labels=["gpu"]
    )
    assert await waiting == []


async def test_long_poll_answers_at_once_when_the_server_stops(database: Database, tenant_id):
    agent = await register_agent(database, tenant_id, "waiter")
    stopping = asyncio.Event()
    waiting = asyncio.create_task(
        _timed_claim(database, tenant_id, agent.id, wait_seconds=3600, stopping=stopping)
    )
    await asyncio.sleep(0.2)
    stopping.set()
    claimed, _ = await asyncio.wait_for(waiting, WOKEN_WITHIN)
    assert claimed == []


async def test_a_claim_counts_as_the_agents_heartbeat(
    database: Database, tenant_id, registered_flow
):
    _, agent = await claimed_run(database, registered_flow.id, parameters=WHO)
    before = agent.last_heartbeat
    await claim_flow_runs(database, tenant_id, agent.id)
    [listed] = await list_agents(database, tenant_id)
    assert listed.last_heartbeat > before and listed.runs_in_flight == 1


async def test_long_poll_hears_runs_created_by_another_replica(postgres_url: str, flow_spec):
    """On PostgreSQL the event that wakes an agent may come from another server replica
    (LISTEN/NOTIFY)."""
    async with connected(postgres_url) as here, connected(postgres_url) as there:
        tenant = DEFAULT_TENANT_ID
        registered = await register_flow(there, tenant, "proj", flow_spec(), create_project=True)
        agent = await register_agent(here, tenant, "waiter")
        waiting = asyncio.create_task(_timed_claim(here, tenant, agent.id, wait_seconds=LONG_WAIT))
        await asyncio.sleep(0.3)
        run = await create_flow_run(there, tenant, flow_id=registered.flow.id, parameters=WHO)
        [claimed], _ = await asyncio.wait_for(waiting, WOKEN_WITHIN)
        assert claimed.id == run.id
