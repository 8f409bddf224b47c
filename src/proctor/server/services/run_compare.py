"""Two flow runs side by side: parameters, and per task its state, duration and result
location in each run, with what differs.

Built for runs of one flow (two days of the same pipeline, a run and its rerun with
other values), but any two runs of a team compare: tasks only one of them has show
with an empty side. A mapped task is summarised by its children's count per state in
each run (a 10,000-child map is one row, read with one grouped query per run), never
child by child.

What "differs" means, per task: the state names differ; one run has a persisted result
and the other has none (two locations are shown side by side but not flagged: each run
usually writes its own); a mapped task's counts per state differ; or the durations
differ by half or more of the shorter one and by at least a second (smaller gaps are
noise of a loaded machine, not news). Parameters differ when their JSON values differ.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database
from proctor.server.database.models import Flow, TaskRun
from proctor.server.services.plumbing import records
from proctor.server.services.plumbing.lookups import find_flow_run
from proctor.server.services.plumbing.rows import flow_run as flow_run_record
from proctor.server.services.plumbing.validation import as_uuid

MIN_DURATION_GAP = 1.0
DURATION_RATIO = 1.5


@dataclass(slots=True)
class TaskSide:
    """One task in one run: its own task run (for a mapped task: the parent's) and, for
    a mapped task, its children's count per state."""

    task_run_id: uuid.UUID | None
    state: str | None
    message: str | None
    start_time: datetime | None
    end_time: datetime | None
    result_location: str | None
    run_count: int
    children: dict[str, int] = field(default_factory=dict)

    @property
    def duration(self) -> float | None:
        if self.start_time is None or self.end_time is None:
            return None
        return (self.end_time - self.start_time).total_seconds()

    @property
    def child_count(self) -> int:
        return sum(self.children.values())


@dataclass(frozen=True, slots=True)
class TaskPair:
    task_slug: str
    mapped: bool
    a: TaskSide | None
    b: TaskSide | None
    differences: list[str]


@dataclass(frozen=True, slots=True)
class ParameterPair:
    name: str
    a: Any
    b: Any
    in_a: bool
    in_b: bool

    @property
    def differs(self) -> bool:
        return self.in_a != self.in_b or self.a != self.b


@dataclass(frozen=True, slots=True)
class RunComparison:
    a: records.FlowRun
    b: records.FlowRun
    same_flow: bool
    same_version: bool
    parameters: list[ParameterPair]
    tasks: list[TaskPair]

    @property
    def differing_tasks(self) -> int:
        return sum(1 for pair in self.tasks if pair.differences)


def durations_differ(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    low, high = sorted((a, b))
    return high - low >= MIN_DURATION_GAP and high >= low * DURATION_RATIO


def task_differences(a: TaskSide | None, b: TaskSide | None) -> list[str]:
    """Which of state, duration, result, children differ (everything when one is missing)."""
    if a is None or b is None:
        return ["missing"]
    found = []
    if a.state != b.state:
        found.append("state")
    if durations_differ(a.duration, b.duration):
        found.append("duration")
    if (a.result_location is None) != (b.result_location is None):
        found.append("result")
    if a.children != b.children:
        found.append("children")
    return found


def compare_parameters(a: dict[str, Any], b: dict[str, Any]) -> list[ParameterPair]:
    names = sorted(set(a) | set(b))
    return [ParameterPair(n, a.get(n), b.get(n), n in a, n in b) for n in names]


def pair_tasks(
    order: Iterable[tuple[str, bool]], a: dict[str, TaskSide], b: dict[str, TaskSide]
) -> list[TaskPair]:
    """One pair per task in `order` (slug, mapped), then any task run neither spec has."""
    seen: set[str] = set()
    pairs = []
    listed = list(order)
    extra = sorted((set(a) | set(b)) - {slug for slug, _ in listed})
    for slug, mapped in [*listed, *((slug, False) for slug in extra)]:
        if slug in seen:
            continue
        seen.add(slug)
        left, right = a.get(slug), b.get(slug)
        is_mapped = mapped or bool((left and left.children) or (right and right.children))
        pairs.append(TaskPair(slug, is_mapped, left, right, task_differences(left, right)))
    return pairs


async def _sides(session: AsyncSession, run_id: uuid.UUID) -> dict[str, TaskSide]:
    own = await session.execute(
        sa.select(
            TaskRun.task_slug,
            TaskRun.id,
            TaskRun.state,
            TaskRun.state_message,
            TaskRun.start_time,
            TaskRun.end_time,
            TaskRun.result_location,
            TaskRun.run_count,
        ).where(TaskRun.flow_run_id == run_id, TaskRun.map_index < 0)
    )
    sides = {row[0]: TaskSide(*row[1:]) for row in own.all()}
    counts = await session.execute(
        sa.select(TaskRun.task_slug, TaskRun.state, sa.func.count())
        .where(TaskRun.flow_run_id == run_id, TaskRun.map_index >= 0)
        .group_by(TaskRun.task_slug, TaskRun.state)
    )
    for slug, state, count in counts.all():
        side = sides.setdefault(slug, TaskSide(None, None, None, None, None, None, 0))
        side.children[state] = int(count)
    return sides


def _task_order(*specs: dict[str, Any] | None) -> tuple[list[tuple[str, bool]], set[str]]:
    """(slug, mapped) of the specs' tasks in their order, and the parameters' slugs
    (compared as parameters, not as tasks)."""
    order: list[tuple[str, bool]] = []
    parameters: set[str] = set()
    for spec in specs:
        for task in (spec or {}).get("tasks", []):
            if isinstance(task, dict) and isinstance(task.get("slug"), str):
                if task.get("is_parameter"):
                    parameters.add(task["slug"])
                else:
                    order.append((task["slug"], bool(task.get("mapped"))))
    return order, parameters


async def compare_flow_runs(
    db: Database, tenant_id: uuid.UUID | str, a_id: uuid.UUID | str, b_id: uuid.UUID | str
) -> RunComparison:
    """Compare two runs of the team (`NotFound` for either one missing)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    first, second = as_uuid(a_id, "a"), as_uuid(b_id, "b")
    async with db.session() as session:
        run_a, name_a = await find_flow_run(session, tenant, first)
        run_b, name_b = await find_flow_run(session, tenant, second)
        specs = await session.execute(
            sa.select(Flow.id, Flow.spec).where(Flow.id.in_({run_a.flow_id, run_b.flow_id}))
        )
        spec_of: dict[uuid.UUID, Any] = {row[0]: row[1] for row in specs.all()}
        sides_a = await _sides(session, first)
        sides_b = await _sides(session, second)
        a, b = flow_run_record(run_a, name_a), flow_run_record(run_b, name_b)
    order, parameters = _task_order(spec_of.get(a.flow_id), spec_of.get(b.flow_id))
    for slug in parameters:
        sides_a.pop(slug, None)
        sides_b.pop(slug, None)
    return RunComparison(
        a=a,
        b=b,
        same_flow=a.flow_group_id == b.flow_group_id,
        same_version=a.flow_id == b.flow_id,
        parameters=compare_parameters(a.parameters, b.parameters),
        tasks=pair_tasks(order, sides_a, sides_b),
    )


__all__ = [
    "ParameterPair",
    "RunComparison",
    "TaskPair",
    "TaskSide",
    "compare_flow_runs",
    "compare_parameters",
    "durations_differ",
    "pair_tasks",
    "task_differences",
]
