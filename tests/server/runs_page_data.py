"""Runs of several flows, projects and teams, seeded straight into a real database with
known times, for the runs list across flows (API and CLI tests).

Values tie on purpose (names in pairs, scheduled times in threes, start times in fours,
durations of one or two minutes) so keyset pagination is tested where it breaks: rows
equal on the sort value, and rows with no value at all (no start or end yet).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.ids import new_id
from proctor.server.database.models import FlowRun, Tenant
from proctor.server.errors import Conflict
from proctor.server.services.agents import register_agent
from proctor.server.services.flows import register_flow

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
STATES = ["Success", "Failed", "Running", "Scheduled", "TimedOut", "Cancelled"]
FAMILY = {"TimedOut": "Failed"}
FINISHED = {"Success", "Failed", "TimedOut", "Cancelled"}


@dataclass(frozen=True)
class SeededRun:
    id: uuid.UUID
    flow_name: str
    project: str
    name: str
    state: str
    state_type: str
    scheduled: datetime
    start: datetime | None
    end: datetime | None
    labels: tuple[str, ...]
    agent_id: uuid.UUID | None

    @property
    def duration(self) -> float | None:
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True)
class Seeded:
    runs: list[SeededRun]  # the default team's
    other_team_runs: list[uuid.UUID]
    agent_id: uuid.UUID


def _spec(name: str) -> dict[str, Any]:
    from proctor import Flow, task

    @task
    def step() -> int:
        return 1

    with Flow(name) as flow:
        step()
    return flow.serialize()


async def _flows(db: Database, tenant: uuid.UUID) -> dict[tuple[str, str], Any]:
    found = {}
    for project, name in [("alpha", "etl"), ("beta", "report"), ("beta", "etl")]:
        for attempt in range(5):
            try:
                result = await register_flow(db, tenant, project, _spec(name), create_project=True)
                break
            except Conflict:  # a server on the same database was writing: as it says, retry
                if attempt == 4:
                    raise
        found[(project, name)] = result.flow
    return found


def _row(tenant: uuid.UUID, flow: Any, run: SeededRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "tenant_id": tenant,
        "flow_id": flow.id,
        "flow_group_id": flow.flow_group_id,
        "name": run.name,
        "state": run.state,
        "state_type": run.state_type,
        "state_timestamp": run.end or run.start or run.scheduled,
        "version": 1,
        "run_count": 1 if run.start else 0,
        "scheduled_start_time": run.scheduled,
        "start_time": run.start,
        "end_time": run.end,
        "parameters": {},
        "context": {},
        "labels": list(run.labels),
        "agent_id": run.agent_id,
    }


async def seed_runs(
    database_url: str, count: int = 24, t0: datetime = T0, step: timedelta = timedelta(hours=1)
) -> Seeded:
    """`count` runs of three flows (two named etl, in projects alpha and beta) in the
    default team, and two runs in another team; run i is scheduled i // 3 `step`s after
    `t0` and (unless Scheduled) started i // 4 `step`s after it."""
    db = Database(database_url)
    await db.connect()
    try:
        flows = await _flows(db, DEFAULT_TENANT_ID)
        agent = await register_agent(db, DEFAULT_TENANT_ID, "seeded-agent")
        keys = list(flows)
        runs = []
        for i in range(count):
            project, flow_name = keys[i % 3]
            state = STATES[i % len(STATES)]
            start = None if state == "Scheduled" else t0 + step * (i // 4)
            end = start + timedelta(minutes=i % 2 + 1) if start and state in FINISHED else None
            labels = ("gpu",) if i % 2 == 0 else ("cpu",)
            runs.append(
                SeededRun(
                    id=new_id(),
                    flow_name=flow_name,
                    project=project,
                    name=f"nightly-{i // 2}",
                    state=state,
                    state_type=FAMILY.get(state, state),
                    scheduled=t0 + step * (i // 3),
                    start=start,
                    end=end,
                    labels=labels + (("eu",) if i % 4 == 0 else ()),
                    agent_id=agent.id if i % 5 == 0 else None,
                )
            )
        other = await _other_team(db)
        other_flow = (await _flows(db, other))[("alpha", "etl")]
        other_runs = [
            SeededRun(new_id(), "etl", "alpha", f"nightly-{i}", "Scheduled", "Scheduled",
                      t0, None, None, ("gpu",), None)
            for i in range(2)
        ]  # fmt: skip
        async with db.transaction() as session:
            await session.execute(
                sa.insert(FlowRun),
                [_row(DEFAULT_TENANT_ID, flows[(r.project, r.flow_name)], r) for r in runs]
                + [_row(other, other_flow, r) for r in other_runs],
            )
        return Seeded(runs, [r.id for r in other_runs], agent.id)
    finally:
        await db.dispose()


async def _other_team(db: Database) -> uuid.UUID:
    async with db.transaction() as session:
        tenant = Tenant(name="other", slug=f"other-{uuid.uuid4().hex[:6]}", settings={})
        session.add(tenant)
        await session.flush()
        return tenant.id


def _in_direction(items: list[SeededRun], key: Any, descending: bool) -> list[SeededRun]:
    return sorted(items, key=key, reverse=descending)


def expected_order(runs: list[SeededRun], order: str) -> list[uuid.UUID]:
    """The documented order of each `orderBy`, computed here from the seeded values:
    runs with a value first (by value, then id, both in the order's direction), then the
    runs without one (by id, same direction)."""
    descending = order.startswith("-")
    field = order.lstrip("-")
    value = {
        "scheduled_start_time": lambda r: r.scheduled,
        "start_time": lambda r: r.start,
        "end_time": lambda r: r.end,
        "duration": lambda r: r.duration,
        "name": lambda r: r.name,
        "state": lambda r: (r.state_type, r.scheduled),
    }[field]
    valued = [r for r in runs if value(r) is not None]
    unvalued = [r for r in runs if value(r) is None]
    first = _in_direction(valued, lambda r: (value(r), r.id.int), descending)
    rest = _in_direction(unvalued, lambda r: r.id.int, descending)
    return [r.id for r in first + rest]


__all__ = ["T0", "Seeded", "SeededRun", "expected_order", "seed_runs"]
