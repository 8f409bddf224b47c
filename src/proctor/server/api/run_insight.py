# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""What the API says about a run beyond its row: its attempts, why it failed, whether an
agent can take it, and what a restart would run again.

Kept apart from `types.py`: each answer reads more than the run's row (history, agents,
task runs), so these are resolved only when asked for.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from proctor.server.api.agent_monitoring import health_of
from proctor.server.api.loaders import ctx, flow_run_history, task_run_history
from proctor.server.services import agent_match, attempts, recent_failures, restart_preview
from proctor.server.services.agent_health import Thresholds
from proctor.server.services.failure_summary import FailedTaskRun, failure_summary

if TYPE_CHECKING:
    from proctor.server.api.types import FlowRun
    from proctor.server.services.plumbing import records


@strawberry.type(
    description="One attempt of a run: the first, then one per restart. The run's own "
    "startTime/endTime are the current (last) attempt's."
)
class RunAttempt:
    number: int
    began: datetime = strawberry.field(description="Created, or restarted, at.")
    state: str = strawberry.field(description="The attempt's last state.")
    state_type: str
    message: str | None
    start_time: datetime | None = strawberry.field(description="Its first Running state.")
    end_time: datetime | None = strawberry.field(description="When it finished, if it did.")

    @classmethod
    def from_attempt(cls, attempt: attempts.Attempt) -> RunAttempt:
        return cls(
            number=attempt.number,
            began=attempt.began,
            state=attempt.state,
            state_type=attempt.state_type,
            message=attempt.message,
            start_time=attempt.start_time,
            end_time=attempt.end_time,
        )


async def flow_run_attempts(info: strawberry.Info, flow_run_id: Any) -> list[RunAttempt]:
    history = await flow_run_history(info, flow_run_id)
    return [RunAttempt.from_attempt(a) for a in attempts.attempts_of(history)]


async def task_run_attempts(info: strawberry.Info, task_run_id: Any) -> list[RunAttempt]:
    history = await task_run_history(info, task_run_id)
    return [RunAttempt.from_attempt(a) for a in attempts.attempts_of(history)]


@strawberry.type(description="A task run that failed by itself (not TriggerFailed).")
class FailedTaskRunInfo:
    task_slug: str
    map_index: int
    task_run_name: str = strawberry.field(description="`slug`, or `slug[mapIndex]`.")
    state: str
    exception_type: str | None = strawberry.field(
        description="The exception's class, when the message is one the engine wrote for an "
        "exception (`ValueError: ...`)."
    )
    message: str | None
    timestamp: datetime

    @classmethod
    def from_cause(cls, cause: FailedTaskRun) -> FailedTaskRunInfo:
        return cls(
            task_slug=cause.task_slug,
            map_index=cause.map_index,
            task_run_name=cause.task_run_name,
            state=cause.state,
            exception_type=cause.exception_type,
            message=cause.message,
            timestamp=cause.timestamp,
        )


@strawberry.type(
    description="Why a run failed: its first task runs that failed by themselves, "
    "earliest first, in its current attempt."
)
class FailureSummary:
    causes: list[FailedTaskRunInfo]
    total: int = strawberry.field(description="Task runs that failed by themselves.")
    text: str | None = strawberry.field(
        description="One line, e.g. `enrich[137]: ValueError: bad row (and 2 more failed "
        "task runs)`; null when no task run failed by itself."
    )

    @classmethod
    def from_summary(cls, summary: Any) -> FailureSummary:
        return cls(
            causes=[FailedTaskRunInfo.from_cause(c) for c in summary.causes],
            total=summary.total,
            text=summary.text,
        )


async def flow_run_failure_summary(
    info: strawberry.Info, run: records.FlowRun | Any
) -> FailureSummary | None:
    """Null unless the run is Failed; the window is its current attempt."""
    if run.state_type != "Failed":
        return None
    history = await flow_run_history(info, run.id)
    current = attempts.attempts_of(history)[-1]
    async with ctx(info).db.session() as session:
        summary = await failure_summary(
            session, _uuid(run.id), since=current.began, until=run.end_time
        )
    return FailureSummary.from_summary(summary)


@strawberry.type(
    description="Whether a healthy agent can take a waiting run: one whose labels include "
    "every label of the run."
)
class AgentMatch:
    covered: bool
    healthy_agents: int
    matching_agents: list[str]
    missing_labels: list[str] = strawberry.field(
        description="Labels of the run the closest healthy agent lacks (all of them when no "
        "agent is healthy)."
    )
    closest_agent: str | None
    suggestion: str | None = strawberry.field(
        description="A command that starts an agent able to take the run."
    )


async def flow_run_agent_match(info: strawberry.Info, run: Any) -> AgentMatch | None:
    """Null unless the run waits for an agent (Scheduled or Pending)."""
    if run.state_type not in agent_match.WAITING_FAMILIES:
        return None
    context = ctx(info)
    cached = context.extra.get("healthy_agents")
    if cached is None:
        health_of(info, None)  # fills the request's thresholds
        thresholds: Thresholds = context.extra["agent_thresholds"]
        cached = await agent_match.healthy_agents(context.db, context.tenant_id, thresholds)
        context.extra["healthy_agents"] = cached
    found = agent_match.match_agents(run.labels, cached)
    return AgentMatch(
        covered=found.covered,
        healthy_agents=found.healthy_agents,
        matching_agents=found.matching_agents,
        missing_labels=found.missing_labels,
        closest_agent=found.closest_agent,
        suggestion=found.suggestion,
    )


@strawberry.type(description="Task runs of one task that a restart runs again, for one reason.")
class RerunGroup:
    task_slug: str
    reason: str = strawberry.field(
        description="chosen (a task restarted from), failed (did not succeed), downstream "
        "(after one that did not, or after a chosen one), or not_persisted (succeeded, "
        "but its result was not persisted to be read back)."
    )
    count: int
    map_indexes: list[int] = strawberry.field(description="The first mapped children.")


@strawberry.type(description="What restarting a run would run again (nothing changes).")
class RestartPreview:
    restartable: bool = strawberry.field(description="Only a finished run can be restarted.")
    state: str
    rerun: list[RerunGroup]
    rerun_count: int
    reused_count: int


async def flow_run_restart_preview(
    info: strawberry.Info, flow_run_id: Any, from_tasks: list[str] | None = None
) -> RestartPreview:
    context = ctx(info)
    found = await restart_preview.restart_preview(
        context.db, context.tenant_id, str(flow_run_id), from_tasks=from_tasks or []
    )
    return RestartPreview(
        restartable=found.restartable,
        state=found.state,
        rerun=[
            RerunGroup(
                task_slug=g.task_slug, reason=g.reason, count=g.count, map_indexes=g.map_indexes
            )
            for g in found.rerun
        ],
        rerun_count=found.rerun_count,
        reused_count=found.reused_count,
    )


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


__all__ = [
    "AgentMatch",
    "FailedTaskRunInfo",
    "FailureSummary",
    "RecentFailure",
    "RerunGroup",
    "RestartPreview",
    "RunAttempt",
    "flow_run_agent_match",
    "flow_run_attempts",
    "flow_run_failure_summary",
    "flow_run_restart_preview",
    "task_run_attempts",
]


@strawberry.type(description="A flow-run failure as it happened (the run may have moved on).")
class RecentFailure:
    flow_run: Annotated[FlowRun, strawberry.lazy("proctor.server.api.types")]
    failed_at: datetime
    state: str
    message: str | None = strawberry.field(description="The flow run's own state message.")
    attempt: int
    restarted: bool = strawberry.field(description="The run was restarted after this failure.")
    failure_summary: FailureSummary

    @classmethod
    def from_record(cls, failure: recent_failures.RecentFailure) -> RecentFailure:
        from proctor.server.api.types import FlowRun

        return cls(
            flow_run=FlowRun.from_record(failure.flow_run),
            failed_at=failure.failed_at,
            state=failure.state,
            message=failure.message,
            attempt=failure.attempt,
            restarted=failure.restarted,
            failure_summary=FailureSummary.from_summary(failure.summary),
        )
