# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""Bulk actions on flow runs (the Runs page's selection): `cancelFlowRuns`,
`restartFlowRuns`, `deleteFlowRuns`.

Each answers one `BulkRunResult` per id, in the order given: a run that cannot be changed
does not fail the others (services.run_bulk). The audit log gets the bulk call (from
the `AuditLog` extension, with the number of runs) and one event per run, under the
single-run action's name, so a run's history reads the same however it was cancelled.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import strawberry

from proctor.server.api.loaders import ctx
from proctor.server.services.audit import AuditRecord
from proctor.server.services.audit_writer import writer_for
from proctor.server.services.plumbing.validation import as_uuid
from proctor.server.services.run_bulk import BulkAction, BulkRunResult, bulk_run_action

# The single-run mutation each bulk action stands for, in the audit log, and its own name.
_SINGLE = {"cancel": "cancelFlowRun", "restart": "restartFlowRun", "delete": "deleteFlowRun"}
_BULK = {"cancel": "cancelFlowRuns", "restart": "restartFlowRuns", "delete": "deleteFlowRuns"}


@strawberry.type(name="BulkRunResult", description="What a bulk action did to one run.")
class BulkRunResultType:
    flow_run_id: strawberry.ID
    ok: bool
    state: str | None = strawberry.field(description="The run's state after it (ok ones).")
    code: str | None = strawberry.field(description="Why it failed, e.g. NOT_FOUND.")
    message: str | None

    @classmethod
    def from_record(cls, record: BulkRunResult) -> BulkRunResultType:
        return cls(
            flow_run_id=strawberry.ID(record.flow_run_id),
            ok=record.ok,
            state=record.state,
            code=record.code,
            message=record.message,
        )


async def _run(
    info: strawberry.Info, action: BulkAction, ids: list[strawberry.ID]
) -> list[BulkRunResultType]:
    context = ctx(info)
    tenant = as_uuid(context.tenant_id, "tenant_id")
    results = await bulk_run_action(context.db, tenant, action, list(ids))
    principal = context.principal
    now = datetime.now(UTC)
    await writer_for(context.db).write(
        [
            AuditRecord(
                tenant_id=tenant,
                action=_SINGLE[action],
                occurred=now,
                actor_kind=principal.kind if principal is not None else "anonymous",
                actor_user_id=principal.user_id if principal is not None else None,
                actor_api_key_id=principal.api_key_id if principal is not None else None,
                object_type="flow_run",
                object_id=result.flow_run_id[:100],
                success=result.ok,
                details={"via": _BULK[action], **({"error": result.code} if result.code else {})},
            )
            for result in results
        ]
    )
    return [BulkRunResultType.from_record(result) for result in results]


def _bulk(action: BulkAction, description: str) -> Any:
    """The mutation field of one bulk action (its name is the attribute's)."""

    async def resolve(info: strawberry.Info, ids: list[strawberry.ID]) -> list[BulkRunResultType]:
        return await _run(info, action, ids)

    return strawberry.mutation(resolver=resolve, description=description)


@strawberry.type
class RunBulkMutation:
    cancel_flow_runs: list[BulkRunResultType] = _bulk(
        "cancel",
        "Cancel each run (as cancelFlowRun does), one transaction per run; a result per id: "
        "ok, or why not (NOT_FOUND for unknown ids and other teams' runs).",
    )
    restart_flow_runs: list[BulkRunResultType] = _bulk(
        "restart",
        "Restart each finished run (as restartFlowRun does), one transaction per run; a "
        "result per id.",
    )
    delete_flow_runs: list[BulkRunResultType] = _bulk(
        "delete",
        "Delete each run with its task runs, states and logs, one transaction per run; a "
        "result per id.",
    )


__all__ = ["BulkRunResultType", "RunBulkMutation"]
