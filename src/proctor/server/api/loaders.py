"""Reads that output types need beyond their own record, one service call each.

`info.context` carries the database and the tenant; these helpers unpack it so that the
fields in `types.py` stay one line long and never touch a session themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from proctor.server.services import flow_runs, flows, task_run_views
from proctor.server.services import task_runs as task_run_service

if TYPE_CHECKING:
    import strawberry

    from proctor.server.api.context import ApiContext
    from proctor.server.services.plumbing import records


def ctx(info: strawberry.Info) -> ApiContext:
    context: ApiContext = info.context
    return context


def paging(first: int | None, after: str | None, info: Any = None) -> dict[str, Any]:
    """`first`/`after` as service keywords (absent ones keep the service's default).

    With `info`, also `count`: whether the query selected `totalCount`. Counting every
    matching row is the most expensive part of a page on a large table, so it is done
    only when asked for.
    """
    found: dict[str, Any] = {"after": after}
    if first is not None:
        found["first"] = first
    if info is not None:
        found["count"] = any(
            selection.name == "totalCount"
            for field in info.selected_fields
            for selection in getattr(field, "selections", ())
        )
    return found


async def flow_detail(info: strawberry.Info, flow_id: Any) -> records.FlowVersion:
    """A flow version with tasks, edges and spec, read once per operation."""
    context = ctx(info)
    cache: dict[str, Any] = context.extra.setdefault("flows", {})
    key = str(flow_id)
    if key not in cache:
        cache[key] = await flows.get_flow(context.db, context.tenant_id, key)
    found: records.FlowVersion = cache[key]
    return found


async def flow_versions(info: strawberry.Info, flow: Any) -> list[records.FlowVersion]:
    """Every version of `flow`'s flow group, newest first."""
    context = ctx(info)
    page = await flows.list_flows(
        context.db,
        context.tenant_id,
        project=flow.project_name,
        name=flow.name,
        include_archived=True,
        order_by="-created",
        first=context.request_limits.max_page_size,
    )
    return sorted(page.items, key=lambda version: -version.version)


async def flow_run_history(info: strawberry.Info, flow_run_id: Any) -> list[records.StateRecord]:
    context = ctx(info)
    return await flow_runs.list_flow_run_states(context.db, context.tenant_id, str(flow_run_id))


async def task_run_history(info: strawberry.Info, task_run_id: Any) -> list[records.StateRecord]:
    context = ctx(info)
    return await flow_runs.list_task_run_states(context.db, context.tenant_id, str(task_run_id))


async def task_runs(
    info: strawberry.Info,
    flow_run_id: Any,
    *,
    task_slug: str | None,
    states: list[str] | None,
    map_index: int | None,
    first: int | None,
    after: str | None,
    order_by: str = "task_slug",
) -> records.Page[records.TaskRun]:
    context = ctx(info)
    return await task_run_service.list_task_runs(
        context.db,
        context.tenant_id,
        str(flow_run_id),
        task_slug=task_slug,
        states=states,
        map_index=map_index,
        order_by=order_by,
        **paging(first, after, info),
    )


async def flow_run(info: strawberry.Info, flow_run_id: Any) -> records.FlowRun:
    """A flow run, read once per operation."""
    context = ctx(info)
    cache: dict[str, Any] = context.extra.setdefault("flow_runs", {})
    key = str(flow_run_id)
    if key not in cache:
        cache[key] = await flow_runs.get_flow_run(context.db, context.tenant_id, key)
    found: records.FlowRun = cache[key]
    return found


async def flow_of_run(info: strawberry.Info, flow_run_id: Any) -> records.FlowVersion:
    """The flow version (with tasks and edges) a flow run runs."""
    return await flow_detail(info, (await flow_run(info, flow_run_id)).flow_id)


async def task_run_summary(
    info: strawberry.Info, flow_run_id: Any
) -> list[task_run_views.TaskSummary]:
    context = ctx(info)
    return await task_run_views.task_run_summary(context.db, context.tenant_id, str(flow_run_id))


async def task_run_rows(
    info: strawberry.Info,
    flow_run_id: Any,
    *,
    first: int | None,
    after: str | None,
    task_slug: str | None = None,
    mapped: bool = False,
) -> records.Page[list[Any]]:
    context = ctx(info)
    return await task_run_views.task_run_rows(
        context.db,
        context.tenant_id,
        str(flow_run_id),
        first=first,
        after=after,
        task_slug=task_slug,
        mapped=mapped,
    )


async def runs_by_state(db: Any, tenant_id: Any) -> dict[str, int]:
    """Flow runs by state family, all time, for `/metrics` (one grouped query)."""
    from datetime import UTC, datetime

    from proctor.server.services import dashboard

    buckets = await dashboard.run_counts(
        db, tenant_id, since=datetime(1970, 1, 1, tzinfo=UTC), bucket_seconds=2**31 - 1
    )
    counts: dict[str, int] = {}
    for bucket in buckets:
        counts[bucket["state"]] = counts.get(bucket["state"], 0) + bucket["count"]
    return counts


__all__ = [
    "ctx",
    "flow_detail",
    "flow_of_run",
    "flow_run",
    "flow_run_history",
    "flow_versions",
    "paging",
    "runs_by_state",
    "task_run_history",
    "task_run_rows",
    "task_run_summary",
    "task_runs",
]
