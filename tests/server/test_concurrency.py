"""Concurrent writers: separate `Database` objects (separate connections), as separate
server processes or replicas would be. No lost update, no "database is locked", exactly
one winner per version, and claims that never overlap."""

from __future__ import annotations

import asyncio
import threading
import uuid

import sqlalchemy as sa

from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import TaskRunState
from proctor.server.services.agents import claim_due_runs, register_agent
from proctor.server.services.flow_run_states import set_flow_run_states
from proctor.server.services.flow_runs import create_flow_run, get_flow_run
from proctor.server.services.flows import register_flow
from proctor.server.services.plumbing.inputs import FlowRunStateChange, TaskRunStateChange
from proctor.server.services.task_runs import create_task_runs, list_task_runs, set_task_run_states

TENANT = DEFAULT_TENANT_ID
CLIENTS = 8
ROUNDS = 6
OWN_TASKS = 40


async def _make_run(db: Database, spec: dict) -> uuid.UUID:
    registered = await register_flow(db, TENANT, "proj", spec, create_project=True)
    run = await create_flow_run(db, TENANT, flow_id=registered.flow.id, parameters={"who": "x"})
    await set_flow_run_states(db, TENANT, [FlowRunStateChange(run.id, {"type": "Running"})])
    return run.id


async def _client(url: str, run_id: uuid.UUID, number: int, errors: list[BaseException]) -> int:
    """Write this client's own task runs in batches, and increment the shared task run
    by optimistic concurrency (read version, write with it, retry if stale)."""
    wins = 0
    db = Database(url)
    await db.connect()
    try:
        for round_ in range(ROUNDS):
            own = [
                TaskRunStateChange(
                    run_id,
                    f"own-{number}",
                    {"type": "Running", "message": f"{round_}"},
                    map_index=i,
                )
                for i in range(OWN_TASKS)
            ]
            results = await set_task_run_states(db, TENANT, own)
            assert all(r.accepted for r in results)
            while True:
                page = await list_task_runs(db, TENANT, run_id, task_slug="shared")
                version = page.items[0].version
                [result] = await set_task_run_states(
                    db,
                    TENANT,
                    [
                        TaskRunStateChange(
                            run_id,
                            "shared",
                            {"type": "Running", "message": f"client {number}"},
                            version=version,
                        )
                    ],
                )
                if result.accepted:
                    wins += 1
                    break
                assert result.code == "STALE_VERSION", result
    except BaseException as exc:  # reported by the test, whatever the thread
        errors.append(exc)
    finally:
        await db.dispose()
    return wins


def test_eight_sqlite_writers_lose_no_update_and_never_see_locked(sqlite_url: str, flow_spec):
    async def prepare() -> uuid.UUID:
        async with Database(sqlite_url) as db:
            run_id = await _make_run(db, flow_spec())
            await create_task_runs(db, TENANT, run_id, [("shared", None)])
            return run_id

    run_id = asyncio.run(prepare())
    errors: list[BaseException] = []
    wins: list[int] = []

    def thread(number: int) -> None:
        wins.append(asyncio.run(_client(sqlite_url, run_id, number, errors)))

    threads = [threading.Thread(target=thread, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert sum(wins) == CLIENTS * ROUNDS

    async def check() -> None:
        async with Database(sqlite_url) as db:
            shared = (await list_task_runs(db, TENANT, run_id, task_slug="shared")).items
            assert shared[0].version == CLIENTS * ROUNDS  # every increment kept
            page = await list_task_runs(db, TENANT, run_id, first=1000)
            own = [t for t in page.items if t.task_slug.startswith("own-")]
            assert len(own) == CLIENTS * OWN_TASKS
            assert {t.version for t in own} == {ROUNDS}
            async with db.session() as session:
                history = await session.scalar(sa.select(sa.func.count(TaskRunState.id)))
            assert history == CLIENTS * ROUNDS * (OWN_TASKS + 1)

    asyncio.run(check())


async def test_two_clients_racing_with_the_same_version_one_wins(database_url: str, flow_spec):
    first, second = Database(database_url), Database(database_url)
    await first.connect()
    await second.connect()
    try:
        run_id = await _make_run(first, flow_spec())
        for _ in range(5):
            version = (await get_flow_run(first, TENANT, run_id)).version
            results = await asyncio.gather(
                *(
                    set_flow_run_states(
                        db,
                        TENANT,
                        [FlowRunStateChange(run_id, {"type": "Running"}, version=version)],
                    )
                    for db in (first, second)
                )
            )
            outcomes = sorted((r[0].accepted, r[0].code) for r in results)
            assert outcomes == [(False, "STALE_VERSION"), (True, None)]
        assert (await get_flow_run(second, TENANT, run_id)).version == version + 1
    finally:
        await first.dispose()
        await second.dispose()


async def test_concurrent_agents_never_claim_the_same_run(database_url: str, flow_spec):
    dbs = [Database(database_url) for _ in range(3)]
    for db in dbs:
        await db.connect()
    try:
        registered = await register_flow(dbs[0], TENANT, "proj", flow_spec(), create_project=True)
        for _ in range(12):
            await create_flow_run(
                dbs[0], TENANT, flow_id=registered.flow.id, parameters={"who": "x"}
            )
        agents = [await register_agent(dbs[0], TENANT, f"agent-{i}") for i in range(len(dbs))]
        claims = await asyncio.gather(
            *(
                claim_due_runs(db, TENANT, agent.id, limit=10)
                for db, agent in zip(dbs, agents, strict=True)
            )
        )
        claimed = [run.id for batch in claims for run in batch]
        assert len(claimed) == len(set(claimed)) == 12
        for agent, batch in zip(agents, claims, strict=True):
            assert all(run.agent_id == agent.id and run.state == "Submitted" for run in batch)
    finally:
        for db in dbs:
            await db.dispose()
