"""Actions on runs and schedules, through the same services the API uses (and so the
same orchestration rules): start a flow run, cancel the trigger's run, pause a schedule.

A refusal (the run already finished, the flow is gone, parameters no longer fit) is a
permanent failure: retrying would not change the answer. Starting a run is idempotent
per notification (its idempotency key), so a retry after a lost reply creates no
second run.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.models import Flow, FlowGroup
from proctor.server.errors import ProctorServerError
from proctor.server.services import flow_runs, flows
from proctor.server.services.alerting.delivery.base import Delivery, Outcome


def _refused(error: ProctorServerError) -> Outcome:
    return Outcome.failed(f"{error.code}: {error.message}", retryable=False)


def _trigger_run(delivery: Delivery) -> str | None:
    run = delivery.context.get("flow_run") or {}
    return run.get("id")


async def start_flow_run(db: Database, delivery: Delivery) -> Outcome:
    group_id = uuid.UUID(str(delivery.action["flow_group_id"]))
    async with db.session() as session:
        flow_id = await session.scalar(
            sa.select(Flow.id)
            .where(
                Flow.tenant_id == delivery.tenant_id,
                Flow.flow_group_id == group_id,
                Flow.archived.is_(False),
            )
            .order_by(Flow.version.desc())
            .limit(1)
        )
    if flow_id is None:
        return Outcome.failed(
            f"the flow {group_id} has no active version to start", retryable=False
        )
    try:
        run = await flow_runs.create_flow_run(
            db,
            delivery.tenant_id,
            flow_id=flow_id,
            parameters=dict(delivery.action.get("parameters") or {}),
            idempotency_key=f"automation:{delivery.notification_id}",
        )
    except ProctorServerError as error:
        return _refused(error)
    return Outcome.ok(f"started run {run.name} ({run.id})")


async def cancel_flow_run(db: Database, delivery: Delivery) -> Outcome:
    run_id = _trigger_run(delivery)
    if run_id is None:
        return Outcome.failed("the trigger is not about a flow run", retryable=False)
    try:
        run = await flow_runs.cancel_flow_run(db, delivery.tenant_id, run_id)
    except ProctorServerError as error:
        return _refused(error)
    return Outcome.ok(f"run {run.name} is {run.state}")


async def pause_schedule(db: Database, delivery: Delivery) -> Outcome:
    group_id = delivery.action.get("flow_group_id")
    if group_id is None:
        run = delivery.context.get("flow_run") or {}
        group = delivery.context.get("flow_group") or {}
        group_id = run.get("flow_group_id") or group.get("id")
    if group_id is None:
        return Outcome.failed("no flow to pause: the trigger is not about a flow", retryable=False)
    async with db.session() as session:
        exists = await session.scalar(
            sa.select(FlowGroup.id).where(
                FlowGroup.tenant_id == delivery.tenant_id, FlowGroup.id == uuid.UUID(str(group_id))
            )
        )
    if exists is None:
        return Outcome.failed(f"the flow {group_id} no longer exists", retryable=False)
    try:
        group_record = await flows.set_schedule_active(db, delivery.tenant_id, exists, False)
    except ProctorServerError as error:
        return _refused(error)
    return Outcome.ok(f"schedule of {group_record.name} paused")


__all__ = ["cancel_flow_run", "pause_schedule", "start_flow_run"]
