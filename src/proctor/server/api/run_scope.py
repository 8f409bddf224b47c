"""Resolvers' side of `proctor.server.auth.agent_scope`: the checks that keep an agent's
key to the runs it claimed, called with the request's context before a resolver reads or
writes. For every other role they cost nothing (no query)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry

from proctor.server.api.loaders import ctx
from proctor.server.auth import agent_scope
from proctor.server.auth.agent_scope import Use


async def runs(info: strawberry.Info, flow_run_ids: Iterable[Any], use: Use) -> None:
    context = ctx(info)
    if agent_scope.agent_key(context.principal) is None:
        return
    await agent_scope.check_runs(
        context.db, context.principal, context.tenant_id, flow_run_ids, use
    )


async def run(info: strawberry.Info, flow_run_id: Any, use: Use = "read") -> None:
    await runs(info, [flow_run_id], use)


async def task_runs(info: strawberry.Info, task_run_ids: Iterable[Any]) -> None:
    context = ctx(info)
    if agent_scope.agent_key(context.principal) is None:
        return
    await agent_scope.check_task_runs(
        context.db, context.principal, context.tenant_id, task_run_ids
    )


async def flow(info: strawberry.Info, flow_id: Any) -> None:
    context = ctx(info)
    if agent_scope.agent_key(context.principal) is None:
        return
    await agent_scope.check_flow(context.db, context.principal, context.tenant_id, flow_id)


def refuse(info: strawberry.Info, what: str) -> None:
    agent_scope.refuse_for_agent(ctx(info).principal, what)


async def changes(info: strawberry.Info, items: Iterable[Any]) -> None:
    """State changes: into claimed runs; forced ones (reopening) only into runs that
    have not finished."""
    listed = list(items)
    forced = [item.flow_run_id for item in listed if getattr(item, "force", False)]
    await runs(info, [item.flow_run_id for item in listed], "report")
    await runs(info, forced, "reopen")


__all__ = ["changes", "flow", "refuse", "run", "runs", "task_runs"]
