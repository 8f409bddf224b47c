"""Concurrency limits through GraphQL and the client (in-process app, both databases):
shapes, error codes, the batched slot request, Queued task runs, team scoping."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from tests.server.scenarios import running_run

from proctor.client import InvalidInput as ClientInvalidInput
from proctor.server.database import Database
from proctor.server.database.models import Tenant
from proctor.server.services import concurrency_limits as limits

LIMITS = """query ($kind: String) { concurrencyLimits(kind: $kind) {
  kind key limit inUse holders { flowRunId taskRunId taskSlug mapIndex state } } }"""
SET = """mutation ($kind: String!, $key: String!, $limit: Int!) {
  setConcurrencyLimit(kind: $kind, key: $key, limit: $limit) { id kind key limit inUse } }"""
ACQUIRE = """mutation ($requests: [JSON!]!) { acquireTaskRunSlots(requests: $requests) {
  results { granted taskRunId code reason } limitedTags } }"""
TASK_RUNS = """query ($id: ID!, $states: [String!]) { taskRuns(flowRunId: $id, states: $states) {
  nodes { taskSlug mapIndex state stateType stateMessage } } }"""
WHO = {"who": "x"}


def _code(body: dict) -> str:
    return body["errors"][0]["extensions"]["code"]


async def test_limits_are_set_listed_and_deleted_over_graphql(gql):
    created = await gql(SET, {"kind": "task_tag", "key": "db", "limit": 2})
    assert created["data"]["setConcurrencyLimit"]["limit"] == 2
    await gql(SET, {"kind": "flow_label", "key": "gpu", "limit": 1})
    listed = await gql(LIMITS, {"kind": "task_tag"})
    assert listed["data"]["concurrencyLimits"] == [
        {"kind": "task_tag", "key": "db", "limit": 2, "inUse": 0, "holders": []}
    ]
    removed = await gql('mutation { deleteConcurrencyLimit(kind: "task_tag", key: "db") }')
    assert removed["data"]["deleteConcurrencyLimit"] is True
    everything = await gql(LIMITS)
    assert [item["key"] for item in everything["data"]["concurrencyLimits"]] == ["gpu"]


async def test_bad_input_gets_a_clear_error_code_and_changes_nothing(gql):
    await gql(SET, {"kind": "task_tag", "key": "db", "limit": 2})
    bad_kind = await gql(SET, {"kind": "tag", "key": "db", "limit": 5})
    assert _code(bad_kind) == "INVALID_INPUT" and "task_tag" in bad_kind["errors"][0]["message"]
    negative = await gql(SET, {"kind": "task_tag", "key": "db", "limit": -3})
    assert _code(negative) == "INVALID_INPUT"
    listed = await gql(LIMITS, {"kind": "bogus"})
    assert _code(listed) == "INVALID_INPUT"
    unknown_field = await gql(ACQUIRE, {"requests": [{"flowRunId": str(uuid.uuid4()), "x": 1}]})
    assert _code(unknown_field) == "INVALID_INPUT"
    not_an_id = await gql(ACQUIRE, {"requests": [{"flowRunId": "nope", "taskSlug": "t"}]})
    assert _code(not_an_id) == "INVALID_INPUT"
    still = await gql(LIMITS)
    assert [(i["key"], i["limit"]) for i in still["data"]["concurrencyLimits"]] == [("db", 2)]


async def test_slots_over_graphql_and_a_queued_task_run_is_visible(
    gql, database: Database, registered_flow
):
    await gql(SET, {"kind": "task_tag", "key": "db", "limit": 1})
    run, _ = await running_run(database, registered_flow.id, parameters=WHO)
    requests = [
        {"flowRunId": str(run.id), "taskSlug": "inc", "mapIndex": i, "tags": ["db"]}
        for i in range(2)
    ]
    body = await gql(ACQUIRE, {"requests": requests})
    answer = body["data"]["acquireTaskRunSlots"]
    assert [r["granted"] for r in answer["results"]] == [True, False]
    assert answer["results"][1]["code"] == "QUEUED" and answer["limitedTags"] == ["db"]
    # The run process reports the refused one Queued: the API shows it (family Pending).
    reported = await gql(
        "mutation ($c: [JSON!]!) { setTaskRunStates(changes: $c) { accepted } }",
        {
            "c": [
                {
                    "flowRunId": str(run.id),
                    "taskSlug": "inc",
                    "mapIndex": 1,
                    "state": {"type": "Queued", "message": answer["results"][1]["reason"]},
                }
            ]
        },
    )
    assert reported["data"]["setTaskRunStates"] == [{"accepted": True}]
    queued = await gql(TASK_RUNS, {"id": str(run.id), "states": ["Queued"]})
    [node] = queued["data"]["taskRuns"]["nodes"]
    assert (node["mapIndex"], node["state"], node["stateType"]) == (1, "Queued", "Pending")
    assert "db (1 of 1 in use)" in node["stateMessage"]
    usage = (await gql(LIMITS))["data"]["concurrencyLimits"][0]
    assert usage["inUse"] == 1
    assert usage["holders"][0]["taskSlug"] == "inc" and usage["holders"][0]["mapIndex"] == 0


async def test_the_client_methods(api, database: Database, registered_flow):
    limit = await api.set_concurrency_limit("task_tag", "io", 3)
    assert (limit.kind, limit.key, limit.limit, limit.in_use) == ("task_tag", "io", 3, 0)
    run, _ = await running_run(database, registered_flow.id, parameters=WHO)
    slots = await api.acquire_task_run_slots(
        [{"flowRunId": str(run.id), "taskSlug": "total", "tags": ["io"]}]
    )
    assert slots.results[0].granted and slots.results[0].task_run_id
    [usage] = await api.list_concurrency_limits()
    assert usage.in_use == 1 and usage.holders[0].task_slug == "total"
    assert await api.delete_concurrency_limit("task_tag", "io") is True
    assert await api.list_concurrency_limits("task_tag") == []
    try:
        await api.set_concurrency_limit("task_tag", "io", 10**9)
    except ClientInvalidInput as error:
        assert "limit" in str(error)
    else:
        raise AssertionError("an out-of-range limit was accepted")


async def test_limits_belong_to_one_team(database: Database, tenant_id, registered_flow):
    other = uuid.uuid4()
    async with database.transaction() as session:
        await session.execute(
            sa.insert(Tenant).values(
                id=other, name="Other", slug=f"other-{other.hex[:6]}", settings={}
            )
        )
    await limits.set_concurrency_limit(database, tenant_id, "task_tag", "db", 1)
    await limits.set_concurrency_limit(database, other, "task_tag", "db", 7)
    mine = await limits.list_concurrency_limits(database, tenant_id)
    theirs = await limits.list_concurrency_limits(database, other)
    assert [u.limit for u in mine] == [1] and [u.limit for u in theirs] == [7]
    # Another team cannot take slots for this team's run: it is not found there.
    run, _ = await running_run(database, registered_flow.id, parameters=WHO)
    ask = [{"flow_run_id": run.id, "task_slug": "inc", "tags": ["db"]}]
    answer = await limits.acquire_task_run_slots(database, other, ask)
    assert answer.results[0].code == "NOT_FOUND" and answer.limited_tags == ["db"]
    assert (await limits.list_concurrency_limits(database, other))[0].in_use == 0
    assert await limits.delete_concurrency_limit(database, other, "task_tag", "db") is True
    assert [u.limit for u in await limits.list_concurrency_limits(database, tenant_id)] == [1]
