"""What a restart of a finished run would run again, said before it is asked for.

Two things send a task run back to work: `plan_restart` resets what did not succeed and
everything downstream of it; and the run process runs again every success whose value it
cannot read back (no persisted result), because a task after it may need that value.
What remains (successes with a persisted result, skips) is reused. A restart from
chosen tasks adds them (reason `chosen`) and everything downstream of them. The preview groups
task runs by task and reason so that a 10,000-child map is one line, not 10,000.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.models import Flow, TaskRun
from proctor.server.orchestration.states import FINISHED_STATES
from proctor.server.services.plumbing.lookups import find_flow_run
from proctor.server.services.plumbing.validation import as_uuid
from proctor.server.services.restarts import check_task_slugs, plan_restart

Reason = Literal["chosen", "failed", "downstream", "not_persisted"]
SAMPLE_INDEXES = 20


@dataclass(frozen=True, slots=True)
class TaskRunLine:
    """What the preview needs of a task run."""

    task_slug: str
    map_index: int
    state: str
    state_type: str
    result_location: str | None


@dataclass(slots=True)
class RerunGroup:
    """Task runs of one task that run again for one reason; `map_indexes` holds the
    first few mapped children (all of them are counted in `count`)."""

    task_slug: str
    reason: Reason
    count: int = 0
    map_indexes: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RestartPreview:
    restartable: bool
    state: str
    rerun: list[RerunGroup]
    rerun_count: int
    reused_count: int


def _reason(line: TaskRunLine, reset: set[tuple[str, int]], chosen: set[str]) -> Reason | None:
    if line.task_slug in chosen:
        return "chosen"
    if (line.task_slug, line.map_index) in reset:
        # TriggerFailed did not fail by itself: it is downstream of what did.
        own_failure = line.state_type != "Success" and line.state != "TriggerFailed"
        return "failed" if own_failure else "downstream"
    reusable = line.result_location or line.state in ("Skipped", "Mapped")
    if line.state_type == "Success" and not reusable:
        return "not_persisted"
    return None


def preview_restart(
    lines: Iterable[TaskRunLine],
    edges: Iterable[Mapping[str, Any]],
    from_tasks: Iterable[str] = (),
) -> tuple[list[RerunGroup], int, int]:
    """(groups of task runs that run again, how many run again, how many are reused);
    `from_tasks`: a restart from these tasks."""
    runs = list(lines)
    chosen = set(from_tasks)
    keys = [(t.task_slug, t.map_index, t.state_type) for t in runs]
    reset = plan_restart(keys, edges, chosen)
    groups: dict[tuple[str, Reason], RerunGroup] = {}
    rerun = 0
    for line in sorted(runs, key=lambda t: (t.task_slug, t.map_index)):
        reason = _reason(line, reset, chosen)
        if reason is None:
            continue
        rerun += 1
        group = groups.setdefault((line.task_slug, reason), RerunGroup(line.task_slug, reason))
        group.count += 1
        if line.map_index >= 0 and len(group.map_indexes) < SAMPLE_INDEXES:
            group.map_indexes.append(line.map_index)
    return list(groups.values()), rerun, len(runs) - rerun


async def restart_preview(
    db: Database,
    tenant_id: uuid.UUID | str,
    flow_run_id: uuid.UUID | str,
    *,
    from_tasks: Sequence[str] = (),
) -> RestartPreview:
    """What restarting this run (from `from_tasks`, if given) would do now (nothing is
    changed; `InvalidInput` for a task the flow version does not have)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    run_id = as_uuid(flow_run_id, "flow_run_id")
    async with db.session() as session:
        run, _ = await find_flow_run(session, tenant, run_id)
        spec = await session.scalar(sa.select(Flow.spec).where(Flow.id == run.flow_id))
        chosen = check_task_slugs(from_tasks, spec)
        found = await session.execute(
            sa.select(
                TaskRun.task_slug,
                TaskRun.map_index,
                TaskRun.state,
                TaskRun.state_type,
                TaskRun.result_location,
            ).where(TaskRun.flow_run_id == run_id)
        )
        lines = [TaskRunLine(*row) for row in found.all()]
    groups, rerun, reused = preview_restart(lines, (spec or {}).get("edges", []), chosen)
    return RestartPreview(
        restartable=run.state in FINISHED_STATES,
        state=run.state,
        rerun=groups,
        rerun_count=rerun,
        reused_count=reused,
    )


__all__ = ["RerunGroup", "RestartPreview", "TaskRunLine", "preview_restart", "restart_preview"]
