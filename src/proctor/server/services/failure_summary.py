"""Why a run failed: its first failed task runs and their exceptions.

A failure spreads: one task raises, and every task after it ends `TriggerFailed`, as does
the flow run ("reference task(s) failed: write_warehouse"). Saying the last of those is
naming the victim. The summary names the causes instead: the task runs of one attempt
that ended in a failure of their own (any Failed state but TriggerFailed), earliest
first, a mapped child rather than the parent that only reports it (`enrich[137]:
ValueError: bad row`).

It is read from the task runs' state history, not their current rows, so the failure of
an attempt that was since restarted can still be explained.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from proctor.server.database.models import TaskRun, TaskRunState

MAX_CAUSES = 5
VICTIM_STATES = frozenset({"TriggerFailed"})
# "ValueError: ..." or "pkg.errors.BadRow: ..." as the engine writes an exception.
_EXCEPTION = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*): ")


@dataclass(frozen=True, slots=True)
class FailedTaskRun:
    """One cause: a task run that failed by itself."""

    task_slug: str
    map_index: int
    state: str
    exception_type: str | None
    message: str | None
    timestamp: datetime

    @property
    def task_run_name(self) -> str:
        return self.task_slug if self.map_index < 0 else f"{self.task_slug}[{self.map_index}]"

    @property
    def text(self) -> str:
        return f"{self.task_run_name}: {self.message or self.state}"


@dataclass(frozen=True, slots=True)
class FailureSummary:
    causes: list[FailedTaskRun]
    total: int  # task runs that failed by themselves (causes holds the first few)

    @property
    def text(self) -> str | None:
        """One line: the first cause, and how many more there are."""
        if not self.causes:
            return None
        more = self.total - 1
        return self.causes[0].text + (f" (and {more} more failed task runs)" if more else "")


def split_exception(message: str | None) -> tuple[str | None, str | None]:
    """(exception type, message) of a state message the engine wrote for an exception;
    (None, message) for any other message."""
    if not message:
        return None, message
    found = _EXCEPTION.match(message)
    if found is None:
        return None, message
    return found.group(1), message


async def failure_summary(
    session: AsyncSession,
    flow_run_id: uuid.UUID,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = MAX_CAUSES,
) -> FailureSummary:
    """The causes of failure among a flow run's task-run states between `since` and
    `until` (inclusive; one attempt's window), earliest first."""
    child = aliased(TaskRun)
    child_state = aliased(TaskRunState)
    conditions = [
        TaskRun.flow_run_id == flow_run_id,
        TaskRunState.state_type == "Failed",
        TaskRunState.state.not_in(VICTIM_STATES),
    ]
    window = []
    if since is not None:
        window.append(child_state.timestamp >= since)
        conditions.append(TaskRunState.timestamp >= since)
    if until is not None:
        window.append(child_state.timestamp <= until)
        conditions.append(TaskRunState.timestamp <= until)
    # A mapped parent fails because a child did: the child is the cause.
    failed_child = (
        sa.select(child.id)
        .join(child_state, child_state.task_run_id == child.id)
        .where(
            child.flow_run_id == flow_run_id,
            child.task_slug == TaskRun.task_slug,
            child.map_index >= 0,
            child_state.state_type == "Failed",
            *window,
        )
        .exists()
    )
    conditions.append(sa.or_(TaskRun.map_index >= 0, ~failed_child))
    base = sa.select(TaskRun.id).join(TaskRunState, TaskRunState.task_run_id == TaskRun.id)
    rows = await session.execute(
        sa.select(
            TaskRun.task_slug,
            TaskRun.map_index,
            TaskRunState.state,
            TaskRunState.message,
            TaskRunState.timestamp,
        )
        .join(TaskRunState, TaskRunState.task_run_id == TaskRun.id)
        .where(*conditions)
        .order_by(TaskRunState.timestamp, TaskRun.task_slug, TaskRun.map_index)
        .limit(limit)
    )
    causes = []
    for slug, index, state, message, timestamp in rows.all():
        exception_type, text = split_exception(message)
        causes.append(FailedTaskRun(slug, index, state, exception_type, text, timestamp))
    failed = base.where(*conditions).subquery()
    total = await session.scalar(sa.select(sa.func.count(sa.distinct(failed.c.id))))
    return FailureSummary(causes, int(total or 0))


__all__ = ["FailedTaskRun", "FailureSummary", "failure_summary", "split_exception"]
