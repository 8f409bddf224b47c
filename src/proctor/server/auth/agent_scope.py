"""What a key with the `agent` role may touch: the runs its key claimed.

The permission table (`permissions.py`) decides which fields the role may call; this
module decides on which runs. An agent's key (and the run processes it starts, which
report with the same key) may

- read a run it claimed: the run, its context, task runs and states, the flow version
  it runs, its secrets (`secretValue`);
- report into a run it claimed: flow and task run states, task runs, heartbeats,
  concurrency slots, log lines and artifacts. A finished run is closed to it: no `force`
  (the one way out of a finished state) and no new task runs, and log lines and
  artifacts only for `FINISHED_LOG_GRACE` after the run finished, so a process that
  reports its last lines or artifacts after its final state (or after the server was
  briefly away) loses none of them, and a finished run's outputs stop changing then.

Everything else is refused with `FORBIDDEN` and a message that says which run and why.
A run remembers the key that claimed it last (`flow_run.agent_key_id`); claiming again
(after a restart, a re-queue or a retry) hands it to the new claimer's key. Other roles
are not limited by this module.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Literal

import sqlalchemy as sa

from proctor.server.auth.principal import Principal
from proctor.server.database import Database
from proctor.server.database.models import Flow, FlowRun, TaskRun
from proctor.server.database.types import utcnow
from proctor.server.errors import Forbidden, InvalidInput
from proctor.server.orchestration.states import FINISHED_FAMILIES

AGENT_ROLE = "agent"
# At least the run process's own patience with an unreachable server at its end (the
# reporter's exit timeout, 10 minutes by default), plus a margin.
FINISHED_LOG_GRACE = timedelta(minutes=15)

# read: any state. report: states and heartbeats (the state rules refuse changes to a
# finished run). reopen: a forced change or new task runs, never into a finished run.
# logs, artifacts: into a finished run only within the grace.
Use = Literal["read", "report", "reopen", "logs", "artifacts"]


def agent_key(principal: Principal | None) -> uuid.UUID | None:
    """The key whose claims bound `principal`, or None when it is not an agent's.
    An agent principal always comes from a key; without one it may use no run."""
    if principal is None or principal.role != AGENT_ROLE:
        return None
    return principal.api_key_id or uuid.UUID(int=0)


def _ids(values: Iterable[Any], what: str) -> list[uuid.UUID]:
    found: list[uuid.UUID] = []
    for value in values:
        if isinstance(value, uuid.UUID):
            found.append(value)
            continue
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            raise InvalidInput(f"{what} {str(value)[:60]!r} is not a valid id.") from None
    return found


async def check_runs(
    db: Database,
    principal: Principal | None,
    tenant_id: Any,
    flow_run_ids: Iterable[Any],
    use: Use,
) -> None:
    """Refuse (FORBIDDEN) when an agent's key asks to `use` a run it did not claim, or a
    finished one in a way a finished run does not allow. Runs that do not exist (in
    this team) are left to the service, which answers NOT_FOUND as for everyone."""
    key = agent_key(principal)
    if key is None:
        return
    wanted = sorted(set(_ids(flow_run_ids, "flow run")))
    if not wanted:
        return
    async with db.session() as session:
        found = (
            await session.execute(
                sa.select(
                    FlowRun.id, FlowRun.agent_key_id, FlowRun.state_type, FlowRun.state_timestamp
                ).where(FlowRun.tenant_id == tenant_id, FlowRun.id.in_(wanted))
            )
        ).all()
    now = utcnow()
    for run_id, claimed_with, state_type, finished_at in found:
        if claimed_with != key:
            raise Forbidden(
                f"An agent's key may use only the runs it claimed; flow run {run_id} was "
                "not claimed with this key.",
                details={"flow_run_id": str(run_id)},
            )
        if state_type in FINISHED_FAMILIES and _closed(use, finished_at, now):
            raise Forbidden(
                f"Flow run {run_id} has finished ({state_type}): an agent's key may no "
                f"longer {_VERBS[use]} it.",
                details={"flow_run_id": str(run_id)},
            )


_VERBS: dict[Use, str] = {
    "read": "read",
    "report": "report into",
    "reopen": "reopen task runs or add task runs to",
    "logs": "add log lines to",
    "artifacts": "publish artifacts to",
}


def _closed(use: Use, finished_at: datetime, now: datetime) -> bool:
    if use == "reopen":
        return True
    if use in ("logs", "artifacts"):
        return finished_at + FINISHED_LOG_GRACE <= now
    return False


async def check_task_runs(
    db: Database, principal: Principal | None, tenant_id: Any, task_run_ids: Iterable[Any]
) -> None:
    """`check_runs(..., "read")` for the flow runs of these task runs."""
    if agent_key(principal) is None:
        return
    wanted = sorted(set(_ids(task_run_ids, "task run")))
    if not wanted:
        return
    async with db.session() as session:
        runs = (
            await session.scalars(
                sa.select(TaskRun.flow_run_id)
                .where(TaskRun.tenant_id == tenant_id, TaskRun.id.in_(wanted))
                .distinct()
            )
        ).all()
    await check_runs(db, principal, tenant_id, runs, "read")


async def check_flow(
    db: Database, principal: Principal | None, tenant_id: Any, flow_id: Any
) -> None:
    """An agent's key reads a flow version only when it claimed a run of it."""
    key = agent_key(principal)
    if key is None:
        return
    [wanted] = _ids([flow_id], "flow")
    async with db.session() as session:
        exists = await session.scalar(
            sa.select(Flow.id).where(Flow.tenant_id == tenant_id, Flow.id == wanted)
        )
        claimed = await session.scalar(
            sa.select(FlowRun.id)
            .where(
                FlowRun.tenant_id == tenant_id,
                FlowRun.flow_id == wanted,
                FlowRun.agent_key_id == key,
            )
            .limit(1)
        )
    if exists is not None and claimed is None:
        raise Forbidden(
            f"An agent's key may read only the flows of runs it claimed; it claimed no run "
            f"of flow {wanted}.",
            details={"flow_id": str(wanted)},
        )


def refuse_for_agent(principal: Principal | None, what: str) -> None:
    """Refuse a field an agent's key has no use for, though its role reaches it."""
    if agent_key(principal) is not None:
        raise Forbidden(f"An agent's key may not {what}.")


__all__ = [
    "AGENT_ROLE",
    "FINISHED_LOG_GRACE",
    "Use",
    "agent_key",
    "check_flow",
    "check_runs",
    "check_task_runs",
    "refuse_for_agent",
]
