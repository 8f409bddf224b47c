"""The dashboard's recent failures: failures as they happened, not runs as they are now.

Read from the flow runs' state history, so a failed run that was restarted (and perhaps
succeeded since) still shows its failure, with the attempt it ended and what caused it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.models import Flow, FlowRun, FlowRunState
from proctor.server.errors import InvalidInput
from proctor.server.services.attempts import attempts_of
from proctor.server.services.failure_summary import FailureSummary, failure_summary
from proctor.server.services.plumbing import records, rows
from proctor.server.services.plumbing.validation import as_uuid

MAX_FAILURES = 100


@dataclass(frozen=True, slots=True)
class RecentFailure:
    flow_run: records.FlowRun  # as it is now
    failed_at: datetime
    state: str
    message: str | None
    attempt: int
    restarted: bool  # the run was restarted after this failure
    summary: FailureSummary


async def recent_failures(
    db: Database, tenant_id: uuid.UUID | str, *, first: int = 8
) -> list[RecentFailure]:
    """The team's last `first` flow-run failures, newest first."""
    tenant = as_uuid(tenant_id, "tenant_id")
    if not isinstance(first, int) or isinstance(first, bool) or not 0 < first <= MAX_FAILURES:
        raise InvalidInput(f"first must be an integer between 1 and {MAX_FAILURES}")
    async with db.session() as session:
        found = await session.execute(
            sa.select(FlowRunState, FlowRun, Flow.name)
            .join(FlowRun, FlowRun.id == FlowRunState.flow_run_id)
            .join(Flow, Flow.id == FlowRun.flow_id)
            .where(FlowRunState.tenant_id == tenant, FlowRunState.state_type == "Failed")
            .order_by(FlowRunState.timestamp.desc(), FlowRunState.version.desc())
            .limit(first)
        )
        failures = []
        for failed, run, flow_name in found.all():
            history = await session.scalars(
                sa.select(FlowRunState)
                .where(FlowRunState.flow_run_id == run.id)
                .order_by(FlowRunState.version, FlowRunState.timestamp)
            )
            attempts = attempts_of(rows.state_record(row) for row in history)
            attempt = next(
                a for a in attempts if a.first_version <= failed.version <= a.last_version
            )
            summary = await failure_summary(
                session, run.id, since=attempt.began, until=failed.timestamp
            )
            failures.append(
                RecentFailure(
                    flow_run=rows.flow_run(run, flow_name),
                    failed_at=failed.timestamp,
                    state=failed.state,
                    message=failed.message,
                    attempt=attempt.number,
                    restarted=attempt.number < len(attempts),
                    summary=summary,
                )
            )
        return failures


__all__ = ["MAX_FAILURES", "RecentFailure", "recent_failures"]
