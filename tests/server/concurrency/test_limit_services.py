"""Concurrency limits in the services, on SQLite and PostgreSQL: limits and their usage,
flow-label limits in claims (also under concurrent claims), task-tag slots, and every way
a slot is given back (finished states, the flow run stopping, zombie killer, Lazarus)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from tests.server.conftest import replicas
from tests.server.scenarios import register, running_run, running_runs

from proctor.server.database import Database
from proctor.server.database.models import ConcurrencySlot, FlowRun
from proctor.server.errors import InvalidInput
from proctor.server.services import concurrency_limits as limits
from proctor.server.services.agents import claim_due_runs, register_agent
from proctor.server.services.claims import claim_flow_runs
from proctor.server.services.flow_run_states import set_flow_run_states
from proctor.server.services.flow_runs import create_flow_run, get_flow_run
from proctor.server.services.lazarus import revive_lost_runs
from proctor.server.services.plumbing.inputs import FlowRunStateChange, TaskRunStateChange
from proctor.server.services.task_runs import list_task_runs, set_task_run_states
from proctor.server.services.zombies import kill_zombies

WHO = {"who": "x"}


async def _runs(
    db: Database, tenant, flow_id, count: int, labels: list[str], parameters=WHO
) -> list[uuid.UUID]:
    """`count` due runs, oldest first (distinct start times, in the past)."""
    start = datetime.now(UTC) - timedelta(minutes=10)
    ids = []
    for i in range(count):
        run = await create_flow_run(
            db,
            tenant,
            flow_id=flow_id,
            parameters=parameters,
            labels=labels,
            scheduled_start_time=start + timedelta(seconds=i),
        )
        ids.append(run.id)
    return ids


async def _in_flight(db: Database, label: str) -> int:
    async with db.session() as session:
        rows = await session.execute(
            sa.select(FlowRun.labels).where(
                FlowRun.state_type.in_(["Submitted", "Running", "Cancelling"])
            )
        )
        return sum(1 for (labels,) in rows if label in labels)


async def _slots(db: Database) -> int:
    async with db.session() as session:
        return int(await session.scalar(sa.select(sa.func.count(ConcurrencySlot.id))) or 0)


async def _finish(db: Database, tenant, agent_id, run_ids) -> None:
    changes = []
    for run_id in run_ids:
        changes.append(FlowRunStateChange(run_id, {"type": "Running"}, agent_id=agent_id))
        changes.append(FlowRunStateChange(run_id, {"type": "Success"}))
    results = await set_flow_run_states(db, tenant, changes)
    assert all(r.accepted for r in results), results


# -- limits ------------------------------------------------------------------------------------


async def test_limits_are_set_changed_listed_and_deleted(database: Database, tenant_id):
    created = await limits.set_concurrency_limit(database, tenant_id, "task_tag", "db", 2)
    assert (created.kind, created.key, created.limit, created.in_use) == ("task_tag", "db", 2, 0)
    await limits.set_concurrency_limit(database, tenant_id, "flow_label", "gpu", 1)
    changed = await limits.set_concurrency_limit(database, tenant_id, "task_tag", "db", 5)
    assert changed.id == created.id and changed.limit == 5
    listed = await limits.list_concurrency_limits(database, tenant_id)
    assert [(u.kind, u.key, u.limit) for u in listed] == [
        ("flow_label", "gpu", 1),
        ("task_tag", "db", 5),
    ]
    only = await limits.list_concurrency_limits(database, tenant_id, kind="flow_label")
    assert [u.key for u in only] == ["gpu"]
    assert await limits.delete_concurrency_limit(database, tenant_id, "task_tag", "db") is True
    assert await limits.delete_concurrency_limit(database, tenant_id, "task_tag", "db") is False
    assert [u.key for u in await limits.list_concurrency_limits(database, tenant_id)] == ["gpu"]


@pytest.mark.parametrize(
    ("kind", "key", "value", "field"),
    [
        ("task", "db", 2, "kind"),
        ("task_tag", "", 2, "key"),
        ("task_tag", "x" * 201, 2, "key"),
        ("task_tag", "db", -1, "limit"),
        ("task_tag", "db", True, "limit"),
        ("task_tag", "db", 2.5, "limit"),
        ("flow_label", "gpu", 10**9, "limit"),
    ],
)
async def test_bad_limits_are_refused_and_change_nothing(
    database: Database, tenant_id, kind, key, value, field
):
    await limits.set_concurrency_limit(database, tenant_id, "task_tag", "db", 3)
    with pytest.raises(InvalidInput) as raised:
        await limits.set_concurrency_limit(database, tenant_id, kind, key, value)
    assert raised.value.details["field"] == field
    [kept] = await limits.list_concurrency_limits(database, tenant_id)
    assert (kept.key, kept.limit) == ("db", 3)


# -- flow-run limits per label --------------------------------------------------------------


async def test_a_claim_takes_no_more_labelled_runs_than_the_limit_oldest_first(
    database: Database, tenant_id, registered_flow
):
    gpu = await _runs(database, tenant_id, registered_flow.id, 5, ["gpu"])
    plain = await _runs(database, tenant_id, registered_flow.id, 2, [])
    await limits.set_concurrency_limit(database, tenant_id, "flow_label", "gpu", 2)
    agent = await register_agent(database, tenant_id, "box", labels=["gpu"])
    first = await claim_due_runs(database, tenant_id, agent.id, limit=10)
    # The two oldest gpu runs, and the unlabelled runs: a full label holds back only its own.
    assert {r.id for r in first} == {*gpu[:2], *plain}
    assert await claim_due_runs(database, tenant_id, agent.id, limit=10) == []
    [usage] = await limits.list_concurrency_limits(database, tenant_id)
    assert usage.in_use == 2
    assert {h.flow_run_id for h in usage.holders} == set(gpu[:2])
    assert all(h.task_run_id is None and h.state == "Submitted" for h in usage.holders)
    # A finished run frees its slot: the next claim takes the oldest waiting one.
    await _finish(database, tenant_id, agent.id, [gpu[0]])
    again = await claim_due_runs(database, tenant_id, agent.id, limit=10)
    assert [r.id for r in again] == [gpu[2]]
    waiting = await get_flow_run(database, tenant_id, gpu[3])
    assert waiting.state == "Scheduled"


async def test_changing_a_label_limit_takes_effect_at_the_next_claim(
    database: Database, tenant_id, registered_flow
):
    await _runs(database, tenant_id, registered_flow.id, 6, ["etl"])
    await limits.set_concurrency_limit(database, tenant_id, "flow_label", "etl", 1)
    agent = await register_agent(database, tenant_id, "box", labels=["etl"])
    assert len(await claim_due_runs(database, tenant_id, agent.id, limit=10)) == 1
    await limits.set_concurrency_limit(database, tenant_id, "flow_label", "etl", 3)
    assert len(await claim_due_runs(database, tenant_id, agent.id, limit=10)) == 2
    await limits.set_concurrency_limit(database, tenant_id, "flow_label", "etl", 0)
    assert await claim_due_runs(database, tenant_id, agent.id, limit=10) == []
    assert await _in_flight(database, "etl") == 3
    # Deleting the limit lifts it.
    await limits.delete_concurrency_limit(database, tenant_id, "flow_label", "etl")
    assert len(await claim_due_runs(database, tenant_id, agent.id, limit=10)) == 3


async def test_a_new_label_limit_counts_the_runs_already_in_flight(
    database: Database, tenant_id, registered_flow
):
    ids = await _runs(database, tenant_id, registered_flow.id, 4, ["batch"])
    agent = await register_agent(database, tenant_id, "box", labels=["batch"])
    assert len(await claim_due_runs(database, tenant_id, agent.id, limit=2)) == 2
    usage = await limits.set_concurrency_limit(database, tenant_id, "flow_label", "batch", 2)
    assert usage.in_use == 2 and {h.flow_run_id for h in usage.holders} == set(ids[:2])
    assert await claim_due_runs(database, tenant_id, agent.id, limit=10) == []


async def test_concurrent_claims_by_four_agents_never_exceed_the_label_limit(
    database_url: str, database: Database, tenant_id, registered_flow
):
    """Four agents, each on its own `Database` (as on separate server replicas), claim
    at once, again and again; after every round at most 3 runs with the label are in
    flight, and in the end every run was claimed exactly once."""
    created = set(await _runs(database, tenant_id, registered_flow.id, 18, ["limited"]))
    await limits.set_concurrency_limit(database, tenant_id, "flow_label", "limited", 3)
    agents = [
        await register_agent(database, tenant_id, f"a{i}", labels=["limited"]) for i in range(4)
    ]
    claimed: list[uuid.UUID] = []
    async with replicas(database_url, len(agents)) as dbs:
        for _ in range(30):
            rounds = await asyncio.gather(
                *(
                    claim_due_runs(db, tenant_id, agent.id, limit=2)
                    for db, agent in zip(dbs, agents, strict=True)
                )
            )
            assert await _in_flight(database, "limited") <= 3
            for agent, runs in zip(agents, rounds, strict=True):
                claimed.extend(run.id for run in runs)
                await _finish(database, tenant_id, agent.id, [run.id for run in runs])
            if len(claimed) == len(created):
                break
    assert len(claimed) == len(set(claimed)) and set(claimed) == created
    assert await _slots(database) == 0


# -- task-run limits per tag ----------------------------------------------------------------


def _ask(run_id, slug: str, index: int = -1, tags=("db",)) -> dict:
    return {"flow_run_id": run_id, "task_slug": slug, "map_index": index, "tags": list(tags)}


async def test_task_run_slots_are_granted_up_to_the_limit_and_freed_by_a_finished_state(
    database: Database, tenant_id, registered_flow
):
    await limits.set_concurrency_limit(database, tenant_id, "task_tag", "db", 2)
    run, _ = await running_run(database, registered_flow.id, parameters=WHO)
    asks = [_ask(run.id, "inc", i) for i in range(3)] + [_ask(run.id, "total", tags=["cpu"])]
    answer = await limits.acquire_task_run_slots(database, tenant_id, asks)
    assert [g.granted for g in answer.results] == [True, True, False, True]
    assert answer.limited_tags == ["db"]
    queued = answer.results[2]
    assert queued.code == "QUEUED" and "db (2 of 2 in use)" in (queued.reason or "")
    # Asked before any report: the task runs exist now (Pending).
    page = await list_task_runs(database, tenant_id, run.id)
    assert {(t.task_slug, t.map_index, t.state) for t in page.items} >= {("inc", 2, "Pending")}
    # Asking again changes nothing: the holders keep their slots, the third still waits.
    again = await limits.acquire_task_run_slots(database, tenant_id, asks[:3])
    assert [g.granted for g in again.results] == [True, True, False]
    [usage] = await limits.list_concurrency_limits(database, tenant_id)
    assert usage.in_use == 2 and sorted(h.map_index for h in usage.holders) == [0, 1]
    # Running keeps the slot; Success (in the same transaction as the state) frees it.
    await set_task_run_states(
        database,
        tenant_id,
        [
            TaskRunStateChange(run.id, "inc", {"type": "Running"}, map_index=0),
            TaskRunStateChange(run.id, "inc", {"type": "Running"}, map_index=1),
            TaskRunStateChange(run.id, "inc", {"type": "Queued"}, map_index=2),
        ],
    )
    assert (await limits.list_concurrency_limits(database, tenant_id))[0].in_use == 2
    await set_task_run_states(
        database, tenant_id, [TaskRunStateChange(run.id, "inc", {"type": "Success"}, map_index=0)]
    )
    assert (await limits.list_concurrency_limits(database, tenant_id))[0].in_use == 1
    third = await limits.acquire_task_run_slots(database, tenant_id, asks[2:3])
    assert third.results[0].granted


async def test_a_task_run_with_two_limited_tags_gets_both_slots_or_none(
    database: Database, tenant_id, registered_flow
):
    await limits.set_concurrency_limit(database, tenant_id, "task_tag", "a", 5)
    await limits.set_concurrency_limit(database, tenant_id, "task_tag", "b", 1)
    run, _ = await running_run(database, registered_flow.id, parameters=WHO)
    answer = await limits.acquire_task_run_slots(
        database, tenant_id, [_ask(run.id, "inc", i, tags=["a", "b"]) for i in range(2)]
    )
    assert [g.granted for g in answer.results] == [True, False]
    used = {u.key: u.in_use for u in await limits.list_concurrency_limits(database, tenant_id)}
    assert used == {"a": 1, "b": 1}


async def test_slot_requests_for_unknown_or_finished_runs_are_refused(
    database: Database, tenant_id, registered_flow
):
    await limits.set_concurrency_limit(database, tenant_id, "task_tag", "db", 2)
    run, _agent = await running_run(database, registered_flow.id, parameters=WHO)
    unknown = uuid.uuid4()
    answer = await limits.acquire_task_run_slots(database, tenant_id, [_ask(unknown, "inc")])
    assert answer.results[0].code == "NOT_FOUND" and not answer.results[0].granted
    await set_flow_run_states(database, tenant_id, [FlowRunStateChange(run.id, {"type": "Failed"})])
    answer = await limits.acquire_task_run_slots(database, tenant_id, [_ask(run.id, "inc")])
    assert answer.results[0].code == "TRANSITION_REJECTED"
    assert await _slots(database) == 0
    assert (await limits.acquire_task_run_slots(database, tenant_id, [])).limited_tags == ["db"]


@pytest.mark.parametrize(
    "bad",
    [
        "not an object",
        {"flow_run_id": "nope", "task_slug": "inc"},
        {"flow_run_id": str(uuid.uuid4()), "task_slug": ""},
        {"flow_run_id": str(uuid.uuid4()), "task_slug": "x", "tags": "db"},
        {"flow_run_id": str(uuid.uuid4()), "task_slug": "x", "map_index": -2},
        {"flow_run_id": str(uuid.uuid4()), "task_slug": "x", "colour": "red"},
    ],
)
async def test_malformed_slot_requests_are_refused_whole(database: Database, tenant_id, bad):
    with pytest.raises(InvalidInput):
        await limits.acquire_task_run_slots(database, tenant_id, [bad])


async def test_concurrent_slot_requests_never_exceed_the_tag_limit(
    database_url: str, database: Database, tenant_id, registered_flow
):
    await limits.set_concurrency_limit(database, tenant_id, "task_tag", "db", 3)
    runs = await running_runs(database, registered_flow.id, 4, parameters=WHO)
    async with replicas(database_url, len(runs)) as dbs:
        answers = await asyncio.gather(
            *(
                limits.acquire_task_run_slots(
                    db, tenant_id, [_ask(run.id, "inc", i) for i in range(2)]
                )
                for db, run in zip(dbs, runs, strict=True)
            )
        )
    granted = sum(g.granted for answer in answers for g in answer.results)
    assert granted == 3
    assert (await limits.list_concurrency_limits(database, tenant_id))[0].in_use == 3


async def test_a_flow_run_that_stops_frees_its_task_runs_slots_and_its_own(
    database: Database, tenant_id, registered_flow
):
    await limits.set_concurrency_limit(database, tenant_id, "task_tag", "db", 5)
    await limits.set_concurrency_limit(database, tenant_id, "flow_label", "etl", 5)
    await _runs(database, tenant_id, registered_flow.id, 1, ["etl"])
    agent = await register_agent(database, tenant_id, "box", labels=["etl"])
    [run] = await claim_due_runs(database, tenant_id, agent.id)
    await set_flow_run_states(
        database, tenant_id, [FlowRunStateChange(run.id, {"type": "Running"}, agent_id=agent.id)]
    )
    await limits.acquire_task_run_slots(
        database, tenant_id, [_ask(run.id, "inc", i) for i in range(3)]
    )
    assert await _slots(database) == 4
    # Re-queued (e.g. SIGTERM of its process): it holds nothing while it waits.
    await set_flow_run_states(
        database,
        tenant_id,
        [FlowRunStateChange(run.id, {"type": "Scheduled"}, agent_id=agent.id)],
    )
    assert await _slots(database) == 0


async def test_the_zombie_killer_and_lazarus_free_the_slots_of_a_dead_run(
    database: Database, tenant_id
):
    from tests.server.scenarios import retrying_spec

    flow = await register(database, retrying_spec(retries=0))
    await limits.set_concurrency_limit(database, tenant_id, "task_tag", "db", 2)
    await limits.set_concurrency_limit(database, tenant_id, "flow_label", "etl", 1)
    await _runs(database, tenant_id, flow.id, 1, ["etl"], parameters=None)
    agent = await register_agent(database, tenant_id, "box", labels=["etl"])
    [run] = await claim_due_runs(database, tenant_id, agent.id)
    await set_flow_run_states(
        database, tenant_id, [FlowRunStateChange(run.id, {"type": "Running"}, agent_id=agent.id)]
    )
    answer = await limits.acquire_task_run_slots(
        database, tenant_id, [_ask(run.id, "work"), _ask(run.id, "other")]
    )
    assert all(g.granted for g in answer.results)
    # One reported Running, the other was granted but never reported: then kill -9.
    await set_task_run_states(
        database, tenant_id, [TaskRunStateChange(run.id, "work", {"type": "Running"})]
    )
    later = datetime.now(UTC) + timedelta(seconds=120)
    report = await kill_zombies(database, after=60, now=later)
    assert report.failed == 1
    used = {u.key: u.in_use for u in await limits.list_concurrency_limits(database, tenant_id)}
    assert used == {"db": 0, "etl": 1}  # the run itself is still in flight
    lazarus = await revive_lost_runs(database, after=60, max_requeues=3, now=later)
    assert lazarus.requeued == 1
    assert await _slots(database) == 0


async def test_a_new_tag_limit_counts_task_runs_already_running(
    database: Database, tenant_id, flow_spec
):
    from proctor import Flow, task

    @task(tags=["db"])
    def load(i: int) -> int:
        return i

    with Flow("tagged") as tagged:
        load.map([1, 2, 3])
    flow = await register(database, dict(tagged.serialize()))
    run, _ = await running_run(database, flow.id)
    await set_task_run_states(
        database,
        tenant_id,
        [
            TaskRunStateChange(run.id, "load", {"type": "Running"}),  # the mapped node itself
            TaskRunStateChange(run.id, "load", {"type": "Running"}, map_index=0),
            TaskRunStateChange(run.id, "load", {"type": "Running"}, map_index=1),
            TaskRunStateChange(run.id, "load", {"type": "Success"}, map_index=2),
        ],
    )
    usage = await limits.set_concurrency_limit(database, tenant_id, "task_tag", "db", 2)
    assert usage.in_use == 2 and sorted(h.map_index for h in usage.holders) == [0, 1]


async def test_a_long_poll_claim_waiting_on_a_full_label_takes_the_run_when_a_slot_frees(
    database: Database, tenant_id, registered_flow
):
    ids = await _runs(database, tenant_id, registered_flow.id, 2, ["one"])
    await limits.set_concurrency_limit(database, tenant_id, "flow_label", "one", 1)
    agent = await register_agent(database, tenant_id, "box", labels=["one"])
    [first] = await claim_flow_runs(database, tenant_id, agent.id, wait_seconds=5)
    assert first.id == ids[0]
    waiting = asyncio.create_task(claim_flow_runs(database, tenant_id, agent.id, wait_seconds=20))
    await asyncio.sleep(0.5)
    assert not waiting.done()  # the second run is due, but its label is full
    await _finish(database, tenant_id, agent.id, [first.id])
    [second] = await asyncio.wait_for(waiting, 10)
    assert second.id == ids[1]
