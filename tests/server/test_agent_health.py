"""Agent monitoring (SQLite and PostgreSQL): health from the last heartbeat, recent runs,
and exactly one `agent.unhealthy` / `agent.healthy` per crossing with two monitors."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import sqlalchemy as sa
from starlette.applications import Starlette

from proctor.server.app import create_app
from proctor.server.background.agent_monitor import AgentMonitor
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import Agent
from proctor.server.events import ALL_TOPICS
from proctor.server.services.agent_health import Health, Thresholds, judge
from proctor.server.services.agent_match import healthy_agents
from proctor.server.services.agents import claim_due_runs, heartbeat_agent, register_agent
from proctor.server.services.flow_runs import create_flow_run
from proctor.settings import get_settings, temporary_settings

THRESHOLDS = Thresholds(late_seconds=20, unhealthy_seconds=60)


def test_health_is_judged_by_missed_intervals():
    now = datetime.now(UTC)
    assert judge(now - timedelta(seconds=19), now, THRESHOLDS) is Health.HEALTHY
    assert judge(now - timedelta(seconds=21), now, THRESHOLDS) is Health.LATE
    assert judge(now - timedelta(seconds=61), now, THRESHOLDS) is Health.UNHEALTHY
    assert judge(None, now, THRESHOLDS) is Health.UNHEALTHY
    # A fresh heartbeat that reports a problem (its daemon is down) is no health.
    assert judge(now, now, THRESHOLDS, problem="daemon down") is Health.UNHEALTHY
    assert judge(now, now, THRESHOLDS, problem=None) is Health.HEALTHY
    assert judge(now, now, THRESHOLDS, stopped_at=now, problem="x") is Health.STOPPED
    with temporary_settings(
        server_services_heartbeat_seconds=5,
        server_services_agent_monitor_late_after_beats=3,
        server_services_agent_monitor_unhealthy_after_beats=10,
    ) as settings:
        assert Thresholds.from_settings(settings) == Thresholds(15, 50)


async def _set_heartbeat(db: Database, agent_id: str, when: datetime) -> None:
    async with db.transaction() as session:
        await session.execute(
            sa.update(Agent).where(Agent.id == uuid.UUID(agent_id)).values(last_heartbeat=when)
        )


async def test_two_monitors_publish_each_crossing_once(database_url: str):
    replicas = [Database(database_url), Database(database_url)]
    for db in replicas:
        await db.connect()
    subscriptions = [db.events.subscribe(ALL_TOPICS) for db in replicas]
    try:
        first = replicas[0]
        agent = await register_agent(first, DEFAULT_TENANT_ID, "flaky", labels=["x"])
        other = await register_agent(first, DEFAULT_TENANT_ID, "steady")
        monitors = [AgentMonitor(db, loop_seconds=60, thresholds=THRESHOLDS) for db in replicas]
        reports = await asyncio.gather(*(m.run_once() for m in monitors))
        assert sum(r.changed for r in reports) == 2  # both judged HEALTHY once, no events

        silent_since = datetime.now(UTC) - timedelta(seconds=120)
        await _set_heartbeat(first, str(agent.id), silent_since)
        for _ in range(3):  # passes race each other, again and again
            await asyncio.gather(*(m.run_once() for m in monitors))
        await heartbeat_agent(first, DEFAULT_TENANT_ID, agent.id)
        for _ in range(3):
            await asyncio.gather(*(m.run_once() for m in monitors))
        await asyncio.sleep(0.5)  # PostgreSQL: NOTIFY reaches the other replica's bus

        seen: dict[str, object] = {}
        for subscription in subscriptions:
            while (event := subscription.get_nowait()) is not None:
                if event.kind.startswith("agent.") and event.kind != "agent.registered":
                    seen[event.id] = event
        kinds = sorted((e.kind, e.data["name"]) for e in seen.values())  # type: ignore[attr-defined]
        assert kinds == [("agent.healthy", "flaky"), ("agent.unhealthy", "flaky")]
        unhealthy = next(e for e in seen.values() if e.kind == "agent.unhealthy")  # type: ignore[attr-defined]
        assert unhealthy.tenant_id == str(DEFAULT_TENANT_ID)  # type: ignore[attr-defined]
        assert unhealthy.data == {  # type: ignore[attr-defined]
            "agent_id": str(agent.id),
            "name": "flaky",
            "last_heartbeat": silent_since.isoformat(),
            "problem": None,
        }
        async with first.session() as session:
            stored = dict((await session.execute(sa.select(Agent.name, Agent.health))).all())
        assert stored == {"flaky": "HEALTHY", "steady": "HEALTHY"}
        assert other.id != agent.id
    finally:
        for subscription in subscriptions:
            subscription.close()
        for db in replicas:
            await db.dispose()


async def test_late_then_unhealthy_is_one_event(database: Database):
    agent = await register_agent(database, DEFAULT_TENANT_ID, "slow")
    monitor = AgentMonitor(database, loop_seconds=60, thresholds=THRESHOLDS)
    with database.events.subscribe(ALL_TOPICS) as subscription:
        now = datetime.now(UTC)
        assert (await monitor.run_once(now=now + timedelta(seconds=30))).unhealthy == 0
        async with database.session() as session:
            assert await session.scalar(sa.select(Agent.health)) == "LATE"
        assert (await monitor.run_once(now=now + timedelta(seconds=90))).unhealthy == 1
        assert (await monitor.run_once(now=now + timedelta(seconds=120))).unhealthy == 0
        kinds = []
        while (event := subscription.get_nowait()) is not None:
            kinds.append(event.kind)
    assert kinds.count("agent.unhealthy") == 1 and "agent.healthy" not in kinds
    assert agent.name == "slow"


async def test_a_reported_problem_is_unhealthy_with_its_reason_until_it_clears(
    database: Database,
):
    agent = await register_agent(database, DEFAULT_TENANT_ID, "docker-1")
    bystander = await register_agent(database, DEFAULT_TENANT_ID, "local-1")
    monitor = AgentMonitor(database, loop_seconds=60, thresholds=THRESHOLDS)
    await monitor.run_once()
    reason = "The Docker daemon does not answer: Cannot connect to the Docker daemon."
    with database.events.subscribe(ALL_TOPICS) as subscription:
        await heartbeat_agent(database, DEFAULT_TENANT_ID, agent.id, reason)
        await heartbeat_agent(database, DEFAULT_TENANT_ID, bystander.id)
        assert (await monitor.run_once()).unhealthy == 1
        assert (await monitor.run_once()).unhealthy == 0  # still down: no second alert
        async with database.session() as session:
            stored = dict((await session.execute(sa.select(Agent.name, Agent.health))).all())
        assert stored == {"docker-1": "UNHEALTHY", "local-1": "HEALTHY"}
        await heartbeat_agent(database, DEFAULT_TENANT_ID, agent.id)  # back up
        assert (await monitor.run_once()).healthy == 1
        events = []
        while (event := subscription.get_nowait()) is not None:
            if event.kind in ("agent.unhealthy", "agent.healthy"):
                events.append((event.kind, event.data["name"], event.data["problem"]))
    assert events == [
        ("agent.unhealthy", "docker-1", reason),
        ("agent.healthy", "docker-1", None),
    ]


async def test_an_agent_reporting_a_problem_does_not_cover_waiting_runs(database: Database):
    # The run page's "which healthy agent can take this run" counts it out.
    broken = await register_agent(database, DEFAULT_TENANT_ID, "docker-2", labels=["x"])
    await register_agent(database, DEFAULT_TENANT_ID, "local-2", labels=["x"])
    await heartbeat_agent(database, DEFAULT_TENANT_ID, broken.id, "daemon down")
    found = await healthy_agents(database, DEFAULT_TENANT_ID, THRESHOLDS)
    assert [agent.name for agent in found] == ["local-2"]


async def test_the_agents_query_shows_health_labels_and_recent_runs(
    database: Database, registered_flow
):
    app: Starlette = create_app(get_settings(), database=database, background=False)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://proctor.test"
        ) as http,
    ):
        agents = {}
        for name in ("fresh", "late", "gone", "daemonless"):
            agents[name] = await register_agent(
                database, DEFAULT_TENANT_ID, name, labels=["gpu"], version="9.9"
            )
        runs = [
            await create_flow_run(
                database,
                DEFAULT_TENANT_ID,
                flow_id=registered_flow.id,
                parameters={"who": str(i)},
                labels=["gpu"],
            )
            for i in range(3)
        ]
        claimed = await claim_due_runs(
            database, DEFAULT_TENANT_ID, agents["fresh"].id, labels=["gpu"], limit=10
        )
        assert len(claimed) == 3
        now = datetime.now(UTC)
        beat = get_settings().server.services.heartbeat_seconds
        await _set_heartbeat(database, str(agents["late"].id), now - timedelta(seconds=3 * beat))
        await _set_heartbeat(database, str(agents["gone"].id), now - timedelta(seconds=7 * beat))
        beat_with_problem = await http.post(
            "/graphql",
            json={
                "query": "mutation($id: ID!, $p: String) { agentHeartbeat(agentId: $id, "
                "problem: $p) { id } }",
                "variables": {"id": str(agents["daemonless"].id), "p": "Docker daemon is down"},
            },
        )
        assert "errors" not in beat_with_problem.json(), beat_with_problem.json()
        response = await http.post(
            "/graphql",
            json={
                "query": "{ agents { name health problem labels version runsInFlight "
                "recentRuns(first: 2) { id } } }"
            },
        )
    found = {agent["name"]: agent for agent in response.json()["data"]["agents"]}
    assert {name: a["health"] for name, a in found.items()} == {
        "fresh": "HEALTHY",
        "late": "LATE",
        "gone": "UNHEALTHY",
        "daemonless": "UNHEALTHY",
    }
    assert found["daemonless"]["problem"] == "Docker daemon is down"
    assert found["fresh"]["problem"] is None
    assert found["fresh"]["runsInFlight"] == 3 and found["gone"]["runsInFlight"] == 0
    assert found["late"]["labels"] == ["gpu"] and found["late"]["version"] == "9.9"
    newest = sorted(runs, key=lambda run: run.scheduled_start_time, reverse=True)[:2]
    assert [r["id"] for r in found["fresh"]["recentRuns"]] == [str(run.id) for run in newest]
    assert found["gone"]["recentRuns"] == []
