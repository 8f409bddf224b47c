"""Automations through GraphQL: create, read, change, enable, delete; every kind of bad
input is INVALID_INPUT with a message naming the field, and changes nothing."""

from __future__ import annotations

import pytest
from tests.server.alerting.helpers import CREATE, UPDATE, create_automation, some_id
from tests.server.api.graphql_results import data_of, error_codes

LIST = "{ automations { id name enabled signingSecret trigger { type states } } }"
GET = "query ($id: ID!) { automation(id: $id) { id name signingSecret actions { type url } } }"


def webhook_action(url: str = "https://hooks.example/x", **extra):
    return {"type": "webhook", "url": url, **extra}


async def test_create_read_update_enable_delete(gql, flow):
    created = await create_automation(
        gql,
        name="failures",
        description="page someone",
        trigger={
            "type": "flow_run_state",
            "states": ["Failed", "TimedOut"],
            "project": "proj",
            "flowGroupIds": [str(flow.id)],  # a version's id names its flow group
            "tags": ["nightly"],
        },
        actions=[
            webhook_action(headers={"Authorization": "Bearer t"}, message="{flow} {state}"),
            {"type": "email", "to": ["ops@example.com"], "subject": "[x] {title}"},
            {"type": "slack", "url": "https://hooks.slack.example/T/B"},
        ],
    )
    assert created["signingSecret"] and len(created["signingSecret"]) >= 16
    trigger = created["trigger"]
    assert trigger["type"] == "flow_run_state"
    assert trigger["states"] == ["Failed", "TimedOut"]
    assert trigger["flowGroupIds"] == [str(flow.flow_group_id)]
    assert trigger["projectId"] == str(flow.project_id)
    assert [a["type"] for a in created["actions"]] == ["webhook", "email", "slack"]
    assert created["actions"][0]["headers"] == {"Authorization": "Bearer t"}

    listed = data_of(await gql(LIST))["automations"]
    assert [(a["id"], a["enabled"], a["signingSecret"]) for a in listed] == [
        (created["id"], True, None)  # reading never shows the secret
    ]
    got = data_of(await gql(GET, {"id": created["id"]}))["automation"]
    assert got["signingSecret"] is None and got["actions"][2]["url"].startswith("https://hooks")

    renamed = data_of(
        await gql(UPDATE, {"id": created["id"], "input": {"name": "renamed", "enabled": False}})
    )["updateAutomation"]
    assert (renamed["name"], renamed["enabled"], renamed["signingSecret"]) == (
        "renamed",
        False,
        None,
    )
    assert renamed["trigger"] == created["trigger"]  # absent fields are kept
    rotated = data_of(await gql(UPDATE, {"id": created["id"], "input": {"rotateSecret": True}}))[
        "updateAutomation"
    ]
    assert rotated["signingSecret"] not in (None, created["signingSecret"])

    enabled = data_of(
        await gql(
            "mutation ($id: ID!) { setAutomationEnabled(id: $id, enabled: true) { enabled } }",
            {"id": created["id"]},
        )
    )["setAutomationEnabled"]
    assert enabled["enabled"] is True

    delete = "mutation ($id: ID!) { deleteAutomation(id: $id) }"
    assert data_of(await gql(delete, {"id": created["id"]}))["deleteAutomation"] is True
    assert data_of(await gql(delete, {"id": created["id"]}))["deleteAutomation"] is False
    assert error_codes(await gql(GET, {"id": created["id"]})) == ["NOT_FOUND"]
    assert data_of(await gql(LIST))["automations"] == []


async def test_every_trigger_and_action_type_is_accepted(gql, flow):
    triggers = [
        {"type": "flow_run_state", "states": ["Running"]},
        {"type": "sla_breach", "kinds": ["late_start", "missed_run"]},
        {"type": "agent_unhealthy", "agentNames": ["box-1"]},
        {"type": "task_run_failures", "count": 3, "taskSlugs": ["inc"]},
    ]
    for trigger in triggers:
        created = await create_automation(
            gql,
            name=trigger["type"],
            trigger=trigger,
            actions=[
                {"type": "start_flow_run", "flowGroupId": str(flow.id), "parameters": {"who": "x"}},
                {"type": "pause_schedule", "flowGroupId": str(flow.flow_group_id)},
            ],
        )
        assert created["trigger"]["type"] == trigger["type"]
        assert created["actions"][0]["flowGroupId"] == str(flow.flow_group_id)
    cancel = await create_automation(
        gql,
        name="cancel slow runs",
        trigger={"type": "sla_breach", "kinds": ["long_run"]},
        actions=[{"type": "cancel_flow_run"}],
    )
    assert cancel["actions"] == [
        {
            "type": "cancel_flow_run",
            "url": None,
            "headers": None,
            "message": None,
            "to": [],
            "subject": None,
            "flowGroupId": None,
            "parameters": None,
        }
    ]


BAD_TRIGGERS = [
    ({"type": "when_it_rains"}, "trigger.type"),
    ({"type": "flow_run_state", "states": ["Faild"]}, "trigger.states"),
    ({"type": "flow_run_state", "states": []}, "trigger.states"),
    ({"type": "flow_run_state"}, "trigger.states"),
    ({"type": "flow_run_state", "states": ["Failed"], "project": "nope"}, "trigger.project"),
    ({"type": "flow_run_state", "states": ["Failed"], "flowGroupIds": ["x"]}, "flow_group_ids"),
    ({"type": "flow_run_state", "states": ["Failed"], "count": 3}, "trigger.count"),
    ({"type": "sla_breach", "kinds": ["too_slow"]}, "trigger.kinds"),
    ({"type": "task_run_failures", "count": 0}, "trigger.count"),
    ({"type": "task_run_failures"}, "trigger.count"),
]
BAD_ACTIONS = [
    ({"type": "telegram"}, "actions.0.type"),
    ({"type": "webhook"}, "actions.0.url"),
    ({"type": "webhook", "url": "ftp://files.example/x"}, "actions.0.url"),
    ({"type": "webhook", "url": "not a url"}, "actions.0.url"),
    ({"type": "webhook", "url": "http://h:99999/"}, "actions.0.url"),
    ({"type": "webhook", "url": "https://h/", "headers": {"X-Proctor-Signature": "x"}}, "headers"),
    ({"type": "webhook", "url": "https://h/", "headers": {"Bad Name": "x"}}, "headers"),
    ({"type": "webhook", "url": "https://h/", "headers": {"X": "a\r\nB: c"}}, "headers"),
    ({"type": "webhook", "url": "https://h/", "headers": ["x"]}, "headers"),
    ({"type": "slack", "url": "https://h/", "message": "{flow.__class__}"}, "message"),
    ({"type": "slack", "url": "https://h/", "message": "{nope}"}, "message"),
    ({"type": "slack", "url": "https://h/", "message": "{flow!r}"}, "message"),
    ({"type": "slack", "url": "https://h/", "message": "{flow:>999999}"}, "message"),
    ({"type": "slack", "url": "https://h/", "message": "a { b"}, "message"),
    ({"type": "email", "to": []}, "actions.0.to"),
    ({"type": "email", "to": ["not-an-address"]}, "actions.0.to"),
    ({"type": "email", "to": ["a@b.example"], "subject": "two\nlines"}, "subject"),
    ({"type": "email", "to": ["a@b.example"], "url": "https://h/"}, "actions.0.url"),
    ({"type": "start_flow_run"}, "flow_group_id"),
    ({"type": "start_flow_run", "flowGroupId": "00000000-0000-4000-8000-00000000dead"}, "flow"),
    ({"type": "pause_schedule", "flowGroupId": "nope"}, "flow_group_id"),
]


@pytest.mark.parametrize(("trigger", "field"), BAD_TRIGGERS)
async def test_bad_triggers_are_invalid_input(gql, flow, trigger, field):
    body = await gql(
        CREATE,
        {"input": {"name": "x", "trigger": trigger, "actions": [webhook_action()]}},
    )
    assert error_codes(body) == ["INVALID_INPUT"], body
    assert field in body["errors"][0]["message"]
    assert data_of(await gql(LIST))["automations"] == []


@pytest.mark.parametrize(("action", "field"), BAD_ACTIONS)
async def test_bad_actions_are_invalid_input(gql, flow, action, field):
    body = await gql(
        CREATE,
        {
            "input": {
                "name": "x",
                "trigger": {"type": "flow_run_state", "states": ["Failed"]},
                "actions": [action],
            }
        },
    )
    assert error_codes(body) == ["INVALID_INPUT"], body
    assert field in body["errors"][0]["message"], body["errors"][0]["message"]
    assert data_of(await gql(LIST))["automations"] == []


async def test_other_mistakes_are_invalid_input_and_change_nothing(gql, flow):
    failed = {"type": "flow_run_state", "states": ["Failed"]}
    cases = [
        {"name": " ", "trigger": failed, "actions": [webhook_action()]},
        {"name": "x", "trigger": failed, "actions": []},
        {"name": "x", "trigger": failed, "actions": [webhook_action()] * 11},
        {"name": "x", "trigger": failed, "actions": [webhook_action()], "secret": "short"},
        # cancel_flow_run needs a trigger about a run; pause_schedule a flow when not.
        {
            "name": "x",
            "trigger": {"type": "agent_unhealthy"},
            "actions": [{"type": "cancel_flow_run"}],
        },
        {
            "name": "x",
            "trigger": {"type": "agent_unhealthy"},
            "actions": [{"type": "pause_schedule"}],
        },
        # parameters are checked against the flow's schema
        {
            "name": "x",
            "trigger": failed,
            "actions": [
                {"type": "start_flow_run", "flowGroupId": str(flow.id), "parameters": {"n": "x"}}
            ],
        },
    ]
    for values in cases:
        body = await gql(CREATE, {"input": values})
        assert error_codes(body) == ["INVALID_INPUT"], (values, body)
    assert data_of(await gql(LIST))["automations"] == []

    created = await create_automation(gql, name="ok", trigger=failed, actions=[webhook_action()])
    bad_patch = await gql(
        UPDATE,
        {"id": created["id"], "input": {"actions": [{"type": "webhook", "url": "nope"}]}},
    )
    assert error_codes(bad_patch) == ["INVALID_INPUT"]
    unchanged = data_of(await gql(GET, {"id": created["id"]}))["automation"]
    assert unchanged["actions"] == [{"type": "webhook", "url": "https://hooks.example/x"}]
    assert error_codes(await gql(UPDATE, {"id": some_id(), "input": {"name": "y"}})) == [
        "NOT_FOUND"
    ]
    assert error_codes(await gql(GET, {"id": "not-a-uuid"})) == ["INVALID_INPUT"]


async def test_sla_settings_are_validated(gql, flow):
    set_sla = """mutation ($flowId: ID!, $late: Float, $long: Float, $missed: Float) {
      setFlowSla(flowId: $flowId, lateStartSeconds: $late, longRunSeconds: $long,
                 missedRunSeconds: $missed) {
        flowGroupId lateStartSeconds longRunSeconds missedRunSeconds } }"""
    get_sla = """query ($flowId: ID!) { flowSla(flowId: $flowId) {
        flowGroupId lateStartSeconds longRunSeconds missedRunSeconds } }"""
    saved = data_of(await gql(set_sla, {"flowId": str(flow.id), "late": 60, "long": 3600}))
    assert saved["setFlowSla"] == {
        "flowGroupId": str(flow.flow_group_id),
        "lateStartSeconds": 60.0,
        "longRunSeconds": 3600.0,
        "missedRunSeconds": None,
    }
    for bad in ({"late": 0}, {"long": -5}, {"missed": 10 * 365 * 86400.0}):
        body = await gql(set_sla, {"flowId": str(flow.id), **bad})
        assert error_codes(body) == ["INVALID_INPUT"], body
    assert error_codes(await gql(set_sla, {"flowId": some_id(), "late": 5})) == ["NOT_FOUND"]
    read = data_of(await gql(get_sla, {"flowId": str(flow.flow_group_id)}))["flowSla"]
    assert read == saved["setFlowSla"]  # the refused changes changed nothing
    cleared = data_of(await gql(set_sla, {"flowId": str(flow.id)}))["setFlowSla"]
    assert cleared["lateStartSeconds"] is None and cleared["longRunSeconds"] is None
    bad_kind = await gql('{ slaBreaches(kind: "slow") { nodes { id } } }')
    assert error_codes(bad_kind) == ["INVALID_INPUT"]
    bad_status = await gql('{ notifications(status: "lost") { nodes { id } } }')
    assert error_codes(bad_status) == ["INVALID_INPUT"]
