"""Flow runs, task runs and logs through GraphQL: the batched mutations and the reads."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from tests.server.api.graphql_results import data_of, error_codes

RUN_FIELDS = "id name state stateType version parameters labels flowName scheduledStartTime"
CREATE_RUN = f"""mutation ($input: CreateFlowRunInput!) {{
  createFlowRun(input: $input) {{ {RUN_FIELDS} }}
}}"""
SET_FLOW_STATES = """mutation ($changes: [JSON!]!) {
  setFlowRunStates(changes: $changes) { id accepted state version code reason }
}"""
SET_TASK_STATES = """mutation ($changes: [JSON!]!) {
  setTaskRunStates(changes: $changes) { id accepted state version code }
}"""


@pytest.fixture
async def flow(gql, flow_spec):
    body = await gql(
        "mutation ($input: RegisterFlowInput!) { registerFlow(input: $input) { flow { id } } }",
        {"input": {"project": "proj", "spec": flow_spec(), "createProject": True}},
    )
    return data_of(body)["registerFlow"]["flow"]


async def _run(gql, **values):
    return data_of(await gql(CREATE_RUN, {"input": values}))["createFlowRun"]


def _state(kind, message=None, **extra):
    return {"type": kind, "message": message, **extra}


async def test_create_flow_run_by_id_or_name_with_validation(gql, flow):
    run = await _run(gql, flowId=flow["id"], parameters={"who": "me"}, labels=["a"])
    assert run["state"] == "Scheduled" and run["version"] == 1
    assert run["parameters"] == {"who": "me", "n": 3}
    assert run["labels"] == ["a"] and run["flowName"] == "etl"

    by_name = await _run(gql, project="proj", flowName="etl", parameters={"who": "x"})
    assert by_name["id"] != run["id"]

    bad = await gql(CREATE_RUN, {"input": {"flowId": flow["id"], "parameters": {"n": "x"}}})
    assert error_codes(bad) == ["INVALID_INPUT"]
    neither = await gql(CREATE_RUN, {"input": {"parameters": {}}})
    assert error_codes(neither) == ["INVALID_INPUT"]

    keyed = {"flowId": flow["id"], "parameters": {"who": "k"}, "idempotencyKey": "k-1"}
    first, second = await _run(gql, **keyed), await _run(gql, **keyed)
    assert first["id"] == second["id"]

    later = datetime.now(UTC) + timedelta(hours=1)
    scheduled = await _run(
        gql, flowId=flow["id"], parameters={"who": "s"}, scheduledStartTime=later.isoformat()
    )
    assert datetime.fromisoformat(scheduled["scheduledStartTime"]) == later


async def test_batched_flow_run_states_history_and_stale_version(gql, flow):
    run = await _run(gql, flowId=flow["id"], parameters={"who": "me"})
    results = data_of(
        await gql(
            SET_FLOW_STATES,
            {
                "changes": [
                    {"flowRunId": run["id"], "state": _state("Running"), "version": 1},
                    {"flowRunId": run["id"], "state": _state("Success", "done"), "version": 2},
                ]
            },
        )
    )["setFlowRunStates"]
    assert [(r["accepted"], r["state"], r["version"]) for r in results] == [
        (True, "Running", 2),
        (True, "Success", 3),
    ]
    stale = data_of(
        await gql(
            SET_FLOW_STATES,
            {"changes": [{"flowRunId": run["id"], "state": _state("Failed"), "version": 1}]},
        )
    )["setFlowRunStates"]
    assert stale[0]["accepted"] is False and stale[0]["code"] == "STALE_VERSION"
    final = data_of(
        await gql(
            SET_FLOW_STATES,
            {"changes": [{"flowRunId": run["id"], "state": _state("Running")}]},
        )
    )["setFlowRunStates"]
    assert final[0]["code"] == "TRANSITION_REJECTED"

    detail = data_of(
        await gql(
            "query ($id: ID!) { flowRun(id: $id) { state version"
            " states { state version message } } }",
            {"id": run["id"]},
        )
    )["flowRun"]
    assert detail["state"] == "Success" and detail["version"] == 3
    assert [(s["state"], s["version"]) for s in detail["states"]] == [
        ("Scheduled", 1),
        ("Running", 2),
        ("Success", 3),
    ]
    assert detail["states"][-1]["message"] == "done"

    unknown_state = await gql(
        SET_FLOW_STATES, {"changes": [{"flowRunId": run["id"], "state": _state("Bogus")}]}
    )
    assert error_codes(unknown_state) == ["INVALID_INPUT"]


async def test_task_runs_mapped_children_and_filters(gql, flow):
    run = await _run(gql, flowId=flow["id"], parameters={"who": "me"})
    await gql(SET_FLOW_STATES, {"changes": [{"flowRunId": run["id"], "state": _state("Running")}]})
    created = data_of(
        await gql(
            "mutation ($id: ID!, $items: [JSON!]!) {"
            " createTaskRuns(flowRunId: $id, taskRuns: $items) { taskSlug mapIndex state } }",
            {"id": run["id"], "items": [{"taskSlug": "total"}, {"taskSlug": "inc"}]},
        )
    )["createTaskRuns"]
    assert [(t["taskSlug"], t["mapIndex"], t["state"]) for t in created] == [
        ("total", -1, "Pending"),
        ("inc", -1, "Pending"),
    ]
    changes = [
        {"flowRunId": run["id"], "taskSlug": "inc", "mapIndex": i, "state": _state("Success")}
        for i in range(3)
    ]
    changes.append({"flowRunId": run["id"], "taskSlug": "inc", "state": _state("Mapped")})
    changes.append({"flowRunId": run["id"], "taskSlug": "total", "state": _state("Failed", "x")})
    results = data_of(await gql(SET_TASK_STATES, {"changes": changes}))["setTaskRunStates"]
    assert all(result["accepted"] for result in results)

    query = """query ($id: ID!, $slug: String, $index: Int, $states: [String!]) {
      taskRuns(flowRunId: $id, taskSlug: $slug, mapIndex: $index, states: $states) {
        nodes { taskSlug mapIndex state } totalCount } }"""
    children = data_of(await gql(query, {"id": run["id"], "slug": "inc"}))["taskRuns"]
    assert sorted(n["mapIndex"] for n in children["nodes"]) == [-1, 0, 1, 2]
    failed = data_of(await gql(query, {"id": run["id"], "states": ["Failed"]}))["taskRuns"]
    assert failed["nodes"] == [{"taskSlug": "total", "mapIndex": -1, "state": "Failed"}]
    parent = data_of(await gql(query, {"id": run["id"], "slug": "inc", "index": -1}))
    assert parent["taskRuns"]["nodes"][0]["state"] == "Mapped"

    nested = data_of(
        await gql(
            'query ($id: ID!) { flowRun(id: $id) { taskRuns(taskSlug: "total") {'
            " nodes { state states { state } } } } }",
            {"id": run["id"]},
        )
    )["flowRun"]["taskRuns"]["nodes"]
    assert nested[0]["state"] == "Failed"
    assert nested[0]["states"][-1] == {"state": "Failed"}


async def test_flow_runs_filters_ordering_and_pages(gql, flow):
    base = datetime(2026, 1, 1, tzinfo=UTC)
    ids = []
    for hour in range(5):
        run = await _run(
            gql,
            flowId=flow["id"],
            parameters={"who": str(hour)},
            scheduledStartTime=(base + timedelta(hours=hour)).isoformat(),
        )
        ids.append(run["id"])
    await gql(SET_FLOW_STATES, {"changes": [{"flowRunId": ids[0], "state": _state("Failed")}]})

    query = """query ($first: Int, $after: String, $states: [String!], $order: FlowRunOrder,
                      $before: DateTime, $flowId: ID) {
      flowRuns(first: $first, after: $after, states: $states, orderBy: $order,
               scheduledBefore: $before, flowId: $flowId) {
        nodes { id } pageInfo { endCursor hasNextPage } totalCount } }"""
    seen, cursor = [], None
    while True:
        page = data_of(await gql(query, {"first": 2, "after": cursor}))["flowRuns"]
        seen += [node["id"] for node in page["nodes"]]
        assert page["totalCount"] == 5
        if not page["pageInfo"]["hasNextPage"]:
            break
        cursor = page["pageInfo"]["endCursor"]
    assert seen == list(reversed(ids))

    ascending = data_of(await gql(query, {"order": "SCHEDULED_START_TIME_ASC"}))["flowRuns"]
    assert [node["id"] for node in ascending["nodes"]] == ids
    failed = data_of(await gql(query, {"states": ["Failed"]}))["flowRuns"]
    assert [node["id"] for node in failed["nodes"]] == [ids[0]]
    early = data_of(await gql(query, {"before": (base + timedelta(hours=1)).isoformat()}))
    assert early["flowRuns"]["totalCount"] == 2
    by_flow = data_of(await gql(query, {"flowId": flow["id"], "states": ["Scheduled"]}))
    assert by_flow["flowRuns"]["totalCount"] == 4

    counts = data_of(
        await gql(
            "query ($since: DateTime!) { runCounts(since: $since, bucketSeconds: 86400) {"
            " bucketStart state count } }",
            {"since": base.isoformat()},
        )
    )["runCounts"]
    assert {(c["state"], c["count"]) for c in counts} == {("Failed", 1), ("Scheduled", 4)}


async def test_logs_cancel_delete_and_agents(gql, flow):
    run = await _run(gql, flowId=flow["id"], parameters={"who": "me"})
    lines = [
        {"flowRunId": run["id"], "message": f"line {i}", "level": 10 if i % 2 else 40}
        for i in range(5)
    ]
    lines.append({"flowRunId": run["id"], "message": "task", "taskSlug": "inc", "name": "lg"})
    written = await gql(
        "mutation ($logs: [JSON!]!) { writeLogs(logs: $logs) { count } }", {"logs": lines}
    )
    assert data_of(written)["writeLogs"]["count"] == 6
    query = """query ($id: ID!, $level: Int, $search: String, $slug: String) {
      logs(flowRunId: $id, levelMin: $level, search: $search, taskSlug: $slug) {
        nodes { message level levelName taskSlug name } totalCount } }"""
    errors = data_of(await gql(query, {"id": run["id"], "level": 40}))["logs"]
    assert [n["message"] for n in errors["nodes"]] == ["line 0", "line 2", "line 4"]
    assert errors["nodes"][0]["levelName"] == "ERROR"
    searched = data_of(await gql(query, {"id": run["id"], "search": "LINE 3"}))["logs"]
    assert [n["message"] for n in searched["nodes"]] == ["line 3"]
    task_logs = data_of(await gql(query, {"id": run["id"], "slug": "inc"}))["logs"]
    assert task_logs["nodes"][0]["name"] == "lg"
    orphan = await gql(
        "mutation ($logs: [JSON!]!) { writeLogs(logs: $logs) { count } }",
        {"logs": [{"flowRunId": "00000000-0000-4000-8000-0000000000ff", "message": "x"}]},
    )
    assert error_codes(orphan) == ["NOT_FOUND"]

    cancelled = data_of(
        await gql("mutation ($id: ID!) { cancelFlowRun(id: $id) { state } }", {"id": run["id"]})
    )["cancelFlowRun"]
    assert cancelled["state"] == "Cancelled"  # not started: cancelled at once
    again = await gql("mutation ($id: ID!) { cancelFlowRun(id: $id) { state } }", {"id": run["id"]})
    assert error_codes(again) == ["TRANSITION_REJECTED"]
    restarted = data_of(
        await gql("mutation ($id: ID!) { restartFlowRun(id: $id) { state } }", {"id": run["id"]})
    )
    assert restarted["restartFlowRun"]["state"] == "Scheduled"

    deleted = "mutation ($id: ID!) { deleteFlowRun(id: $id) }"
    assert data_of(await gql(deleted, {"id": run["id"]}))["deleteFlowRun"] is True
    assert data_of(await gql(deleted, {"id": run["id"]}))["deleteFlowRun"] is False
    gone = await gql("query ($id: ID!) { flowRun(id: $id) { id } }", {"id": run["id"]})
    assert error_codes(gone) == ["NOT_FOUND"]

    assert data_of(await gql("{ agents { id name labels lastHeartbeat } }"))["agents"] == []


async def test_heartbeats_and_batch_limit(gql, flow, app):
    run = await _run(gql, flowId=flow["id"], parameters={"who": "me"})
    beat = await gql(
        "mutation ($ids: [ID!]!) { heartbeatFlowRuns(flowRunIds: $ids) { id state heartbeat } }",
        {"ids": [run["id"], str(uuid.uuid4())]},
    )
    [alive] = data_of(beat)["heartbeatFlowRuns"]  # the unknown id is left out
    assert alive["id"] == run["id"] and alive["state"] == "Scheduled" and alive["heartbeat"]
    app.state.api.request_limits = replace(app.state.api.request_limits, max_batch_items=3)
    too_many = [{"flowRunId": run["id"], "message": "x"}] * 4
    refused = await gql(
        "mutation ($logs: [JSON!]!) { writeLogs(logs: $logs) { count } }", {"logs": too_many}
    )
    assert error_codes(refused) == ["LIMIT_EXCEEDED"]
