"""Claiming flow runs with a long-poll: an agent asks once and is answered as soon as a
run it may take becomes due, instead of polling every few seconds.

    claimed = await claim_flow_runs(db, tenant, agent_id, labels=["gpu"], wait_seconds=20)

The claim itself is `agents.claim_due_runs` (atomic, exactly once across agents and
server replicas). When nothing is due, the request waits on the event bus for a run that
may have become due (created, re-scheduled, retried, re-queued: every such change is a
`flow_run.created` or a `flow_run.state` event into the Scheduled family, from this
replica or, on PostgreSQL, from any other) or until the next known start time, whichever
comes first, and tries again. It subscribes *before* the first attempt, so a run created
between an empty attempt and the wait still wakes it.
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.models import Agent, FlowRun
from proctor.server.errors import InvalidInput, NotFound
from proctor.server.events import Event, Subscription, tenant_topic
from proctor.server.services.agents import claim_due_runs, due_runs
from proctor.server.services.concurrency_limits import has_label_limits
from proctor.server.services.concurrency_slots import HOLDING_FLOW_STATES
from proctor.server.services.plumbing import records
from proctor.server.services.plumbing.validation import as_uuid, string_list

#: Longest single wait on the bus: also how quickly a draining server is noticed.
_TICK = 0.5
#: Woken this long after a run's start time, so the claim's `now` has passed it.
_LATE = 0.005
#: A run that is due but was not claimed is being claimed by someone else right now
#: (its row is locked): look again shortly, without spinning.
_BUSY = 0.05
#: ... or it waits for a slot of a flow-label concurrency limit: the event of a run
#: giving one back wakes the claim; this is only the longest wait without one.
_LIMITED = 1.0


def may_be_due(event: Event) -> bool:
    """Whether `event` may have made a run claimable (agents wake up for it)."""
    if event.kind == "flow_run.created":
        return True
    return event.kind == "flow_run.state" and event.data.get("state_type") == "Scheduled"


def may_free_a_slot(event: Event) -> bool:
    """Whether `event` may have let a run held back by a flow-label limit start: a run
    stopped holding its slots, or a limit changed (claims under limits wake for it)."""
    if event.kind.startswith("concurrency_limit."):
        return True
    return event.kind == "flow_run.state" and (
        event.data.get("state_type") not in HOLDING_FLOW_STATES
    )


async def next_start_time(db: Database, tenant: uuid.UUID, labels: list[str]) -> datetime | None:
    """The earliest start time of a run these labels cover (past or future), or None."""
    async with db.session() as session:
        found = await session.scalar(
            sa.select(sa.func.min(FlowRun.scheduled_start_time)).where(due_runs(db, tenant, labels))
        )
    if found is not None and found.tzinfo is None:
        found = found.replace(tzinfo=UTC)
    return found


async def _agent_labels(db: Database, tenant: uuid.UUID, agent_id: uuid.UUID) -> list[str]:
    async with db.session() as session:
        labels = await session.scalar(
            sa.select(Agent.labels).where(Agent.tenant_id == tenant, Agent.id == agent_id)
        )
    if labels is None:
        raise NotFound(f"No agent {agent_id}", details={"agent_id": str(agent_id)})
    return list(labels)


def _wait_arg(wait_seconds: float, max_wait: float) -> float:
    if (
        not isinstance(wait_seconds, int | float)
        or isinstance(wait_seconds, bool)
        or not math.isfinite(wait_seconds)
        or wait_seconds < 0
    ):
        raise InvalidInput("wait_seconds must be a number of seconds, 0 or more")
    return min(float(wait_seconds), max_wait)


async def _wait_for_due(
    subscription: Subscription,
    timeout: float,
    stopping: asyncio.Event | None,
    wake: Callable[[Event], bool] = may_be_due,
) -> None:
    """Return when an event may have made a run due (`wake`), `timeout` passed, or the
    server is stopping (checked every `_TICK` seconds)."""
    deadline = time.monotonic() + timeout
    while (remaining := deadline - time.monotonic()) > 0:
        if stopping is not None and stopping.is_set():
            return
        event = await subscription.get(min(remaining, _TICK))
        if event is not None and wake(event):
            return


def _due_or_free(event: Event) -> bool:
    return may_be_due(event) or may_free_a_slot(event)


async def claim_flow_runs(
    db: Database,
    tenant_id: uuid.UUID | str,
    agent_id: uuid.UUID | str,
    *,
    labels: list[str] | None = None,
    limit: int = 1,
    wait_seconds: float = 0.0,
    max_wait: float = 30.0,
    stopping: asyncio.Event | None = None,
    claimed_with: uuid.UUID | None = None,
) -> list[records.FlowRun]:
    """Claim up to `limit` due runs for the agent; when none is due, wait up to
    `wait_seconds` (capped at `max_wait`) for one and claim it. An empty list means
    nothing became due in time (or the server is shutting down: `stopping` is set).
    `claimed_with`: the API key of the request, remembered on each run claimed."""
    tenant = as_uuid(tenant_id, "tenant_id")
    agent = as_uuid(agent_id, "agent_id")
    wait = _wait_arg(wait_seconds, max_wait)
    covered = string_list(labels, "labels") if labels is not None else None
    if wait == 0:
        return await claim_due_runs(
            db, tenant, agent, labels=covered, limit=limit, claimed_with=claimed_with
        )
    if covered is None:
        covered = await _agent_labels(db, tenant, agent)
    deadline = time.monotonic() + wait
    limited = await has_label_limits(db, tenant, covered)
    with db.events.subscribe(tenant_topic(tenant), maxsize=64) as subscription:
        while True:
            claimed = await claim_due_runs(
                db, tenant, agent, labels=covered, limit=limit, claimed_with=claimed_with
            )
            remaining = deadline - time.monotonic()
            if claimed or remaining <= 0 or (stopping is not None and stopping.is_set()):
                return claimed
            upcoming = await next_start_time(db, tenant, covered)
            if upcoming is not None:
                until = (upcoming - datetime.now(UTC)).total_seconds()
                if until > 0:
                    remaining = min(remaining, until + _LATE)
                else:  # due, not claimed: a full label limit, or another claimer
                    remaining = min(remaining, _LIMITED if limited else _BUSY)
            await _wait_for_due(
                subscription, remaining, stopping, _due_or_free if limited else may_be_due
            )


__all__ = ["claim_flow_runs", "may_be_due", "may_free_a_slot", "next_start_time"]
