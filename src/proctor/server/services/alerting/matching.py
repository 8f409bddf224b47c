"""Matching events to automations, and recording what must be delivered.

The matcher (`background.automations.AutomationMatcher`) hands every event it hears to
`handle_event`, which finds the tenant's enabled automations whose trigger it satisfies
and inserts one `notification` row per action. Each row carries a *trigger key* that
names the event (the run and the version it reached, the breach, the agent and its last
heartbeat, ...): the unique (automation, action, trigger key) makes the insert
idempotent, so every replica may match the same event (PostgreSQL feeds each replica's
bus with the others' events) and each action is still delivered once. The insert
publishes `notification.created`, which wakes the notifiers.

Trigger keys:

    flow_run.state:<run id>:<version>          the run entered a state (each version once)
    sla:<breach id>                            a recorded SLA breach
    agent.unhealthy:<agent id>:<last beat>     an agent went silent (again)
    task_failures:<flow group>:<slug>:<run>    the run whose failure completed the streak
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database, record_event
from proctor.server.database.ids import new_id
from proctor.server.database.models import Automation, FlowRun, Notification, SlaBreach, TaskRun
from proctor.server.events import Event
from proctor.server.orchestration.states import FINISHED_FAMILIES
from proctor.server.services.alerting import specs
from proctor.server.services.alerting.context import (
    flow_group_facts,
    flow_run_facts,
    iso,
    scope_of,
)

logger = logging.getLogger("proctor.server.alerting")

#: The event kinds automations can be triggered by.
TRIGGER_EVENTS = frozenset({"flow_run.state", "task_runs.state", "sla.breached", "agent.unhealthy"})
#: Published by automation writes: cached automations of that tenant are reloaded.
CHANGED_EVENT = "automation.changed"
#: Published when notifications were recorded: notifiers wake up.
CREATED_EVENT = "notification.created"


@dataclass(frozen=True, slots=True)
class Candidate:
    """An enabled automation, its trigger parsed."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    trigger: Any
    actions: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Match:
    automation: Candidate
    trigger_key: str
    context: dict[str, Any]


class AutomationCache:
    """The enabled automations of each tenant, reloaded when one changes (on any replica:
    `automation.changed` travels with the other events) and at least every `ttl` s."""

    def __init__(self, db: Database, ttl: float = 30.0) -> None:
        self.db = db
        self.ttl = ttl
        self._loaded: dict[str, tuple[float, list[Candidate]]] = {}

    def invalidate(self, tenant_id: str | None = None) -> None:
        if tenant_id is None:
            self._loaded.clear()
        else:
            self._loaded.pop(str(tenant_id), None)

    async def enabled(self, tenant_id: str) -> list[Candidate]:
        cached = self._loaded.get(tenant_id)
        if cached is not None and time.monotonic() - cached[0] < self.ttl:
            return cached[1]
        async with self.db.session() as session:
            rows = (
                await session.scalars(
                    sa.select(Automation).where(
                        Automation.tenant_id == uuid.UUID(tenant_id), Automation.enabled.is_(True)
                    )
                )
            ).all()
        candidates = []
        for row in rows:
            try:
                trigger = specs.parse_trigger(row.trigger)
            except Exception:  # written by a newer/older server: leave it alone
                logger.warning("automation %s has an unreadable trigger; skipped", row.id)
                continue
            candidates.append(
                Candidate(row.id, row.tenant_id, row.name, trigger, list(row.actions))
            )
        self._loaded[tenant_id] = (time.monotonic(), candidates)
        return candidates


def in_scope(trigger: Any, scope: dict[str, Any] | None) -> bool:
    """Whether the flow an event is about passes the trigger's project/flow/tag filters."""
    if scope is None:
        return not (trigger.project_id or trigger.flow_group_ids or trigger.tags)
    if trigger.project_id is not None and str(trigger.project_id) != scope["project_id"]:
        return False
    if trigger.flow_group_ids and scope["flow_group_id"] not in {
        str(group) for group in trigger.flow_group_ids
    }:
        return False
    return not trigger.tags or bool(set(trigger.tags) & set(scope["labels"]))


def _of_type(candidates: Iterable[Candidate], kind: str) -> list[Candidate]:
    return [candidate for candidate in candidates if candidate.trigger.type == kind]


def _occurred(event: Event) -> str | None:
    return iso(datetime.fromtimestamp(event.occurred, UTC))


async def _flow_run_state(
    session: AsyncSession, event: Event, candidates: list[Candidate]
) -> list[Match]:
    wanted = _of_type(candidates, "flow_run_state")
    if not wanted or event.flow_run_id is None:
        return []
    run_id = uuid.UUID(event.flow_run_id)
    version = event.data.get("version")
    version = version if isinstance(version, int) else None
    state, family = event.data.get("state"), event.data.get("state_type")
    if state is not None:  # decide before reading anything (most states alert nobody)
        wanted = [c for c in wanted if {state, family} & set(c.trigger.states)]
        if not wanted:
            return []
    facts = await flow_run_facts(session, uuid.UUID(event.tenant_id), run_id, version)
    if facts is None:
        return []
    context = {"kind": event.kind, "occurred": _occurred(event), "flow_run": facts}
    key = f"flow_run.state:{run_id}:{facts['version']}"
    return [
        Match(candidate, key, context)
        for candidate in wanted
        if {facts["state"], facts["state_type"]} & set(candidate.trigger.states)
        and in_scope(candidate.trigger, scope_of(context))
    ]


async def _sla_breached(
    session: AsyncSession, event: Event, candidates: list[Candidate]
) -> list[Match]:
    wanted = _of_type(candidates, "sla_breach")
    breach_id = event.data.get("breach_id")
    if not wanted or not breach_id:
        return []
    tenant = uuid.UUID(event.tenant_id)
    breach = await session.scalar(
        sa.select(SlaBreach).where(
            SlaBreach.tenant_id == tenant, SlaBreach.id == uuid.UUID(str(breach_id))
        )
    )
    if breach is None:
        return []
    context: dict[str, Any] = {
        "kind": event.kind,
        "occurred": _occurred(event),
        "sla": {
            "id": str(breach.id),
            "kind": breach.kind,
            "threshold_seconds": breach.threshold_seconds,
            "expected_at": iso(breach.expected_at),
            "message": breach.details.get("message"),
        },
        "flow_group": await flow_group_facts(session, tenant, breach.flow_group_id),
    }
    if breach.flow_run_id is not None:
        context["flow_run"] = await flow_run_facts(session, tenant, breach.flow_run_id)
    key = f"sla:{breach.id}"
    return [
        Match(candidate, key, context)
        for candidate in wanted
        if (not candidate.trigger.kinds or breach.kind in candidate.trigger.kinds)
        and in_scope(candidate.trigger, scope_of(context))
    ]


async def _agent_unhealthy(event: Event, candidates: list[Candidate]) -> list[Match]:
    wanted = _of_type(candidates, "agent_unhealthy")
    agent_id = event.data.get("agent_id")
    if not wanted or not agent_id:
        return []
    name = str(event.data.get("name") or agent_id)
    beat = event.data.get("last_heartbeat")
    context = {
        "kind": event.kind,
        "occurred": _occurred(event),
        "agent": {"id": str(agent_id), "name": name, "last_heartbeat": beat},
    }
    key = f"agent.unhealthy:{agent_id}:{beat}"
    return [
        Match(candidate, key, context)
        for candidate in wanted
        if not candidate.trigger.agent_names or name in candidate.trigger.agent_names
    ]


async def failure_streak(
    session: AsyncSession, flow_group_id: uuid.UUID, task_slug: str, limit: int
) -> list[tuple[uuid.UUID, bool]]:
    """The latest `limit` flow runs of the flow group in which `task_slug` finished, newest
    first, each with whether the task failed there (any of its task runs, mapped children
    included, ended Failed)."""
    failed = sa.func.max(sa.case((TaskRun.state_type == "Failed", 1), else_=0))
    latest = sa.func.max(TaskRun.state_timestamp)
    rows = await session.execute(
        sa.select(TaskRun.flow_run_id, failed, latest)
        .join(FlowRun, FlowRun.id == TaskRun.flow_run_id)
        .where(
            FlowRun.flow_group_id == flow_group_id,
            TaskRun.task_slug == task_slug,
            TaskRun.state_type.in_(sorted(FINISHED_FAMILIES)),
        )
        .group_by(TaskRun.flow_run_id)
        .order_by(latest.desc())
        .limit(limit)
    )
    return [(run_id, bool(was_failed)) for run_id, was_failed, _ in rows.all()]


async def _task_run_failures(
    session: AsyncSession, event: Event, candidates: list[Candidate]
) -> list[Match]:
    wanted = _of_type(candidates, "task_run_failures")
    if not wanted or event.flow_run_id is None:
        return []
    run_id = uuid.UUID(event.flow_run_id)
    slugs = (
        await session.scalars(
            sa.select(TaskRun.task_slug)
            .where(TaskRun.flow_run_id == run_id, TaskRun.state_type == "Failed")
            .distinct()
        )
    ).all()
    if not slugs:
        return []
    facts = await flow_run_facts(session, uuid.UUID(event.tenant_id), run_id)
    if facts is None:
        return []
    group = uuid.UUID(facts["flow_group_id"])
    base = {"kind": "task_run.failures", "occurred": _occurred(event), "flow_run": facts}
    wanted = [c for c in wanted if in_scope(c.trigger, scope_of(base))]
    longest = max((c.trigger.count for c in wanted), default=0)
    matches = []
    for slug in sorted(slugs):
        interested = [c for c in wanted if not c.trigger.task_slugs or slug in c.trigger.task_slugs]
        if not interested:
            continue
        streak = await failure_streak(session, group, slug, longest + 1)
        if not streak or streak[0][0] != run_id:
            continue  # a newer run of this task already finished: not this run's news
        for candidate in interested:
            count = candidate.trigger.count
            # Exactly `count` failures in a row, ended by this run: once per streak.
            if (
                len(streak) >= count
                and all(was_failed for _, was_failed in streak[:count])
                and (len(streak) == count or not streak[count][1])
            ):
                context = {**base, "task": {"slug": slug, "failures": count}}
                matches.append(Match(candidate, f"task_failures:{group}:{slug}:{run_id}", context))
    return matches


async def find_matches(db: Database, event: Event, candidates: list[Candidate]) -> list[Match]:
    """The automations `event` triggers, each with its trigger key and context."""
    if event.kind == "agent.unhealthy":
        return await _agent_unhealthy(event, candidates)
    async with db.session() as session:
        if event.kind == "flow_run.state":
            return await _flow_run_state(session, event, candidates)
        if event.kind == "sla.breached":
            return await _sla_breached(session, event, candidates)
        if event.kind == "task_runs.state":
            return await _task_run_failures(session, event, candidates)
    return []


def notification_rows(
    tenant: uuid.UUID, matches: Iterable[Match], now: datetime, *, test: bool = False
) -> list[dict[str, Any]]:
    """One pending notification per action of each match."""
    rows = []
    for match in matches:
        run = match.context.get("flow_run") or {}
        run_id = run.get("id")
        for index, action in enumerate(match.automation.actions):
            rows.append(
                {
                    "id": new_id(),
                    "tenant_id": tenant,
                    "automation_id": match.automation.id,
                    "automation_name": match.automation.name,
                    "action_index": index,
                    "action_type": action["type"],
                    "trigger_key": match.trigger_key,
                    "event": match.context,
                    "flow_run_id": uuid.UUID(run_id) if run_id and not test else None,
                    "test": test,
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created": now,
                    "updated": now,
                }
            )
    return rows


async def record_notifications(db: Database, tenant: uuid.UUID, matches: list[Match]) -> int:
    """Insert the notifications of `matches` unless they exist; how many were new."""
    rows = notification_rows(tenant, matches, datetime.now(UTC))
    if not rows:
        return 0

    async def work(session: AsyncSession) -> int:
        statement = (
            db.config.insert(cast(sa.Table, Notification.__table__))
            .values(rows)
            .on_conflict_do_nothing(index_elements=["automation_id", "action_index", "trigger_key"])
            .returning(Notification.__table__.c.id)
        )
        inserted = len((await session.execute(statement)).all())
        if inserted:
            record_event(session, Event(CREATED_EVENT, str(tenant), data={"count": inserted}))
        return inserted

    return await db.run_in_transaction(work)


async def handle_event(db: Database, event: Event, cache: AutomationCache) -> int:
    """Match one event and record its notifications; how many were new."""
    if event.kind == CHANGED_EVENT:
        cache.invalidate(event.tenant_id)
        return 0
    if event.kind not in TRIGGER_EVENTS:
        return 0
    candidates = await cache.enabled(event.tenant_id)
    if not candidates:
        return 0
    matches = await find_matches(db, event, candidates)
    if not matches:
        return 0
    return await record_notifications(db, uuid.UUID(event.tenant_id), matches)


__all__ = [
    "CHANGED_EVENT",
    "CREATED_EVENT",
    "TRIGGER_EVENTS",
    "AutomationCache",
    "Candidate",
    "Match",
    "failure_streak",
    "find_matches",
    "handle_event",
    "in_scope",
    "notification_rows",
    "record_notifications",
]
