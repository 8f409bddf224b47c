"""Deleting flows, versions and projects (with the counts first) and archiving flows,
against a real server process."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from tests.server.housekeeping.conftest import flow_spec

from proctor.client import Client, Conflict, FlowRunStateChange, InvalidInput, NotFound
from proctor.core.states import Running, Success

PREVIEW = """query ($group: ID, $flow: ID, $project: String) {
  deletionPreview(flowGroupId: $group, flowId: $flow, project: $project) {
    kind name version flows versions runs runsInProgress
  }
}"""
DELETE = """mutation ($group: ID, $flow: ID, $force: Boolean!) {
  deleteFlow(flowGroupId: $group, flowId: $flow, force: $force) {
    kind name version flows versions runs runsInProgress
  }
}"""
ARCHIVE = "mutation ($id: ID!) { archiveFlowGroup(id: $id) { id scheduleActive } }"
UNARCHIVE = "mutation ($id: ID!) { unarchiveFlowGroup(id: $id) { id scheduleActive } }"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def preview(client: Client, **variables: Any) -> dict[str, Any]:
    return dict(client.query(PREVIEW, variables)["deletionPreview"])


def start(client: Client, run_id: str) -> None:
    client.set_flow_run_states([FlowRunStateChange(flow_run_id=run_id, state=Running())])


def finish(client: Client, run_id: str) -> None:
    start(client, run_id)
    client.set_flow_run_states([FlowRunStateChange(flow_run_id=run_id, state=Success())])


def two_versions(client: Client) -> tuple[str, Any, Any]:
    project = client.create_project(unique("hk"))
    name = unique("hk-flow")
    v1 = client.register_flow(project.name, flow_spec(name, 1), archive_previous=False).flow
    v2 = client.register_flow(project.name, flow_spec(name, 2), archive_previous=False).flow
    assert (v1.version, v2.version) == (1, 2)
    return project.name, v1, v2


def test_preview_counts_runs_per_flow_version_and_project(client: Client) -> None:
    project, v1, v2 = two_versions(client)
    for _ in range(3):
        finish(client, client.create_flow_run(v1.id).id)
    running = client.create_flow_run(v2.id)
    start(client, running.id)
    client.create_flow_run(v2.id)  # scheduled, not started

    whole = preview(client, group=v1.flow_group_id)
    assert whole == {
        "kind": "flow", "name": v1.name, "version": None,
        "flows": 1, "versions": 2, "runs": 5, "runsInProgress": 1,
    }  # fmt: skip
    one = preview(client, flow=v1.id)
    assert (one["kind"], one["version"], one["versions"], one["runs"]) == ("version", 1, 1, 3)
    assert one["runsInProgress"] == 0
    by_project = preview(client, project=project)
    assert (by_project["kind"], by_project["flows"], by_project["runs"]) == ("project", 1, 5)

    with pytest.raises(InvalidInput, match="exactly one"):
        preview(client, group=v1.flow_group_id, flow=v1.id)
    with pytest.raises(NotFound):
        preview(client, flow=str(uuid.uuid4()))


def test_delete_refuses_while_runs_are_in_progress_unless_forced(client: Client) -> None:
    _project, v1, v2 = two_versions(client)
    finish(client, client.create_flow_run(v1.id).id)
    running = client.create_flow_run(v2.id)
    start(client, running.id)

    with pytest.raises(Conflict, match=r"1 run\(s\) of flow .* are in progress") as refused:
        client.query(DELETE, {"group": v1.flow_group_id, "force": False})
    assert refused.value.extensions["details"]["runs_in_progress"] == 1
    assert client.get_flow_run(running.id).state == "Running"  # nothing was deleted

    deleted = client.query(DELETE, {"group": v1.flow_group_id, "force": True})["deleteFlow"]
    assert (deleted["runs"], deleted["versions"]) == (2, 2)
    with pytest.raises(NotFound):
        client.get_flow_run(running.id)
    assert client.list_flows(name=v1.name, include_archived=True).items == []

    audit = client.query(
        '{ auditEvents(action: "deleteFlow") { nodes { objectType objectId success } } }'
    )["auditEvents"]["nodes"]
    outcomes = [e["success"] for e in audit if e["objectId"] == v1.flow_group_id]
    assert outcomes == [True, False]  # newest first: the forced one, then the refusal
    assert {e["objectType"] for e in audit if e["objectId"] == v1.flow_group_id} == {"flow_group"}


def test_deleting_versions_one_by_one_then_the_last_takes_the_flow(client: Client) -> None:
    _project, v1, v2 = two_versions(client)
    kept = client.create_flow_run(v2.id)
    finish(client, client.create_flow_run(v1.id).id)

    first = client.query(DELETE, {"flow": v1.id, "force": False})["deleteFlow"]
    assert (first["kind"], first["version"], first["runs"]) == ("version", 1, 1)
    left = client.list_flows(name=v1.name, include_archived=True).items
    assert [flow.version for flow in left] == [2]
    assert client.get_flow_run(kept.id).state == "Scheduled"  # v2's run is untouched

    client.query(DELETE, {"flow": v2.id, "force": False})
    assert client.list_flows(name=v1.name, include_archived=True).items == []
    with pytest.raises(NotFound):
        preview(client, group=v1.flow_group_id)


def test_archive_hides_keeps_runs_stops_schedule_and_unarchive_restores(client: Client) -> None:
    project = client.create_project(unique("hk"))
    name = unique("hk-sched")
    flow = client.register_flow(project.name, flow_spec(name, hourly=True)).flow
    group = client.set_schedule_active(flow.id, True)
    assert group.schedule_active
    done = client.create_flow_run(flow.id)
    finish(client, done.id)

    archived = client.query(ARCHIVE, {"id": flow.flow_group_id})["archiveFlowGroup"]
    assert archived["scheduleActive"] is False
    assert client.list_flows(name=name).items == []  # hidden by default
    shown = client.list_flows(name=name, include_archived=True).items
    assert [(f.version, f.archived) for f in shown] == [(1, True)]
    assert client.get_flow_run(done.id).state == "Success"  # runs are kept
    with pytest.raises(Conflict, match="archived"):
        client.create_flow_run(flow.id)  # no new runs

    restored = client.query(UNARCHIVE, {"id": flow.flow_group_id})["unarchiveFlowGroup"]
    assert restored["scheduleActive"] is False  # stays off until turned on
    assert [f.version for f in client.list_flows(name=name).items] == [1]
    client.create_flow_run(flow.id)

    kinds = [
        e["kind"]
        for e in client.query(
            'query ($f: String) { activity(flow: $f, kinds: ["flow"]) { nodes { kind } } }',
            {"f": name},
        )["activity"]["nodes"]
    ]
    assert kinds[:2] == ["flow.unarchived", "flow.archived"]


def test_project_delete_is_refused_while_running_and_audited(client: Client) -> None:
    project = client.create_project(unique("hk"))
    flow = client.register_flow(project.name, flow_spec(unique("hk-p"))).flow
    run = client.create_flow_run(flow.id)
    start(client, run.id)
    remove = "mutation ($id: ID!, $force: Boolean!) { deleteProject(id: $id, force: $force) }"
    with pytest.raises(Conflict, match="in progress"):
        client.query(remove, {"id": project.id, "force": False})
    assert client.query(remove, {"id": project.id, "force": True})["deleteProject"] is True
    with pytest.raises(NotFound):
        client.get_flow_run(run.id)
    feed = client.query('{ activity(kinds: ["project"]) { nodes { kind message } } }')
    assert {"kind": "project.deleted", "message": f"Project {project.name} deleted"} in feed[
        "activity"
    ]["nodes"]
