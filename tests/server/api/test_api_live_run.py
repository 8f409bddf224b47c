"""The `flowRun` subscription as the run page uses it (`taskRuns: false`): a first message
with the run and no task runs, then only the task runs that change after it; and the
default, whose first message carries the task runs. The schema runs in process on both
databases (the websocket itself is covered in tests/client)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tests.server.api.graphql_results import data_of

from proctor.server.api import build_schema
from proctor.server.api.context import ApiContext
from proctor.server.api.request_limit_values import RequestLimits
from proctor.server.auth.principal import Principal
from proctor.server.database import DEFAULT_TENANT_ID, Database

LIVE = """subscription ($id: ID!, $taskRuns: Boolean!) {
  flowRun(id: $id, taskRuns: $taskRuns) {
    kind
    flowRun { id state version }
    taskRuns { taskSlug mapIndex state version }
  }
}"""
SET_TASK_STATES = """mutation ($changes: [JSON!]!) {
  setTaskRunStates(changes: $changes) { accepted }
}"""
START = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
CHILDREN = 5


def _change(run_id: str, slug: str, index: int, state: str, seconds: float) -> dict[str, Any]:
    return {
        "flowRunId": run_id,
        "taskSlug": slug,
        "mapIndex": index,
        "state": {"type": state, "timestamp": (START + timedelta(seconds=seconds)).isoformat()},
    }


async def _set(gql: Any, changes: list[dict[str, Any]]) -> None:
    results = data_of(await gql(SET_TASK_STATES, {"changes": changes}))["setTaskRunStates"]
    assert all(result["accepted"] for result in results), results


@pytest.fixture
async def run(gql: Any, flow_spec: Any) -> str:
    """A run of `flow_spec()` with CHILDREN mapped `inc` children and two parents."""
    flow = data_of(
        await gql(
            "mutation ($input: RegisterFlowInput!) { registerFlow(input: $input) { flow { id } } }",
            {"input": {"project": "proj", "spec": flow_spec(), "createProject": True}},
        )
    )["registerFlow"]["flow"]
    run_id: str = data_of(
        await gql(
            "mutation ($input: CreateFlowRunInput!) { createFlowRun(input: $input) { id } }",
            {"input": {"flowId": flow["id"], "parameters": {"who": "me"}}},
        )
    )["createFlowRun"]["id"]
    await _set(gql, [_change(run_id, "inc", i, "Running", 1 + i) for i in range(CHILDREN)])
    await _set(gql, [_change(run_id, "inc", -1, "Running", 0.5)])
    await _set(gql, [_change(run_id, "total", -1, "Pending", 0.5)])
    return run_id


@asynccontextmanager
async def live(database: Database, run_id: str, task_runs: bool) -> AsyncIterator[Any]:
    """The subscription's messages (each a `flowRun` update), as the local owner."""
    context = ApiContext(
        db=database,
        events=database.events,
        tenant_id=DEFAULT_TENANT_ID,
        request_limits=RequestLimits(),
        principal=Principal.local(DEFAULT_TENANT_ID),
        stopping=asyncio.Event(),
    )
    stream = await build_schema().subscribe(
        LIVE, {"id": run_id, "taskRuns": task_runs}, context_value=context
    )
    assert hasattr(stream, "__anext__"), stream.errors

    async def next_update() -> dict[str, Any]:
        # The bound only keeps a broken stream from hanging the suite.
        result = await asyncio.wait_for(stream.__anext__(), timeout=10)
        assert not result.errors, result.errors
        update: dict[str, Any] = result.data["flowRun"]
        return update

    try:
        yield next_update
    finally:
        context.stopping.set()  # type: ignore[union-attr]
        await stream.aclose()


async def test_without_task_runs_the_snapshot_is_the_run_and_later_only_changes(
    gql: Any, database: Database, run: str
) -> None:
    async with live(database, run, task_runs=False) as next_update:
        snapshot = await next_update()
        assert snapshot["kind"] == "snapshot"
        assert snapshot["flowRun"]["id"] == run
        assert snapshot["taskRuns"] == []

        await _set(gql, [_change(run, "inc", 2, "Failed", 30)])
        update = await next_update()
        # Only the one that changed: the others were as they are now when the snapshot went.
        assert update["kind"] == "task_runs"
        assert [(t["taskSlug"], t["mapIndex"], t["state"]) for t in update["taskRuns"]] == [
            ("inc", 2, "Failed")
        ]

        await _set(
            gql, [_change(run, "inc", 3, "Success", 40), _change(run, "inc", 4, "Success", 41)]
        )
        update = await next_update()
        assert sorted((t["mapIndex"], t["state"]) for t in update["taskRuns"]) == [
            (3, "Success"),
            (4, "Success"),
        ]


async def test_by_default_the_snapshot_carries_the_task_runs(
    gql: Any, database: Database, run: str
) -> None:
    async with live(database, run, task_runs=True) as next_update:
        snapshot = await next_update()
        assert snapshot["kind"] == "snapshot" and snapshot["flowRun"]["id"] == run
        sent = {(t["taskSlug"], t["mapIndex"]) for t in snapshot["taskRuns"]}
        assert sent == {("inc", -1), ("total", -1)} | {("inc", i) for i in range(CHILDREN)}

        await _set(gql, [_change(run, "total", -1, "Running", 30)])
        update = await next_update()
        assert [(t["taskSlug"], t["state"]) for t in update["taskRuns"]] == [("total", "Running")]
