"""Two server replicas on one PostgreSQL database, each with its own matcher, notifier and
SLA watcher: every event reaches both (NOTIFY), both match it and both watch the SLAs,
and each alert is still delivered exactly once."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

import httpx
import sqlalchemy as sa
from tests.server.alerting.helpers import CREATE, fail_run, move, new_run
from tests.server.alerting.receivers import eventually
from tests.server.api.graphql_results import data_of
from tests.server.conftest import connected

from proctor.server.app import create_app
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import Notification, NotificationAttempt, SlaBreach
from proctor.server.services.alerting.slas import set_flow_sla
from proctor.server.services.flows import register_flow


async def _replica(stack: AsyncExitStack, url: str, settings) -> tuple[Database, httpx.AsyncClient]:
    db = await stack.enter_async_context(connected(url))
    app = create_app(settings, database=db, background=True)
    await stack.enter_async_context(app.router.lifespan_context(app))
    client = await stack.enter_async_context(
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://replica")
    )
    return db, client


async def _count(db: Database, model, *conditions) -> int:
    async with db.session() as session:
        return int(
            await session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))
        )


async def test_two_replicas_alert_once(postgres_url, settings, webhook, smtp, flow_spec):
    async with AsyncExitStack() as stack:
        (db_a, api_a), (db_b, _api_b) = [
            await _replica(stack, postgres_url, settings) for _ in range(2)
        ]
        flow = (
            await register_flow(db_a, DEFAULT_TENANT_ID, "proj", flow_spec(), create_project=True)
        ).flow
        response = await api_a.post(
            "/graphql",
            json={
                "query": CREATE,
                "variables": {
                    "input": {
                        "name": "both",
                        "trigger": {"type": "flow_run_state", "states": ["Failed"]},
                        "actions": [
                            {"type": "webhook", "url": webhook.url + "/run"},
                            {"type": "email", "to": ["ops@example.com"]},
                        ],
                    }
                },
            },
        )
        data_of(response.json())
        second = data_of(
            (
                await api_a.post(
                    "/graphql",
                    json={
                        "query": CREATE,
                        "variables": {
                            "input": {
                                "name": "late",
                                "trigger": {"type": "sla_breach"},
                                "actions": [{"type": "webhook", "url": webhook.url + "/sla"}],
                            }
                        },
                    },
                )
            ).json()
        )["createAutomation"]
        assert second["id"]

        # Five failures written through replica B, one through A.
        runs = [await fail_run(db_b, flow.id) for _ in range(5)] + [await fail_run(db_a, flow.id)]
        # A late run: both SLA watchers see it.
        await set_flow_sla(db_a, DEFAULT_TENANT_ID, flow.id, late_start_seconds=0.5)
        late = await new_run(db_b, flow.id)

        await eventually(
            lambda: len(webhook.to("/run")) >= 6 and len(smtp.messages) >= 6 and webhook.to("/sla"),
            timeout=15,
            what="every alert",
        )
        await asyncio.sleep(2.0)  # many passes of both notifiers and watchers later
        delivered = sorted(r.json()["flow_run"]["id"] for r in webhook.to("/run"))
        assert delivered == sorted(str(run.id) for run in runs)
        assert len(smtp.messages) == 6
        # On a loaded machine a failed run may itself have started more than 0.5 s after
        # its scheduled time: a true breach too. Whatever breached, each alerted once.
        sla_runs = [r.json()["flow_run"]["id"] for r in webhook.to("/sla")]
        assert str(late.id) in sla_runs
        assert len(sla_runs) == len(set(sla_runs))
        breaches = await _count(db_a, SlaBreach)
        assert breaches == len(sla_runs)
        assert await _count(db_a, Notification) == 12 + breaches
        assert await _count(db_a, NotificationAttempt) == 12 + breaches
        assert await _count(db_a, Notification, Notification.status != "delivered") == 0
        # The later states of the same runs alert nobody new.
        await move(db_a, late.id, ("Running", None), ("Success", None))
        await asyncio.sleep(0.5)
        assert len(webhook.to("/run")) == 6
