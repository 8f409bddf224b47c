"""Bulk actions on flow runs: cancel, restart or delete a list of runs.

Each run is its own transaction (the single-run service call), so one run that cannot
be changed (unknown, of another team, already finished) does not spoil the others: the
answer lists every id with "ok" or the reason it failed. Ids are scoped to the team like
every other call: another team's run is "not found", exactly as an unknown id is.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from proctor.server.database import Database
from proctor.server.errors import InvalidInput, NotFound, ProctorServerError
from proctor.server.services import flow_runs, restarts
from proctor.server.services.plumbing.validation import as_uuid

BulkAction = Literal["cancel", "restart", "delete"]
MAX_BULK_RUNS = 500


@dataclass(frozen=True, slots=True)
class BulkRunResult:
    """What happened to one run: `ok`, else the error's `code` and `message`."""

    flow_run_id: str
    ok: bool
    state: str | None = None
    code: str | None = None
    message: str | None = None


async def _delete(db: Database, tenant: uuid.UUID, run_id: uuid.UUID) -> Any:
    if not await flow_runs.delete_flow_run(db, tenant, run_id):
        raise NotFound(f"No flow run {run_id}", details={"flow_run_id": str(run_id)})
    return None


_ACTIONS: dict[str, Callable[[Database, uuid.UUID, uuid.UUID], Awaitable[Any]]] = {
    "cancel": flow_runs.cancel_flow_run,
    "restart": restarts.restart_flow_run,
    "delete": _delete,
}


def _unique(ids: Sequence[Any]) -> list[str]:
    if not isinstance(ids, list | tuple) or not ids:
        raise InvalidInput("ids must be a non-empty list of flow run ids", details={"field": "ids"})
    if len(ids) > MAX_BULK_RUNS:
        raise InvalidInput(
            f"{len(ids)} runs in one call; at most {MAX_BULK_RUNS}",
            details={"field": "ids", "limit": MAX_BULK_RUNS},
        )
    return list(dict.fromkeys(str(i) for i in ids))  # each run once, in the order given


async def bulk_run_action(
    db: Database, tenant_id: uuid.UUID | str, action: BulkAction, ids: Sequence[Any]
) -> list[BulkRunResult]:
    """Apply `action` to every run of `ids`, one transaction each; a result per id."""
    tenant = as_uuid(tenant_id, "tenant_id")
    apply = _ACTIONS.get(action)
    if apply is None:
        raise InvalidInput(f"Unknown bulk action {action!r}", details={"field": "action"})
    results = []
    for text in _unique(ids):
        try:
            run_id = as_uuid(text, "flow_run_id")
            record = await apply(db, tenant, run_id)
        except ProctorServerError as error:
            results.append(BulkRunResult(text, False, code=error.code, message=error.message))
            continue
        state = getattr(record, "state", None)
        results.append(BulkRunResult(str(run_id), True, state=state))
    return results


__all__ = ["MAX_BULK_RUNS", "BulkAction", "BulkRunResult", "bulk_run_action"]
