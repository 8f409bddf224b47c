"""Restart from failure: the failed task runs and everything downstream of them run
again, successful ones keep their state and result; the run goes back to the queue."""

from __future__ import annotations

import uuid

import pytest
from tests.server.scenarios import flow_run, task_runs

from proctor.server.database import Database
from proctor.server.errors import NotFound, TransitionRejected
from proctor.server.services.agents import claim_due_runs, register_agent
from proctor.server.services.flow_run_states import set_flow_run_states
from proctor.server.services.flow_runs import create_flow_run
from proctor.server.services.plumbing import records
from proctor.server.services.plumbing.inputs import FlowRunStateChange, TaskRunStateChange
from proctor.server.services.restarts import downstream_of, plan_restart, restart_flow_run
from proctor.server.services.run_context import get_flow_run_context
from proctor.server.services.task_runs import set_task_run_states

EDGES = [
    {"upstream": "extract", "downstream": "clean"},
    {"upstream": "clean", "downstream": "load"},
    {"upstream": "extract", "downstream": "audit"},
    {"upstream": "m", "downstream": "reduce"},
]


def test_downstream_follows_edges_transitively():
    assert downstream_of(["extract"], EDGES) == {"clean", "load", "audit"}
    assert downstream_of(["load", "reduce"], EDGES) == set()


def test_a_failure_resets_itself_and_its_descendants_only():
    runs = [
        ("extract", -1, "Success"),
        ("clean", -1, "Failed"),
        ("load", -1, "Failed"),  # TriggerFailed because clean failed
        ("audit", -1, "Success"),
    ]
    assert plan_restart(runs, EDGES) == {("clean", -1), ("load", -1)}


def test_a_failed_mapped_child_resets_its_parent_but_not_its_siblings():
    runs = [
        ("m", -1, "Success"),  # Mapped
        ("m", 0, "Success"),
        ("m", 1, "Failed"),
        ("m", 2, "Cancelled"),
        ("reduce", -1, "Failed"),
    ]
    assert plan_restart(runs, EDGES) == {("m", 1), ("m", 2), ("m", -1), ("reduce", -1)}


def test_everything_downstream_runs_again_even_if_it_succeeded():
    runs = [("extract", -1, "Failed"), ("audit", -1, "Success"), ("clean", -1, "Pending")]
    assert plan_restart(runs, EDGES) == {("extract", -1), ("audit", -1), ("clean", -1)}


@pytest.fixture
async def failed_run(database: Database, tenant_id, registered_flow) -> records.FlowRun:
    """`inc` mapped over 3 (child 1 failed, 0 and 2 succeeded with results), `total`
    TriggerFailed; the flow run Failed."""
    run = await create_flow_run(
        database, tenant_id, flow_id=registered_flow.id, parameters={"who": "x"}
    )
    await set_flow_run_states(
        database, tenant_id, [FlowRunStateChange(run.id, {"type": "Running"})]
    )

    def change(slug: str, index: int, state: str, location: str | None = None):
        body = {"type": state, "result_location": location}
        return TaskRunStateChange(run.id, slug, body, map_index=index)

    await set_task_run_states(
        database,
        tenant_id,
        [
            change("inc", -1, "Mapped"),
            change("inc", 0, "Running"),
            change("inc", 0, "Success", "file:///r/inc-0"),
            change("inc", 1, "Running"),
            change("inc", 1, "Failed"),
            change("inc", 2, "Success", "file:///r/inc-2"),
            change("total", -1, "TriggerFailed"),
        ],
    )
    await set_flow_run_states(database, tenant_id, [FlowRunStateChange(run.id, {"type": "Failed"})])
    return run


async def test_restart_of_a_failed_run(database: Database, tenant_id, failed_run):
    agent = await register_agent(database, tenant_id, "box")
    restarted = await restart_flow_run(database, tenant_id, failed_run.id)
    assert (restarted.state, restarted.agent_id, restarted.end_time) == ("Scheduled", None, None)
    runs = await task_runs(database, failed_run.id)
    assert {key: t.state for key, t in runs.items()} == {
        ("inc", -1): "Pending",
        ("inc", 0): "Success",
        ("inc", 1): "Pending",
        ("inc", 2): "Success",
        ("total", -1): "Pending",
    }
    assert runs[("inc", 0)].result_location == "file:///r/inc-0"
    assert runs[("inc", 2)].result_location == "file:///r/inc-2"
    assert (runs[("inc", 1)].run_count, runs[("inc", 1)].result_location) == (0, None)
    [claimed] = await claim_due_runs(database, tenant_id, agent.id)
    assert claimed.id == failed_run.id  # back in the queue
    context = await get_flow_run_context(database, tenant_id, failed_run.id)
    assert {(t.task_slug, t.map_index, t.state) for t in context.task_runs} >= {
        ("inc", 0, "Success"),
        ("inc", 1, "Pending"),
    }


async def test_only_finished_runs_restart(database: Database, tenant_id, failed_run):
    await restart_flow_run(database, tenant_id, failed_run.id)
    with pytest.raises(TransitionRejected, match="Only a finished run"):
        await restart_flow_run(database, tenant_id, failed_run.id)
    assert (await flow_run(database, failed_run.id)).state == "Scheduled"
    with pytest.raises(NotFound):
        await restart_flow_run(database, tenant_id, uuid.uuid4())
