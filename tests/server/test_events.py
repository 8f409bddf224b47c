"""The event bus: topics, bounded never-blocking queues, publish-after-commit, and the
PostgreSQL path between replicas."""

from __future__ import annotations

import asyncio
import threading

import pytest
import sqlalchemy as sa

from proctor.server.database import DEFAULT_TENANT_ID, Database, record_event
from proctor.server.database.dialects.postgresql import MAX_NOTIFY_BYTES, notify_payload
from proctor.server.database.models import Project
from proctor.server.events import ALL_TOPICS, Event, EventBus, flow_run_topic, tenant_topic
from proctor.server.services.plumbing import records
from proctor.server.services.plumbing.inputs import TaskRunStateChange
from proctor.server.services.projects import create_project
from proctor.server.services.task_runs import set_task_run_states

TENANT = str(DEFAULT_TENANT_ID)


def event(kind: str = "x", run: str | None = None) -> Event:
    return Event(kind, TENANT, flow_run_id=run)


async def test_subscribers_get_events_of_their_topics_only():
    bus = EventBus()
    run_feed = bus.subscribe(flow_run_topic("r1"))
    team_feed = bus.subscribe(tenant_topic(TENANT))
    everything = bus.subscribe(ALL_TOPICS)
    bus.publish(event("a", run="r1"))
    bus.publish(event("b", run="r2"))
    assert [(await run_feed.get(0.1)).kind] == ["a"]
    assert await run_feed.get(0.01) is None
    assert [team_feed.get_nowait().kind, team_feed.get_nowait().kind] == ["a", "b"]
    assert everything.pending == 2


async def test_a_slow_subscriber_loses_its_oldest_events_and_never_blocks_the_writer():
    bus = EventBus()
    slow = bus.subscribe(ALL_TOPICS, maxsize=3)
    for i in range(10):
        bus.publish(event(f"e{i}"))  # returns at once, whatever the reader does
    assert slow.dropped == 7 and bus.stats()["dropped"] == 7
    assert [slow.get_nowait().kind for _ in range(3)] == ["e7", "e8", "e9"]


async def test_closed_subscription_stops_receiving_and_ends_iteration():
    bus = EventBus()
    with bus.subscribe(ALL_TOPICS) as subscription:
        bus.publish(event())
    bus.publish(event())
    assert subscription.closed and bus.subscriber_count() == 0
    assert [e.kind async for e in subscription] == ["x"]


async def test_publishing_from_another_thread_wakes_the_subscriber():
    bus = EventBus()
    subscription = bus.subscribe(ALL_TOPICS)
    waiter = asyncio.create_task(subscription.get(timeout=5))
    await asyncio.sleep(0)
    threading.Thread(target=bus.publish, args=(event("from-thread"),)).start()
    assert (await waiter).kind == "from-thread"


async def test_a_bus_ignores_its_own_echo_from_another_replica():
    bus = EventBus()
    subscription = bus.subscribe(ALL_TOPICS)
    mine = bus.stamp(event("mine"))
    bus.deliver_remote(mine)
    bus.deliver_remote(Event.from_json(EventBus().stamp(event("theirs")).to_json()))
    assert [e.kind for e in [subscription.get_nowait()]] == ["theirs"]
    assert subscription.get_nowait() is None


def test_notify_payloads_stay_under_the_postgres_limit():
    big = Event("k", TENANT, data={"blob": "x" * 20_000})
    payload = notify_payload(big)
    assert len(payload.encode()) <= MAX_NOTIFY_BYTES
    assert Event.from_json(payload).data == {"truncated": True}


async def test_events_are_published_after_commit(database: Database):
    subscription = database.events.subscribe(tenant_topic(TENANT))
    async with database.transaction() as session:
        session.add(Project(tenant_id=DEFAULT_TENANT_ID, name="p"))
        record_event(session, event("project.created"))
        assert subscription.get_nowait() is None  # not before the commit
    assert (await subscription.get(1)).kind == "project.created"


async def test_no_event_for_a_rolled_back_transaction(database: Database):
    subscription = database.events.subscribe(ALL_TOPICS)
    with pytest.raises(RuntimeError):
        async with database.transaction() as session:
            session.add(Project(tenant_id=DEFAULT_TENANT_ID, name="p"))
            record_event(session, event("never"))
            raise RuntimeError("changed my mind")
    assert await subscription.get(0.2) is None
    async with database.session() as session:
        assert await session.scalar(sa.select(sa.func.count(Project.id))) == 0


async def test_services_publish_their_changes(database: Database, flow_run: records.FlowRun):
    run_feed = database.events.subscribe(flow_run_topic(flow_run.id))
    await set_task_run_states(
        database,
        DEFAULT_TENANT_ID,
        [
            TaskRunStateChange(flow_run.id, "inc", {"type": "Running"}, map_index=i)
            for i in range(5)
        ],
    )
    got = await run_feed.get(1)
    assert got.kind == "task_runs.state" and got.data == {"accepted": 5, "created": 5}
    assert await run_feed.get(0.05) is None  # one event per run per batch


async def test_replicas_on_postgres_hear_each_other(postgres_url: str):
    first, second = Database(postgres_url), Database(postgres_url)
    await first.connect()
    await second.connect()
    try:
        heard = second.events.subscribe(tenant_topic(TENANT))
        echo = first.events.subscribe(tenant_topic(TENANT))
        project = await create_project(first, DEFAULT_TENANT_ID, "shared")
        remote = await heard.get(timeout=5)
        assert remote is not None and remote.kind == "project.created"
        assert remote.data == {"project_id": str(project.id), "name": "shared"}
        assert remote.origin == first.events.origin
        # The writer's own subscribers get it once, not again through NOTIFY.
        assert (await echo.get(1)).kind == "project.created"
        assert await echo.get(0.3) is None
        assert second.events.stats()["remote_received"] == 1
    finally:
        await first.dispose()
        await second.dispose()


async def test_rolled_back_writes_are_not_heard_by_other_replicas(postgres_url: str):
    first, second = Database(postgres_url), Database(postgres_url)
    await first.connect()
    await second.connect()
    try:
        heard = second.events.subscribe(ALL_TOPICS)
        with pytest.raises(RuntimeError):
            async with first.transaction() as session:
                record_event(session, event("never"))
                raise RuntimeError
        await create_project(first, DEFAULT_TENANT_ID, "after")
        assert (await heard.get(5)).kind == "project.created"
        assert await heard.get(0.2) is None
    finally:
        await first.dispose()
        await second.dispose()
