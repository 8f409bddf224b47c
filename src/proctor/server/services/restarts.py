"""Restarting a finished flow run: re-run what failed and everything downstream of it,
reuse what succeeded; or restart from chosen tasks: they and everything downstream of
them run again too.

`plan_restart` decides which task runs go back to Pending, from the task runs' states and
the flow version's stored edges (a pure function, tested alone); `restart_flow_run`
applies it through the orchestration policy (as an explicit restart: `force`) in one
transaction, with the flow run back to Scheduled (now) so that an agent claims it again.
The run process then finds, for every task run, either a success with its
`result_location` (reused) or Pending (run again).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.models import Flow, FlowRun, TaskRun
from proctor.server.errors import InvalidInput, TransitionRejected
from proctor.server.orchestration import ProposedState
from proctor.server.orchestration.states import FINISHED_STATES
from proctor.server.services.flow_run_states import FlowChange, transition_flow_runs
from proctor.server.services.plumbing import records, rows
from proctor.server.services.plumbing.lookups import find_flow_run
from proctor.server.services.plumbing.validation import as_uuid
from proctor.server.services.task_runs import TaskChange, transition_task_runs

Key = tuple[str, int]


def downstream_of(slugs: Iterable[str], edges: Iterable[Mapping[str, Any]]) -> set[str]:
    """Every task reachable from `slugs` through one edge or more (data or order)."""
    children: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        children[edge["upstream"]].add(edge["downstream"])
    found: set[str] = set()
    frontier = [child for slug in set(slugs) for child in children[slug]]
    while frontier:
        slug = frontier.pop()
        if slug not in found:
            found.add(slug)
            frontier.extend(children[slug])
    return found


def plan_restart(
    task_runs: Iterable[tuple[str, int, str]],
    edges: Iterable[Mapping[str, Any]],
    from_tasks: Iterable[str] = (),
) -> set[Key]:
    """The task runs `(slug, map_index)` a restart sets back to Pending.

    `task_runs` are `(slug, map_index, state family)`. Reset are: every task run that did
    not succeed; every task run of a task downstream of one that did not (its inputs may
    change); and the parent (map_index -1) of a mapped task with a reset child, whose
    state summarises its children. Successful children of a mapped task whose other
    children failed are kept: only the failed ones run again.

    `from_tasks` (a restart from chosen tasks): every task run of those tasks and of
    every task downstream of them is reset too, whatever its state.
    """
    runs = list(task_runs)
    failed = {(slug, index) for slug, index, family in runs if family != "Success"}
    chosen = set(from_tasks)
    downstream = downstream_of({slug for slug, _ in failed} | chosen, edges) | chosen
    reset = failed | {(slug, index) for slug, index, _ in runs if slug in downstream}
    existing = {(slug, index) for slug, index, _ in runs}
    parents = {(slug, -1) for slug, index in reset if index >= 0}
    return reset | (parents & existing)


def check_task_slugs(from_tasks: Iterable[str], spec: Mapping[str, Any] | None) -> list[str]:
    """The chosen slugs, each a task of the flow version (`InvalidInput` names the
    unknown ones and the tasks there are)."""
    chosen = sorted(set(from_tasks))
    known = {node.get("slug") for node in (spec or {}).get("tasks", []) if isinstance(node, dict)}
    unknown = [slug for slug in chosen if slug not in known]
    if unknown:
        listed = ", ".join(sorted(str(slug) for slug in known if slug)[:30])
        raise InvalidInput(
            f"No task {', '.join(unknown[:10])}{' …' if len(unknown) > 10 else ''} in this "
            f"flow version; its tasks: {listed}",
            details={"field": "fromTasks", "unknown": unknown[:100]},
        )
    return chosen


async def restart_flow_run(
    db: Database,
    tenant_id: uuid.UUID | str,
    flow_run_id: uuid.UUID | str,
    *,
    from_tasks: Sequence[str] = (),
) -> records.FlowRun:
    """Restart a finished run (`TransitionRejected` otherwise): task runs chosen by
    `plan_restart` go back to Pending with a fresh run count (their retries start over),
    successful ones keep their state and result location, and the flow run becomes
    Scheduled now, unclaimed, with its Lazarus count reset. `from_tasks`: restart from
    these tasks (they and everything downstream of them run again)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    run_id = as_uuid(flow_run_id, "flow_run_id")
    now = datetime.now(UTC)
    async with db.transaction() as session:
        run, flow_name = await find_flow_run(session, tenant, run_id, lock=True)
        if run.state not in FINISHED_STATES:
            raise TransitionRejected(
                f"Only a finished run can be restarted; this one is {run.state}",
                details={"state": run.state},
            )
        spec = await session.scalar(sa.select(Flow.spec).where(Flow.id == run.flow_id))
        chosen = check_task_slugs(from_tasks, spec)
        found = await session.execute(
            sa.select(TaskRun.task_slug, TaskRun.map_index, TaskRun.state_type).where(
                TaskRun.flow_run_id == run_id
            )
        )
        reset = plan_restart(
            [(slug, index, family) for slug, index, family in found.all()],
            (spec or {}).get("edges", []),
            chosen,
        )
        said = f"Restarted from {', '.join(chosen)}." if chosen else "Restarted."
        state = ProposedState("Scheduled", said, timestamp=now, start_time=now)
        await transition_flow_runs(
            session, db.config, tenant, [FlowChange(run_id, state, None, None, True)]
        )
        await session.execute(
            sa.update(FlowRun)
            .where(FlowRun.id == run_id)
            .values(lazarus_count=0)
            .execution_options(synchronize_session=False)
        )
        if reset:
            pending = ProposedState("Pending", said, timestamp=now, run_count=0)
            await transition_task_runs(
                session,
                db.config,
                tenant,
                [TaskChange(run_id, key, pending, None, True) for key in sorted(reset)],
            )
        await session.refresh(run)
        return rows.flow_run(run, flow_name)


__all__ = ["check_task_slugs", "downstream_of", "plan_restart", "restart_flow_run"]
