# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""Concurrency limits in the API: read them with their usage, set and delete them, and
the batched `acquireTaskRunSlots` run processes call before starting limited task runs.

    query { concurrencyLimits { kind key limit inUse holders { flowRunName taskSlug } } }
    mutation { setConcurrencyLimit(kind: "task_tag", key: "db", limit: 2) { inUse } }
    mutation { acquireTaskRunSlots(requests: [{flowRunId: "...", taskSlug: "query",
               mapIndex: 3, tags: ["db"]}]) { results { granted code reason } limitedTags } }

`kind` is "flow_label" (flow runs per label, enforced when agents claim runs) or
"task_tag" (task runs per tag). The logic lives in `proctor.server.services.concurrency_limits`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from proctor.server.api import run_scope
from proctor.server.api.errors import ApiError
from proctor.server.api.loaders import ctx
from proctor.server.api.request_limits import check_batch_size
from proctor.server.services import concurrency_limits

_REQUEST_KEYS = {
    "flowRunId": "flow_run_id",
    "taskSlug": "task_slug",
    "mapIndex": "map_index",
    "tags": "tags",
}


@strawberry.type(description="A run holding a slot of a limit.")
class ConcurrencySlotHolder:
    flow_run_id: strawberry.ID
    flow_run_name: str
    task_run_id: strawberry.ID | None = strawberry.field(
        description="Null when the flow run itself holds the slot (a flow_label limit)."
    )
    task_slug: str | None
    map_index: int | None
    state: str = strawberry.field(description="The holder's current state.")
    acquired: datetime

    @classmethod
    def from_record(cls, holder: concurrency_limits.SlotHolder) -> ConcurrencySlotHolder:
        return cls(
            flow_run_id=strawberry.ID(str(holder.flow_run_id)),
            flow_run_name=holder.flow_run_name,
            task_run_id=None
            if holder.task_run_id is None
            else strawberry.ID(str(holder.task_run_id)),
            task_slug=holder.task_slug,
            map_index=holder.map_index,
            state=holder.state,
            acquired=holder.acquired,
        )


@strawberry.type(description="At most `limit` flow runs per label or task runs per tag.")
class ConcurrencyLimit:
    id: strawberry.ID
    kind: str = strawberry.field(description="flow_label or task_tag.")
    key: str = strawberry.field(description="The label (flow_label) or tag (task_tag).")
    limit: int
    in_use: int = strawberry.field(description="Slots held right now.")
    holders: list[ConcurrencySlotHolder] = strawberry.field(
        description=f"Who holds them, oldest first (at most {concurrency_limits.MAX_HOLDERS})."
    )
    created: datetime | None
    updated: datetime | None

    @classmethod
    def from_record(cls, usage: concurrency_limits.LimitUsage) -> ConcurrencyLimit:
        return cls(
            id=strawberry.ID(str(usage.id)),
            kind=usage.kind,
            key=usage.key,
            limit=usage.limit,
            in_use=usage.in_use,
            holders=[ConcurrencySlotHolder.from_record(h) for h in usage.holders],
            created=usage.created,
            updated=usage.updated,
        )


@strawberry.type(description="The answer to one slot request.")
class SlotGrant:
    granted: bool
    task_run_id: strawberry.ID | None
    code: str | None = strawberry.field(
        description="Why not: QUEUED (no free slot: ask again), NOT_FOUND, "
        "TRANSITION_REJECTED (the flow run finished)."
    )
    reason: str | None


@strawberry.type(description="Answers in request order, and the team's limited tags.")
class TaskRunSlots:
    results: list[SlotGrant]
    limited_tags: list[str]


def _requests(items: list[Any]) -> list[dict[str, Any]]:
    found = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ApiError("INVALID_INPUT", f"requests[{index}] must be an object")
        renamed: dict[str, Any] = {}
        for key, value in item.items():
            name = _REQUEST_KEYS.get(key, key if key in _REQUEST_KEYS.values() else None)
            if name is None:
                raise ApiError(
                    "INVALID_INPUT",
                    f"requests[{index}]: unknown field {key!r:.60} (known: "
                    f"{', '.join(_REQUEST_KEYS)})",
                )
            renamed[name] = value
        found.append(renamed)
    return found


@strawberry.type
class ConcurrencyQuery:
    @strawberry.field(description="The team's concurrency limits with their current usage.")
    async def concurrency_limits(
        self, info: strawberry.Info, kind: str | None = None
    ) -> list[ConcurrencyLimit]:
        context = ctx(info)
        found = await concurrency_limits.list_concurrency_limits(
            context.db, context.tenant_id, kind=kind
        )
        return [ConcurrencyLimit.from_record(usage) for usage in found]


@strawberry.type
class ConcurrencyMutation:
    @strawberry.mutation(
        description="Create or change a limit (0 holds everything with the label or tag)."
    )
    async def set_concurrency_limit(
        self, info: strawberry.Info, kind: str, key: str, limit: int
    ) -> ConcurrencyLimit:
        context = ctx(info)
        usage = await concurrency_limits.set_concurrency_limit(
            context.db, context.tenant_id, kind, key, limit
        )
        return ConcurrencyLimit.from_record(usage)

    @strawberry.mutation(description="Remove a limit; false if there was none.")
    async def delete_concurrency_limit(self, info: strawberry.Info, kind: str, key: str) -> bool:
        context = ctx(info)
        return await concurrency_limits.delete_concurrency_limit(
            context.db, context.tenant_id, kind, key
        )

    @strawberry.mutation(
        description="Batched: slots for task runs about to start (each item: flowRunId, "
        "taskSlug, mapIndex, tags). All of a task run's limited tags or none; a refused "
        "one is QUEUED and asked for again later. An empty list returns limitedTags only."
    )
    async def acquire_task_run_slots(
        self, info: strawberry.Info, requests: list[JSON]
    ) -> TaskRunSlots:
        context = ctx(info)
        check_batch_size(requests, context.request_limits)
        parsed = _requests(requests)
        await run_scope.runs(info, (item.get("flow_run_id") for item in parsed), "report")
        answer = await concurrency_limits.acquire_task_run_slots(
            context.db, context.tenant_id, parsed
        )
        return TaskRunSlots(
            results=[
                SlotGrant(
                    granted=grant.granted,
                    task_run_id=None
                    if grant.task_run_id is None
                    else strawberry.ID(str(grant.task_run_id)),
                    code=grant.code,
                    reason=grant.reason,
                )
                for grant in answer.results
            ],
            limited_tags=answer.limited_tags,
        )


__all__ = ["ConcurrencyLimit", "ConcurrencyMutation", "ConcurrencyQuery", "TaskRunSlots"]
