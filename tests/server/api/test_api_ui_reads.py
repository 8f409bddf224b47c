"""The reads the web UI's run and task-run pages make: a run's task-run summary and
compact rows, `taskRun` by id or by slug, the tail of the logs, a schedule's next times;
all scoped to the caller's team."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from tests.server.api.graphql_results import data_of, error_codes
from tests.server.auth.helpers import new_team

from proctor.server.database import DEFAULT_TENANT_ID
from proctor.server.errors import NotFound
from proctor.server.services import task_run_views
from proctor.server.services.flow_runs import create_flow_run
from proctor.server.services.flows import register_flow
from proctor.server.services.task_runs import list_task_runs, set_task_run_states

SET_TASK_STATES = """mutation ($changes: [JSON!]!) {
  setTaskRunStates(changes: $changes) { accepted }
}"""
START = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def _at(seconds: float) -> str:
    return (START + timedelta(seconds=seconds)).isoformat()


@pytest.fixture
async def run(gql, flow_spec):
    flow = data_of(
        await gql(
            "mutation ($input: RegisterFlowInput!) { registerFlow(input: $input) { flow { id } } }",
            {"input": {"project": "proj", "spec": flow_spec(), "createProject": True}},
        )
    )["registerFlow"]["flow"]
    created = data_of(
        await gql(
            "mutation ($input: CreateFlowRunInput!) { createFlowRun(input: $input) { id } }",
            {"input": {"flowId": flow["id"], "parameters": {"who": "me"}}},
        )
    )["createFlowRun"]
    run_id = created["id"]

    def change(slug: str, index: int, state: str, seconds: float) -> dict:
        timestamp = _at(seconds)
        return {
            "flowRunId": run_id,
            "taskSlug": slug,
            "mapIndex": index,
            "state": {"type": state, "timestamp": timestamp},
        }

    steps = [
        [change("inc", i, "Running", 1 + i) for i in range(5)],
        [change("inc", i, "Success", 10 + i) for i in range(3)] + [change("inc", 3, "Failed", 20)],
        [change("inc", -1, "Running", 0.5), change("total", -1, "Pending", 0.5)],
    ]
    for batch in steps:
        results = data_of(await gql(SET_TASK_STATES, {"changes": batch}))["setTaskRunStates"]
        assert all(r["accepted"] for r in results), results
    return run_id


async def test_task_run_summary_aggregates_mapped_children_by_state(gql, run):
    body = await gql("query ($id: ID!) { flowRun(id: $id) { taskRunSummary } }", {"id": run})
    summary = data_of(body)["flowRun"]["taskRunSummary"]
    assert [entry["taskSlug"] for entry in summary] == ["inc", "total"]
    inc, total = summary
    assert inc["parent"]["state"] == "Running" and inc["parent"]["mapIndex"] == -1
    children = inc["children"]
    assert children["count"] == 5
    assert children["states"] == {"Success": 3, "Failed": 1, "Running": 1}
    assert datetime.fromisoformat(children["start"]) == START + timedelta(seconds=1)
    assert datetime.fromisoformat(children["lastStart"]) == START + timedelta(seconds=5)
    assert datetime.fromisoformat(children["end"]) == START + timedelta(seconds=20)
    assert total["parent"]["state"] == "Pending" and total["children"] is None


async def test_task_run_rows_are_compact_and_paged(gql, run):
    query = """query ($id: ID!, $first: Int, $after: String, $slug: String) {
      flowRun(id: $id) {
        taskRunRows(first: $first, after: $after, taskSlug: $slug) {
          fields rows totalCount pageInfo { endCursor hasNextPage }
        }
      }
    }"""
    first = data_of(await gql(query, {"id": run, "first": 4}))["flowRun"]["taskRunRows"]
    fields = first["fields"]
    assert fields[:4] == ["id", "taskSlug", "mapIndex", "state"]
    keyed = [dict(zip(fields, row, strict=True)) for row in first["rows"]]
    assert [(r["taskSlug"], r["mapIndex"]) for r in keyed] == [
        ("inc", -1),
        ("inc", 0),
        ("inc", 1),
        ("inc", 2),
    ]
    assert keyed[1]["state"] == "Success" and keyed[1]["version"] == 2
    assert first["pageInfo"]["hasNextPage"] is True
    rest = data_of(await gql(query, {"id": run, "after": first["pageInfo"]["endCursor"]}))
    rows = rest["flowRun"]["taskRunRows"]["rows"]
    assert [(r[1], r[2]) for r in rows] == [("inc", 3), ("inc", 4), ("total", -1)]
    assert rest["flowRun"]["taskRunRows"]["pageInfo"]["hasNextPage"] is False

    only_total = data_of(await gql(query, {"id": run, "slug": "total"}))
    assert [r[1] for r in only_total["flowRun"]["taskRunRows"]["rows"]] == ["total"]
    too_big = await gql(query, {"id": run, "first": 100_000})
    assert error_codes(too_big) == ["PAGE_TOO_LARGE"]


async def test_task_run_by_id_or_by_slug_with_its_graph_and_children(gql, run):
    fields = """id taskSlug mapIndex state
      states { state }
      flowRun { id flowName }
      task { slug mapped }
      upstream { upstream downstream }
      downstream { downstream }
      children(first: 10) { rows pageInfo { hasNextPage } }"""
    by_slug = data_of(
        await gql(
            f'query ($r: ID!) {{ taskRun(flowRunId: $r, taskSlug: "inc") {{ {fields} }} }}',
            {"r": run},
        )
    )["taskRun"]
    assert by_slug["taskSlug"] == "inc" and by_slug["mapIndex"] == -1
    assert [s["state"] for s in by_slug["states"]] == ["Running"]
    assert by_slug["flowRun"]["id"] == run and by_slug["flowRun"]["flowName"] == "etl"
    assert by_slug["task"] == {"slug": "inc", "mapped": True}
    assert [e["downstream"] for e in by_slug["downstream"]] == ["total"]
    assert [row[2] for row in by_slug["children"]["rows"]] == [0, 1, 2, 3, 4]

    by_id = data_of(
        await gql(
            "query ($id: ID!) { taskRun(id: $id) { taskSlug mapIndex upstream { upstream } } }",
            {"id": by_slug["id"]},
        )
    )["taskRun"]
    assert by_id["taskSlug"] == "inc" and by_id["mapIndex"] == -1

    child = data_of(
        await gql(
            'query ($r: ID!) { taskRun(flowRunId: $r, taskSlug: "inc", mapIndex: 3) '
            "{ state states { state } } }",
            {"r": run},
        )
    )["taskRun"]
    assert child["state"] == "Failed"
    assert [s["state"] for s in child["states"]] == ["Running", "Failed"]


async def test_task_run_lookup_errors(gql, run):
    query = """query ($id: ID, $r: ID, $slug: String, $i: Int) {
      taskRun(id: $id, flowRunId: $r, taskSlug: $slug, mapIndex: $i) { id }
    }"""
    missing = await gql(query, {"id": str(uuid.uuid4())})
    assert error_codes(missing) == ["NOT_FOUND"]
    no_such_slug = await gql(query, {"r": run, "slug": "nope"})
    assert error_codes(no_such_slug) == ["NOT_FOUND"]
    neither = await gql(query, {})
    assert error_codes(neither) == ["INVALID_INPUT"]
    both = await gql(query, {"id": str(uuid.uuid4()), "r": run, "slug": "inc"})
    assert error_codes(both) == ["INVALID_INPUT"]
    bad_index = await gql(query, {"r": run, "slug": "inc", "i": -5})
    assert error_codes(bad_index) == ["INVALID_INPUT"]
    malformed = await gql(query, {"id": "not-a-uuid"})
    assert error_codes(malformed) == ["INVALID_INPUT"]


async def test_another_teams_runs_are_not_found(gql, database, flow_spec):
    other = await new_team(database, "others")
    registered = await register_flow(database, other, "theirs", flow_spec(), create_project=True)
    their_run = await create_flow_run(
        database, other, flow_id=registered.flow.id, parameters={"who": "them"}
    )
    await set_task_run_states(
        database,
        other,
        [
            {
                "flow_run_id": str(their_run.id),
                "task_slug": "inc",
                "map_index": -1,
                "state": {"type": "Running"},
            }
        ],
    )
    [theirs] = (await list_task_runs(database, other, their_run.id)).items

    by_id = await gql("query ($id: ID!) { taskRun(id: $id) { id } }", {"id": str(theirs.id)})
    assert error_codes(by_id) == ["NOT_FOUND"]
    by_slug = await gql(
        'query ($r: ID!) { taskRun(flowRunId: $r, taskSlug: "inc") { id } }',
        {"r": str(their_run.id)},
    )
    assert error_codes(by_slug) == ["NOT_FOUND"]
    with pytest.raises(NotFound):
        await task_run_views.task_run_summary(database, DEFAULT_TENANT_ID, their_run.id)
    with pytest.raises(NotFound):
        await task_run_views.task_run_rows(database, DEFAULT_TENANT_ID, their_run.id)
    logs = await gql(
        "query ($r: ID!) { logs(flowRunId: $r, last: 5) { nodes { id } } }",
        {"r": str(their_run.id)},
    )
    assert data_of(logs)["logs"]["nodes"] == []


async def test_logs_tail_then_follow_on_after_its_cursor(gql, run):
    lines = [
        {"flowRunId": run, "level": 20, "message": f"line {i}", "timestamp": _at(i)}
        for i in range(12)
    ]
    lines[5] |= {"taskSlug": "inc", "mapIndex": 2}
    lines[7] |= {"taskSlug": "inc", "mapIndex": 3}
    body = await gql("mutation ($l: [JSON!]!) { writeLogs(logs: $l) { count } }", {"l": lines})
    assert data_of(body)["writeLogs"]["count"] == 12

    tail_query = """query ($r: ID!, $last: Int, $after: String, $slug: String, $i: Int) {
      logs(flowRunId: $r, last: $last, after: $after, taskSlug: $slug, mapIndex: $i) {
        totalCount nodes { message } pageInfo { endCursor hasNextPage }
      }
    }"""
    tail = data_of(await gql(tail_query, {"r": run, "last": 3}))["logs"]
    assert [n["message"] for n in tail["nodes"]] == ["line 9", "line 10", "line 11"]
    assert tail["totalCount"] == 12

    more = [{"flowRunId": run, "level": 30, "message": "line 12", "timestamp": _at(12)}]
    await gql("mutation ($l: [JSON!]!) { writeLogs(logs: $l) { count } }", {"l": more})
    follow = data_of(
        await gql(
            "query ($r: ID!, $after: String) { logs(flowRunId: $r, after: $after) "
            "{ nodes { message } } }",
            {"r": run, "after": tail["pageInfo"]["endCursor"]},
        )
    )["logs"]
    assert [n["message"] for n in follow["nodes"]] == ["line 12"]

    one_child = data_of(await gql(tail_query, {"r": run, "last": 10, "slug": "inc", "i": 3}))
    assert [n["message"] for n in one_child["logs"]["nodes"]] == ["line 7"]
    both = await gql(
        "query ($r: ID!) { logs(flowRunId: $r, first: 2, last: 2) { nodes { id } } }", {"r": run}
    )
    assert error_codes(both) == ["INVALID_INPUT"]
    too_many = await gql(tail_query, {"r": run, "last": 1_000_000})
    assert error_codes(too_many) == ["LIMIT_EXCEEDED"]


async def test_next_run_times_of_a_flows_schedule(gql):
    from proctor import flow, task
    from proctor.schedules import CronClock, Schedule

    @task
    def tick() -> int:
        return 1

    @flow(schedule=Schedule(clocks=[CronClock("30 6 * * *", timezone="Europe/Berlin")]))
    def daily():
        tick()

    @flow
    def unscheduled():
        tick()

    register = (
        "mutation ($input: RegisterFlowInput!) { registerFlow(input: $input) { flow { id } } }"
    )
    ids = {}
    for made in (daily, unscheduled):
        body = await gql(
            register, {"input": {"project": "p", "spec": made.serialize(), "createProject": True}}
        )
        ids[made.name] = data_of(body)["registerFlow"]["flow"]["id"]

    query = "query ($id: ID!, $n: Int!) { flow(id: $id) { scheduleActive nextRunTimes(n: $n) } }"
    found = data_of(await gql(query, {"id": ids["daily"], "n": 3}))["flow"]
    times = [datetime.fromisoformat(t) for t in found["nextRunTimes"]]
    assert len(times) == 3 and times == sorted(times)
    assert all(t > datetime.now(UTC) for t in times)
    assert times[1] - times[0] == timedelta(days=1) or times[1] - times[0] in (
        timedelta(hours=23),
        timedelta(hours=25),
    )
    # 06:30 in Berlin is 05:30 or 04:30 UTC, whichever the season.
    assert {(t.hour, t.minute) for t in times} <= {(5, 30), (4, 30)}

    none = data_of(await gql(query, {"id": ids["unscheduled"], "n": 3}))["flow"]
    assert none["nextRunTimes"] == []
    for bad in (0, 101):
        assert error_codes(await gql(query, {"id": ids["daily"], "n": bad})) == ["INVALID_INPUT"]
