"""SLAs: late starts, long runs and missed runs are each recorded once, published, listed by
`slaBreaches`, and set automations off (a late run alerts once; a run that runs too long
is cancelled)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from tests.server.alerting.helpers import create_automation, move, new_run, notifications
from tests.server.alerting.receivers import eventually
from tests.server.api.graphql_results import data_of
from tests.server.scenarios import register, scheduled_spec

from proctor.schedules import IntervalClock
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.events import ALL_TOPICS
from proctor.server.services.alerting.slas import (
    detect_breaches,
    list_sla_breaches,
    set_flow_sla,
)
from proctor.server.services.flow_runs import get_flow_run, list_flow_runs
from proctor.server.services.flows import set_schedule_active
from proctor.server.services.schedules import schedule_key, schedule_runs

SET_SLA = """mutation ($flowId: ID!, $late: Float, $long: Float, $missed: Float) {
  setFlowSla(flowId: $flowId, lateStartSeconds: $late, longRunSeconds: $long,
             missedRunSeconds: $missed) { flowGroupId } }"""
BREACHES = """query ($kind: String, $flowId: ID) { slaBreaches(kind: $kind, flowId: $flowId) {
  nodes { id kind subject flowRunId flowGroupId flowName thresholdSeconds expectedAt
          detected message } totalCount } }"""


def later(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


async def test_a_late_start_alerts_once(database, app, gql, webhook, flow):
    data_of(await gql(SET_SLA, {"flowId": str(flow.id), "late": 1.0}))
    await create_automation(
        gql,
        name="late",
        trigger={"type": "sla_breach", "kinds": ["late_start"]},
        actions=[{"type": "webhook", "url": webhook.url + "/late"}],
    )
    late = await new_run(database, flow.id)  # nobody starts it
    on_time = await new_run(database, flow.id)
    await move(database, on_time.id, ("Running", None))

    await eventually(lambda: webhook.to("/late"), timeout=10, what="the late-start alert")
    await asyncio.sleep(1.5)  # several watcher passes later: still one alert
    [request] = webhook.to("/late")
    payload = request.json()
    assert payload["sla"]["kind"] == "late_start" and payload["sla"]["threshold_seconds"] == 1.0
    assert payload["flow_run"]["id"] == str(late.id)
    assert payload["title"] == f"SLA breach: Run {late.name} of etl started late"
    assert "has not started" in payload["text"]

    [breach] = data_of(await gql(BREACHES, {"kind": "late_start"}))["slaBreaches"]["nodes"]
    assert (breach["flowRunId"], breach["subject"], breach["flowName"]) == (
        str(late.id),
        str(late.id),
        "etl",
    )
    assert breach["flowGroupId"] == str(flow.flow_group_id)
    assert "has not started" in breach["message"]
    assert data_of(await gql(BREACHES, {"kind": "long_run"}))["slaBreaches"]["nodes"] == []


async def test_a_run_that_runs_too_long_is_cancelled(database, app, gql, flow):
    data_of(await gql(SET_SLA, {"flowId": str(flow.id), "long": 1.0}))
    automation = await create_automation(
        gql,
        name="too long",
        trigger={"type": "sla_breach", "kinds": ["long_run"], "project": "proj"},
        actions=[{"type": "cancel_flow_run"}],
    )
    run = await new_run(database, flow.id)
    await move(database, run.id, ("Running", None))

    async def cancelled() -> bool:
        current = await get_flow_run(database, DEFAULT_TENANT_ID, run.id)
        return current.state == "Cancelling"

    async def delivered() -> list[dict]:
        found = await notifications(gql, automationId=automation["id"])
        return found if found and found[0]["status"] != "delivering" else []

    # Deadlines only a hang would reach: the watcher and the delivery take their time
    # on a loaded machine.
    async with asyncio.timeout(60):
        while not await cancelled():
            await asyncio.sleep(0.1)
        while not (found := await delivered()):
            await asyncio.sleep(0.1)
    [done] = found
    assert done["triggerKey"].startswith("sla:") and done["status"] == "delivered"


async def test_each_breach_is_recorded_and_published_once(database: Database, tenant_id):
    """The watcher's rules, travelling in time (no app: passes are called by hand)."""
    clock = IntervalClock(timedelta(minutes=10), start_date=later(-3900))  # 5 min off :00
    flow = await register(database, scheduled_spec(clocks=[clock]))
    await set_schedule_active(database, tenant_id, flow.id, False)
    events = database.events.subscribe(ALL_TOPICS)

    # Late start: a run still waiting, and one that started 60 s after its time.
    await set_flow_sla(database, tenant_id, flow.id, late_start_seconds=10)
    waiting = await new_run(database, flow.id, {}, scheduled_start_time=later(0))
    slow = await new_run(database, flow.id, {}, scheduled_start_time=later(-60))
    await move(database, slow.id, ("Running", None))
    prompt = await new_run(database, flow.id, {}, scheduled_start_time=later(-2))
    await move(database, prompt.id, ("Running", None))
    report = await detect_breaches(database, now=later(5))  # slow already started late
    assert [(b["kind"], b["subject"]) for b in report.breaches] == [("late_start", str(slow.id))]
    report = await detect_breaches(database, now=later(20))  # waiting is 20 s late now
    assert [(b["kind"], b["subject"]) for b in report.breaches] == [("late_start", str(waiting.id))]
    assert (await detect_breaches(database, now=later(30))).breaches == []  # once

    # Long run: the runs that are Running for more than 120 s.
    await set_flow_sla(database, tenant_id, flow.id, long_run_seconds=120)
    assert (await detect_breaches(database, now=later(60))).breaches == []
    report = await detect_breaches(database, now=later(200))
    assert sorted(b["subject"] for b in report.breaches) == sorted([str(slow.id), str(prompt.id)])
    assert all(b["kind"] == "long_run" for b in report.breaches)
    await move(database, prompt.id, ("Success", None))
    assert (await detect_breaches(database, now=later(300))).breaches == []

    # Missed runs: times of the active schedule after the SLA was set without a run that
    # started within 60 s of them.
    await set_schedule_active(database, tenant_id, flow.id, True)
    sla = await set_flow_sla(database, tenant_id, flow.id, missed_run_seconds=60)
    await schedule_runs(database, max_runs=5, horizon_seconds=3600)
    runs = (
        await list_flow_runs(database, tenant_id, order_by="scheduled_start_time", first=100)
    ).items
    planned = [run for run in runs if run.auto_scheduled]
    first, second = planned[0], planned[1]
    await move(database, first.id, ("Running", None))  # started early: fine
    after_second = second.scheduled_start_time + timedelta(seconds=61)
    report = await detect_breaches(database, now=after_second)
    assert [(b["kind"], b["subject"]) for b in report.breaches] == [
        ("missed_run", schedule_key(second.scheduled_start_time))
    ]
    assert report.breaches[0]["flow_run_id"] is None
    assert second.scheduled_start_time > sla.updated
    assert (await detect_breaches(database, now=after_second)).breaches == []

    published = []
    while (event := events.get_nowait()) is not None:
        if event.kind == "sla.breached":
            published.append(event.data["kind"])
    events.close()
    assert sorted(published) == ["late_start", "late_start", "long_run", "long_run", "missed_run"]
    listed = (await list_sla_breaches(database, tenant_id, first=100)).items
    assert len(listed) == 5 and {b.flow_name for b in listed} == {"nightly"}
