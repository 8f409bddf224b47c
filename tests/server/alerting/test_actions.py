"""Run actions act, through the same rules as the API: a failed run starts another run
(once, with the configured parameters), a run that starts gets cancelled, a failure
pauses the flow's schedule. Plus the other triggers: an unhealthy agent, and a task that
fails N times in a row."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from tests.server.alerting.helpers import create_automation, fail_run, move, new_run, notifications
from tests.server.alerting.receivers import eventually
from tests.server.scenarios import register, scheduled_spec

from proctor.server.database import DEFAULT_TENANT_ID
from proctor.server.database.models import FlowGroup, Notification
from proctor.server.events import Event
from proctor.server.services.alerting import automations
from proctor.server.services.alerting.matching import AutomationCache, handle_event
from proctor.server.services.flow_runs import create_flow_run, get_flow_run, list_flow_runs
from proctor.server.services.flows import register_flow
from proctor.server.services.task_runs import set_task_run_states


async def _delivered(gql, automation_id: str, count: int = 1) -> list[dict]:
    found: list[dict] = []
    for _ in range(600):
        found = await notifications(gql, automationId=automation_id)
        if len(found) >= count and all(n["status"] in ("delivered", "failed") for n in found):
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"not delivered: {found}")


async def test_a_failed_run_starts_another_run_once(database, app, gql, flow):
    automation = await create_automation(
        gql,
        name="run the fallback",
        trigger={"type": "flow_run_state", "states": ["Failed"]},
        actions=[
            {"type": "start_flow_run", "flowGroupId": str(flow.id), "parameters": {"who": "fb"}}
        ],
    )
    failed = await fail_run(database, flow.id)
    [done] = await _delivered(gql, automation["id"])
    assert done["status"] == "delivered", done
    assert done["attempts"][0]["detail"].startswith("started run ")
    runs = (await list_flow_runs(database, DEFAULT_TENANT_ID, first=50)).items
    started = [run for run in runs if run.id != failed.id]
    assert len(started) == 1
    assert started[0].parameters == {"who": "fb", "n": 3}
    assert started[0].idempotency_key == f"automation:{done['id']}"
    assert started[0].state == "Scheduled"


async def test_a_run_that_starts_is_cancelled(database, app, gql, flow):
    automation = await create_automation(
        gql,
        name="no runs today",
        trigger={"type": "flow_run_state", "states": ["Running"]},
        actions=[{"type": "cancel_flow_run"}],
    )
    run = await new_run(database, flow.id)
    await move(database, run.id, ("Running", None))
    [done] = await _delivered(gql, automation["id"])
    assert done["status"] == "delivered" and "Cancelling" in done["attempts"][0]["detail"]
    assert (await get_flow_run(database, DEFAULT_TENANT_ID, run.id)).state == "Cancelling"


async def test_a_failure_pauses_the_schedule(database, app, gql):
    flow = await register(database, scheduled_spec(every=timedelta(hours=1)))
    async with database.session() as session:
        group = await session.get_one(FlowGroup, flow.flow_group_id)
        assert group.schedule_active is True
    automation = await create_automation(
        gql,
        name="stop on failure",
        trigger={"type": "flow_run_state", "states": ["Failed"], "flowGroupIds": [str(flow.id)]},
        actions=[{"type": "pause_schedule"}],
    )
    run = await create_flow_run(database, DEFAULT_TENANT_ID, flow_id=flow.id)
    await move(database, run.id, ("Running", None), ("Failed", "no"))
    [done] = await _delivered(gql, automation["id"])
    assert done["status"] == "delivered", done
    async with database.session() as session:
        group = await session.get_one(FlowGroup, flow.flow_group_id, populate_existing=True)
        assert group.schedule_active is False


async def test_automations_filter_by_project_flow_and_tag(database, app, gql, webhook, flow_spec):
    etl = (
        await register_flow(
            database,
            DEFAULT_TENANT_ID,
            "proj",
            flow_spec("etl", labels=("nightly",)),
            create_project=True,
        )
    ).flow
    other = (
        await register_flow(
            database, DEFAULT_TENANT_ID, "elsewhere", flow_spec("report"), create_project=True
        )
    ).flow
    filters = {
        "/p": {"states": ["Failed"], "project": "elsewhere"},
        "/t": {"states": ["Failed"], "tags": ["nightly"]},
        "/f": {"states": ["Success", "Failed"], "flowGroupIds": [str(other.id)]},
    }
    for path, trigger in filters.items():
        await create_automation(
            gql,
            name=path,
            trigger={"type": "flow_run_state", **trigger},
            actions=[{"type": "webhook", "url": webhook.url + path}],
        )
    await fail_run(database, etl.id)
    await fail_run(database, other.id)
    done = await new_run(database, other.id)
    await move(database, done.id, ("Running", None), ("Success", None))
    await eventually(
        lambda: len(webhook.to("/p")) == 1 and webhook.to("/t") and len(webhook.to("/f")) == 2,
        what="the three automations",
    )
    await asyncio.sleep(0.8)
    assert [r.json()["flow_run"]["flow"] for r in webhook.to("/p")] == ["report"]
    assert [r.json()["flow_run"]["flow"] for r in webhook.to("/t")] == ["etl"]
    assert sorted(r.json()["flow_run"]["state"] for r in webhook.to("/f")) == [
        "Failed",
        "Success",
    ]


async def test_an_unhealthy_agent_alerts(database, app, gql, webhook):
    await create_automation(
        gql,
        name="agents",
        trigger={"type": "agent_unhealthy", "agentNames": ["box-1"]},
        actions=[{"type": "webhook", "url": webhook.url + "/agents", "message": "{title}"}],
    )
    beat = datetime(2030, 1, 1, tzinfo=UTC).isoformat()
    tenant = str(DEFAULT_TENANT_ID)
    for name in ("box-1", "box-2", "box-1"):  # box-2 is not watched; box-1 twice: once
        database.events.publish(
            Event(
                "agent.unhealthy",
                tenant,
                data={"agent_id": name, "name": name, "last_heartbeat": beat},
            )
        )
    await eventually(lambda: webhook.to("/agents"), what="the agent alert")
    await asyncio.sleep(0.8)
    [request] = webhook.to("/agents")
    payload = request.json()
    assert payload["text"] == "Agent box-1 is unhealthy"
    assert payload["agent"] == {"id": "box-1", "name": "box-1", "last_heartbeat": beat}


async def _task_fails(db, flow_id, slug: str, failed: bool):
    run = await new_run(db, flow_id)
    await move(db, run.id, ("Running", None))
    await set_task_run_states(
        db,
        DEFAULT_TENANT_ID,
        [
            {"flow_run_id": run.id, "task_slug": slug, "state": {"type": "Running"}},
            {
                "flow_run_id": run.id,
                "task_slug": slug,
                "state": {"type": "Failed" if failed else "Success"},
            },
        ],
    )
    return run


async def test_a_task_failing_n_times_in_a_row_alerts_once_per_streak(database, flow):
    """No app here: each report's event is matched by hand, as the matcher would."""
    automation = await automations.create_automation(
        database,
        DEFAULT_TENANT_ID,
        name="flaky total",
        trigger={"type": "task_run_failures", "count": 2, "task_slugs": ["total"]},
        actions=[{"type": "webhook", "url": "https://hooks.example/x"}],
    )
    cache = AutomationCache(database)
    tenant = str(DEFAULT_TENANT_ID)

    async def report(failed: bool, slug: str = "total") -> int:
        run = await _task_fails(database, flow.id, slug, failed)
        event = Event("task_runs.state", tenant, flow_run_id=str(run.id), data={"accepted": 2})
        return await handle_event(database, event, cache) + await handle_event(
            database,
            event,
            cache,  # the same event twice (a second replica): no new row
        )

    assert await report(True) == 0  # 1 in a row
    assert await report(True) == 1  # 2 in a row: alert
    assert await report(True) == 0  # 3 in a row: same streak
    assert await report(True, slug="inc") == 0  # another task
    assert await report(False) == 0  # success resets
    assert await report(True) == 0
    assert await report(True) == 1  # a new streak of 2
    async with database.session() as session:
        keys = (
            await session.scalars(
                sa.select(Notification.trigger_key).where(
                    Notification.automation_id == automation.id
                )
            )
        ).all()
    assert len(keys) == 2 and all(key.startswith("task_failures:") for key in keys)
