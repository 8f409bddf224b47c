"""Steering runs by hand through GraphQL, on SQLite and PostgreSQL: marking a flow run or
a task run (through the manual rules, into the history and the audit log), restarting
from chosen tasks (with the preview saying what runs), and comparing two runs."""

from __future__ import annotations

import pytest
from tests.server.api.graphql_results import data_of, error_codes

RUN = "id state stateType stateMessage"
CREATE_RUN = f"""mutation ($input: CreateFlowRunInput!) {{
  createFlowRun(input: $input) {{ {RUN} }}
}}"""
SET_FLOW_STATES = """mutation ($changes: [JSON!]!) {
  setFlowRunStates(changes: $changes) { accepted state reason }
}"""
SET_TASK_STATES = """mutation ($changes: [JSON!]!) {
  setTaskRunStates(changes: $changes) { accepted state reason }
}"""
MARK_RUN = f"""mutation ($id: ID!, $state: String!, $reason: String!) {{
  markFlowRun(id: $id, state: $state, reason: $reason) {{ {RUN} }}
}}"""
MARK_TASK = """mutation ($id: ID!, $state: String!, $reason: String!) {
  markTaskRun(id: $id, state: $state, reason: $reason) { id taskSlug mapIndex state stateMessage }
}"""
READ = f"""query ($id: ID!) {{ flowRun(id: $id) {{ {RUN}
  states {{ state message }}
  taskRuns(first: 50) {{ nodes {{ id taskSlug mapIndex state stateMessage }} }} }} }}"""
PREVIEW = """query ($id: ID!, $from: [String!]) { flowRun(id: $id) {
  restartPreview(fromTasks: $from) { restartable rerunCount reusedCount
    rerun { taskSlug reason count mapIndexes } } } }"""
RESTART_FROM = f"""mutation ($id: ID!, $from: [String!]!) {{
  restartFlowRunFrom(id: $id, fromTasks: $from) {{ {RUN} }}
}}"""
RESTART = f"mutation ($id: ID!) {{ restartFlowRun(id: $id) {{ {RUN} }} }}"
COMPARE = """query ($a: ID!, $b: ID!) { compareFlowRuns(a: $a, b: $b) {
  a { id } b { id } sameFlow sameVersion differingTasks
  parameters { name a b inA inB differs }
  tasks { taskSlug mapped differences
    a { state resultLocation childCount children { state count } }
    b { state resultLocation childCount children { state count } } } } }"""
AUDIT = """query ($action: String) { auditEvents(action: $action) {
  nodes { action objectType objectId success actorKind } } }"""

REASON = "the warehouse load was checked by hand"


@pytest.fixture
async def flow(gql, flow_spec):
    body = await gql(
        "mutation ($input: RegisterFlowInput!) { registerFlow(input: $input) { flow { id } } }",
        {"input": {"project": "proj", "spec": flow_spec(), "createProject": True}},
    )
    return data_of(body)["registerFlow"]["flow"]


async def new_run(gql, flow, who="me"):
    body = await gql(CREATE_RUN, {"input": {"flowId": flow["id"], "parameters": {"who": who}}})
    return data_of(body)["createFlowRun"]


async def set_flow(gql, run_id, state, **extra):
    body = await gql(
        SET_FLOW_STATES, {"changes": [{"flowRunId": run_id, "state": {"type": state, **extra}}]}
    )
    [result] = data_of(body)["setFlowRunStates"]
    assert result["accepted"], result
    return result


async def set_tasks(gql, run_id, *changes):
    items = [
        {"flowRunId": run_id, "taskSlug": slug, "mapIndex": index,
         "state": {"type": state, "result_location": location}}
        for slug, index, state, location in changes
    ]  # fmt: skip
    results = data_of(await gql(SET_TASK_STATES, {"changes": items}))["setTaskRunStates"]
    assert all(r["accepted"] for r in results), results


async def read(gql, run_id):
    return data_of(await gql(READ, {"id": run_id}))["flowRun"]


def task_runs(run):
    return {(t["taskSlug"], t["mapIndex"]): t for t in run["taskRuns"]["nodes"]}


async def finished_run(gql, flow, *, child_one="Success", total="Success", who="me"):
    """A run of `etl` (inc mapped over 3, then total) that ran to its end."""
    run = await new_run(gql, flow, who)
    await set_flow(gql, run["id"], "Running")
    rid = run["id"]
    await set_tasks(
        gql, rid,
        ("inc", -1, "Mapped", None),
        ("inc", 0, "Success", f"file:///r/{rid}/inc-0"),
        ("inc", 1, child_one, f"file:///r/{rid}/inc-1" if child_one == "Success" else None),
        ("inc", 2, "Success", f"file:///r/{rid}/inc-2"),
        ("total", -1, total, f"file:///r/{rid}/total" if total == "Success" else None),
    )  # fmt: skip
    await set_flow(gql, rid, "Success" if total == "Success" else "Failed")
    return rid


# -- mark a flow run ------------------------------------------------------------------------


async def test_marking_a_running_flow_run_failed_ends_it_and_its_open_task_runs(gql, flow):
    run = await new_run(gql, flow)
    await set_flow(gql, run["id"], "Running")
    await set_tasks(gql, run["id"], ("inc", -1, "Mapped", None), ("inc", 0, "Success", "file:///x"),
                    ("inc", 1, "Running", None))  # fmt: skip

    body = await gql(MARK_RUN, {"id": run["id"], "state": "Failed", "reason": f"  {REASON} "})
    marked = data_of(body)["markFlowRun"]
    message = f"Marked Failed by hand by the local user: {REASON}"
    assert (marked["state"], marked["stateMessage"]) == ("Failed", message)

    after = await read(gql, run["id"])
    assert after["states"][-1] == {"state": "Failed", "message": message}
    tasks = task_runs(after)
    assert tasks[("inc", 1)]["state"] == "Cancelled"
    assert tasks[("inc", 1)]["stateMessage"] == "The flow run was marked Failed by hand."
    assert tasks[("inc", -1)]["state"] == "Mapped"  # a kind of Success: finished already
    assert tasks[("inc", 0)]["state"] == "Success"  # finished ones keep their state

    # A late report of the dead process changes nothing.
    late = await gql(SET_TASK_STATES, {"changes": [
        {"flowRunId": run["id"], "taskSlug": "inc", "mapIndex": 1, "state": {"type": "Success"}}
    ]})  # fmt: skip
    assert data_of(late)["setTaskRunStates"][0]["accepted"] is False

    events = data_of(await gql(AUDIT, {"action": "markFlowRun"}))["auditEvents"]["nodes"]
    assert [(e["objectType"], e["objectId"], e["success"]) for e in events] == [
        ("flow_run", run["id"], True)
    ]


async def test_a_finished_run_can_be_marked_otherwise_but_not_as_it_is(gql, flow):
    rid = await finished_run(gql, flow, child_one="Failed", total="TriggerFailed")
    again = await gql(MARK_RUN, {"id": rid, "state": "Failed", "reason": REASON})
    assert error_codes(again) == ["TRANSITION_REJECTED"]
    assert "already Failed" in again["errors"][0]["message"]

    fixed = data_of(await gql(MARK_RUN, {"id": rid, "state": "Success", "reason": REASON}))
    assert fixed["markFlowRun"]["state"] == "Success"
    history = [s["state"] for s in (await read(gql, rid))["states"]]
    assert history[-2:] == ["Failed", "Success"]

    skipped = data_of(await gql(MARK_RUN, {"id": rid, "state": "Skipped", "reason": REASON}))
    assert skipped["markFlowRun"]["stateType"] == "Success"
    short = await gql(MARK_RUN, {"id": rid, "state": "Failed", "reason": "x"})
    assert data_of(short)["markFlowRun"]["stateMessage"].endswith(": x")


@pytest.mark.parametrize(
    ("state", "reason", "code"),
    [("Running", REASON, "INVALID_INPUT"), ("Pending", REASON, "INVALID_INPUT"),
     ("Failed", "   ", "INVALID_INPUT"), ("Failed", "x" * 1001, "INVALID_INPUT")],
)  # fmt: skip
async def test_only_an_end_state_with_a_reason_can_be_set(gql, flow, state, reason, code):
    run = await new_run(gql, flow)
    body = await gql(MARK_RUN, {"id": run["id"], "state": state, "reason": reason})
    assert error_codes(body) == [code]
    assert (await read(gql, run["id"]))["state"] == "Scheduled"  # nothing changed


async def test_cancelled_by_hand_stops_a_running_process_and_ends_a_waiting_run(gql, flow):
    running = await new_run(gql, flow)
    await set_flow(gql, running["id"], "Running")
    body = await gql(MARK_RUN, {"id": running["id"], "state": "Cancelled", "reason": REASON})
    # Its process is asked to stop; it reports Cancelled itself.
    assert data_of(body)["markFlowRun"]["state"] == "Cancelling"
    assert REASON in data_of(body)["markFlowRun"]["stateMessage"]

    waiting = await new_run(gql, flow)
    body = await gql(MARK_RUN, {"id": waiting["id"], "state": "Cancelled", "reason": REASON})
    assert data_of(body)["markFlowRun"]["state"] == "Cancelled"


async def test_marking_an_unknown_run_is_not_found(gql):
    body = await gql(
        MARK_RUN,
        {"id": "00000000-0000-0000-0000-000000000001", "state": "Failed", "reason": REASON},
    )
    assert error_codes(body) == ["NOT_FOUND"]


# -- mark a task run ------------------------------------------------------------------------


async def test_a_task_run_is_not_marked_while_its_process_runs(gql, flow):
    run = await new_run(gql, flow)
    await set_flow(gql, run["id"], "Running")
    await set_tasks(gql, run["id"], ("total", -1, "Running", None))
    total = task_runs(await read(gql, run["id"]))[("total", -1)]
    body = await gql(MARK_TASK, {"id": total["id"], "state": "Success", "reason": REASON})
    assert error_codes(body) == ["TRANSITION_REJECTED"]
    assert "Running" in body["errors"][0]["message"]


async def test_a_task_run_marked_failed_in_a_finished_run_runs_again_on_restart(gql, flow):
    rid = await finished_run(gql, flow)
    total = task_runs(await read(gql, rid))[("total", -1)]
    body = await gql(MARK_TASK, {"id": total["id"], "state": "Failed", "reason": REASON})
    marked = data_of(body)["markTaskRun"]
    assert (marked["state"], marked["stateMessage"]) == (
        "Failed",
        f"Marked Failed by hand by the local user: {REASON}",
    )
    assert (await read(gql, rid))["state"] == "Success"  # the flow run keeps its state

    preview = data_of(await gql(PREVIEW, {"id": rid}))["flowRun"]["restartPreview"]
    assert [(g["taskSlug"], g["reason"]) for g in preview["rerun"]] == [("total", "failed")]
    data_of(await gql(RESTART, {"id": rid}))
    tasks = task_runs(await read(gql, rid))
    assert tasks[("total", -1)]["state"] == "Pending"
    assert tasks[("inc", 0)]["state"] == "Success"

    again = await gql(MARK_TASK, {"id": total["id"], "state": "Skipped", "reason": REASON})
    assert data_of(again)["markTaskRun"]["state"] == "Skipped"  # the run waits: allowed


# -- restart from chosen tasks -------------------------------------------------------------


async def test_the_preview_of_a_restart_from_a_task_names_it_and_its_descendants(gql, flow):
    rid = await finished_run(gql, flow)
    plain = data_of(await gql(PREVIEW, {"id": rid}))["flowRun"]["restartPreview"]
    assert (plain["rerunCount"], plain["rerun"]) == (0, [])

    last = data_of(await gql(PREVIEW, {"id": rid, "from": ["total"]}))["flowRun"]
    assert last["restartPreview"]["rerun"] == [
        {"taskSlug": "total", "reason": "chosen", "count": 1, "mapIndexes": []}
    ]
    whole = data_of(await gql(PREVIEW, {"id": rid, "from": ["inc"]}))["flowRun"]
    preview = whole["restartPreview"]
    groups = {(g["taskSlug"], g["reason"]): g for g in preview["rerun"]}
    assert set(groups) == {("inc", "chosen"), ("total", "downstream")}
    assert groups[("inc", "chosen")]["count"] == 4  # the parent and its three children
    assert groups[("inc", "chosen")]["mapIndexes"] == [0, 1, 2]
    assert preview["rerunCount"] == 5

    unknown = await gql(PREVIEW, {"id": rid, "from": ["nope"]})
    assert error_codes(unknown) == ["INVALID_INPUT"]
    assert "No task nope" in unknown["errors"][0]["message"]


async def test_restart_from_a_task_resets_it_and_downstream_only(gql, flow):
    rid = await finished_run(gql, flow)
    before = task_runs(await read(gql, rid))
    body = await gql(RESTART_FROM, {"id": rid, "from": ["total"]})
    restarted = data_of(body)["restartFlowRunFrom"]
    assert (restarted["state"], restarted["stateMessage"]) == ("Scheduled", "Restarted from total.")
    events = data_of(await gql(AUDIT, {"action": "restartFlowRunFrom"}))["auditEvents"]["nodes"]
    assert [(e["objectType"], e["objectId"]) for e in events] == [("flow_run", rid)]
    after = task_runs(await read(gql, rid))
    assert after[("total", -1)]["state"] == "Pending"
    for key in [("inc", -1), ("inc", 0), ("inc", 1), ("inc", 2)]:
        assert after[key]["state"] == before[key]["state"], key


async def test_restart_from_refuses_unknown_tasks_an_empty_choice_and_running_runs(gql, flow):
    rid = await finished_run(gql, flow)
    unknown = await gql(RESTART_FROM, {"id": rid, "from": ["total", "ghost"]})
    assert error_codes(unknown) == ["INVALID_INPUT"]
    empty = await gql(RESTART_FROM, {"id": rid, "from": []})
    assert error_codes(empty) == ["INVALID_INPUT"]
    assert (await read(gql, rid))["state"] == "Success"

    running = await new_run(gql, flow)
    await set_flow(gql, running["id"], "Running")
    busy = await gql(RESTART_FROM, {"id": running["id"], "from": ["total"]})
    assert error_codes(busy) == ["TRANSITION_REJECTED"]


# -- compare two runs ------------------------------------------------------------------------


async def test_two_runs_compared_task_by_task_with_their_differences(gql, flow):
    good = await finished_run(gql, flow, who="ana")
    bad = await finished_run(gql, flow, child_one="Failed", total="TriggerFailed", who="bo")
    found = data_of(await gql(COMPARE, {"a": good, "b": bad}))["compareFlowRuns"]
    assert (found["a"]["id"], found["b"]["id"]) == (good, bad)
    assert (found["sameFlow"], found["sameVersion"]) == (True, True)
    parameters = {p["name"]: p for p in found["parameters"]}
    assert parameters["who"] == {
        "name": "who",
        "a": "ana",
        "b": "bo",
        "inA": True,
        "inB": True,
        "differs": True,
    }
    assert parameters["n"]["differs"] is False and parameters["n"]["a"] == 3

    tasks = {t["taskSlug"]: t for t in found["tasks"]}
    assert [t["taskSlug"] for t in found["tasks"]] == ["inc", "total"]  # no parameters
    inc = tasks["inc"]
    assert inc["mapped"] is True
    assert inc["a"]["children"] == [{"state": "Success", "count": 3}]
    assert inc["b"]["children"] == [
        {"state": "Failed", "count": 1},
        {"state": "Success", "count": 2},
    ]
    assert inc["a"]["childCount"] == inc["b"]["childCount"] == 3
    assert "children" in inc["differences"] and "state" not in inc["differences"]
    total = tasks["total"]
    assert (total["a"]["state"], total["b"]["state"]) == ("Success", "TriggerFailed")
    assert {"state", "result"} <= set(total["differences"])
    assert found["differingTasks"] == 2


async def test_a_run_compared_with_itself_has_no_differences(gql, flow):
    rid = await finished_run(gql, flow)
    found = data_of(await gql(COMPARE, {"a": rid, "b": rid}))["compareFlowRuns"]
    assert found["differingTasks"] == 0
    assert all(t["differences"] == [] for t in found["tasks"])
    assert not any(p["differs"] for p in found["parameters"])


async def test_a_task_only_one_run_has_is_missing_on_the_other_side(gql, flow, flow_spec):
    rid = await finished_run(gql, flow)
    other = data_of(await gql(
        "mutation ($input: RegisterFlowInput!) { registerFlow(input: $input) { flow { id } } }",
        {"input": {"project": "proj", "spec": flow_spec("solo", mapped=False, parameters=False)}},
    ))["registerFlow"]["flow"]  # fmt: skip
    run = data_of(await gql(CREATE_RUN, {"input": {"flowId": other["id"]}}))["createFlowRun"]
    found = data_of(await gql(COMPARE, {"a": rid, "b": run["id"]}))["compareFlowRuns"]
    assert found["sameFlow"] is False
    inc = next(t for t in found["tasks"] if t["taskSlug"] == "inc")
    assert inc["differences"] == ["missing"] and inc["b"] is None

    unknown = await gql(COMPARE, {"a": rid, "b": "00000000-0000-0000-0000-000000000002"})
    assert error_codes(unknown) == ["NOT_FOUND"]


async def test_malformed_input_is_refused_with_a_clear_code(gql, flow):
    rid = await finished_run(gql, flow)
    bad_id = await gql(MARK_RUN, {"id": "not-a-uuid", "state": "Failed", "reason": REASON})
    assert error_codes(bad_id) == ["INVALID_INPUT"]
    bad_task = await gql(MARK_TASK, {"id": "not-a-uuid", "state": "Failed", "reason": REASON})
    assert error_codes(bad_task) == ["INVALID_INPUT"]
    assert error_codes(await gql(COMPARE, {"a": rid, "b": "nope"})) == ["INVALID_INPUT"]
    many = [f"ghost{i}" for i in range(5000)]
    body = await gql(RESTART_FROM, {"id": rid, "from": many})
    assert error_codes(body) == ["INVALID_INPUT"]
    assert len(body["errors"][0]["message"]) < 500  # names a few, not five thousand
    assert (await read(gql, rid))["state"] == "Success"
