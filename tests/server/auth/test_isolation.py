"""Team isolation: a person of team B, guessing every id of team A, reads and changes
nothing of team A through any query, mutation or subscription.

How it works
------------
`KINDS` is a registry of object kinds. Each `Kind` says

- `create(db, team_a, ids)`: make objects of this kind in team A (via the services) and
  record their ids and tell-tale names in `ids` (a dict shared by all kinds, so a kind can
  use what an earlier kind made: runs use the flow);
- `probes`: GraphQL operations team B's owner sends with team A's ids (`variables` is a
  function of `ids`), each expecting an error code (`NOT_FOUND`; `INVALID_INPUT` for team
  A's id inside a document) or a plain answer (`NOTHING`), optionally with a `check` of
  the answer's data for what the leak check cannot see (a count, "false: not yours");
- `unchanged(db, team_a, ids)`: assertions, after all probes, that team A's objects are as
  they were.

Every probe also passes the generic leak check: the response contains none of team A's
ids or names except those the probe itself sent. Probes run twice, with team B's API key
and with team B's browser session; subscriptions (`subscription` documents) run through
the schema with team B's principal.

Adding a kind is a few lines:

    KINDS.append(Kind(
        "secrets",
        create=make_secrets,                     # async (db, team_a, ids) -> None
        probes=(Probe("mutation($n: String!) { deleteSecret(name: $n) }",
                      _v(n="secret_name"), NOTHING, _is("deleteSecret", False)),),
        unchanged=secrets_unchanged,             # async (db, team_a, ids) -> None
    ))

Probes run in `KINDS` order: "audit events" comes first because team B's own audit log
records team B's later probes, with the team A ids they carried.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from tests.server.auth.helpers import Browser, codes, gql, new_team, new_user, staffed_team

from proctor.server.api import build_schema
from proctor.server.api.context import ApiContext
from proctor.server.api.request_limits import RequestLimits
from proctor.server.auth.api_keys import authenticate_key
from proctor.server.database import Database
from proctor.server.database.models import ApiKey, Membership
from proctor.server.services.agents import list_agents, register_agent
from proctor.server.services.flow_run_states import set_flow_run_states
from proctor.server.services.flow_runs import create_flow_run, get_flow_run
from proctor.server.services.flows import get_flow, register_flow
from proctor.server.services.logs import list_logs, write_logs
from proctor.server.services.plumbing.inputs import LogIn
from proctor.server.services.projects import list_projects
from proctor.server.services.task_runs import create_task_runs, list_task_runs

NOT_FOUND = "NOT_FOUND"
INVALID_INPUT = "INVALID_INPUT"  # a reference to team A's object inside a document
NOTHING = "nothing"  # no error; whatever comes back holds nothing of team A

Ids = dict[str, Any]


@dataclass(frozen=True)
class Probe:
    document: str
    variables: Callable[[Ids], dict[str, Any]]
    expect: str  # an error code or NOTHING; a code also matches batched results' codes
    # For a plain answer: what the leak check cannot see (a count, an empty list), on `data`.
    check: Callable[[dict[str, Any]], bool] | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    create: Callable[[Database, uuid.UUID, Ids], Awaitable[None]]
    probes: tuple[Probe, ...]
    unchanged: Callable[[Database, uuid.UUID, Ids], Awaitable[None]]


def _is(field: str, value: Any) -> Callable[[dict[str, Any]], bool]:
    return lambda data: data[field] == value


def _empty(field: str) -> Callable[[dict[str, Any]], bool]:
    """A connection with no nodes (and a total, if counted, of 0)."""
    return lambda data: data[field]["nodes"] == [] and data[field].get("totalCount") in (None, 0)


def _v(**names: str) -> Callable[[Ids], dict[str, Any]]:
    """Variables taken from `ids` by name: `_v(id="run")` -> {"id": ids["run"]}."""
    return lambda ids: {var: ids[key] for var, key in names.items()}


# -- projects and flows --------------------------------------------------------------------


async def make_flows(db: Database, team: uuid.UUID, ids: Ids) -> None:
    from proctor import Flow, task

    @task
    def a_secret_step(x: int) -> int:
        return x

    with Flow("a-secret-flow") as flow:
        a_secret_step(1)
    result = await register_flow(
        db, team, "a-secret-project", dict(flow.serialize()), create_project=True
    )
    ids.update(
        flow=str(result.flow.id),
        flow_group=str(result.flow.flow_group_id),
        project=str(result.flow.project_id),
        flow_name="a-secret-flow",
        project_name="a-secret-project",
    )


async def flows_unchanged(db: Database, team: uuid.UUID, ids: Ids) -> None:
    flow = await get_flow(db, team, ids["flow"])
    assert not flow.archived
    [project] = await list_projects(db, team)
    assert project.name == "a-secret-project"


# -- runs, task runs, logs -----------------------------------------------------------------


async def make_runs(db: Database, team: uuid.UUID, ids: Ids) -> None:
    run = await create_flow_run(db, team, flow_id=ids["flow"], name="a-secret-run")
    await create_task_runs(db, team, run.id, [("a_secret_step", -1)])
    page = await list_task_runs(db, team, run.id)
    await write_logs(db, team, [LogIn(run.id, "a-secret-log-line")])
    ids.update(run=str(run.id), run_version=run.version, task_run=str(page.items[0].id))


async def runs_unchanged(db: Database, team: uuid.UUID, ids: Ids) -> None:
    run = await get_flow_run(db, team, ids["run"])
    assert run.state_type == "Scheduled" and run.version == ids["run_version"]
    page = await list_task_runs(db, team, ids["run"])
    assert [(t.task_slug, t.state_type) for t in page.items] == [("a_secret_step", "Pending")]
    logs = await list_logs(db, team, ids["run"])
    assert [line.message for line in logs.items] == ["a-secret-log-line"]


# -- agents -----------------------------------------------------------------------------------


async def make_agents(db: Database, team: uuid.UUID, ids: Ids) -> None:
    agent = await register_agent(db, team, "a-secret-agent", labels=["a-label"])
    ids.update(agent=str(agent.id), agent_name="a-secret-agent")


async def agents_unchanged(db: Database, team: uuid.UUID, ids: Ids) -> None:
    [agent] = await list_agents(db, team)
    assert str(agent.id) == ids["agent"] and agent.labels == ["a-label"]


# -- people and keys ------------------------------------------------------------------------


async def make_people(db: Database, team: uuid.UUID, ids: Ids) -> None:
    staffed = await staffed_team(db, "a-secret-team", team)
    async with db.session() as session:
        key_ids = [
            str(k)
            for k in await session.scalars(sa.select(ApiKey.id).where(ApiKey.tenant_id == team))
        ]
    ids.update(
        owner=str(staffed.users["owner"].id),
        owner_email=staffed.users["owner"].email,
        member=str(staffed.users["member"].id),
        key=key_ids[0],
        keys=key_ids,
        plain_keys=list(staffed.keys.values()),
    )


async def people_unchanged(db: Database, team: uuid.UUID, ids: Ids) -> None:
    for key in ids["plain_keys"]:
        checked = await authenticate_key(db, key)
        assert checked.principal is not None and checked.principal.tenant_id == team
    async with db.session() as session:
        roles = {
            str(u): r
            for u, r in (
                await session.execute(
                    sa.select(Membership.user_id, Membership.role).where(
                        Membership.tenant_id == team
                    )
                )
            ).all()
        }
    assert roles[ids["owner"]] == "owner" and roles[ids["member"]] == "member"


# -- audit events -------------------------------------------------------------------------------


async def make_audit(db: Database, team: uuid.UUID, ids: Ids) -> None:
    from proctor.server.services.audit import AuditRecord, write_audit_events

    actor = (await new_user(db, team, "member", "a-secret-auditor@a.example.com")).id
    now = datetime.now(UTC)
    written = [
        AuditRecord(
            tenant_id=team,
            action="deleteProject",
            occurred=now,
            actor_kind="session",
            actor_user_id=actor,
            object_type="project",
            object_id="a-secret-audited-object",
            details={"name": "a-secret-audit-detail"},
        ),
        AuditRecord(
            tenant_id=team,
            action="a-secret-audited-action",
            occurred=now,
            actor_kind="local",
            success=False,
            details={"error": "a-secret-audit-error"},
        ),
    ]
    assert await write_audit_events(db, written) == 2
    ids.update(
        audit_actor=str(actor),
        audit_object="a-secret-audited-object",
        audit_action="a-secret-audited-action",
    )


async def audit_unchanged(db: Database, team: uuid.UUID, ids: Ids) -> None:
    from proctor.server.services.audit import list_audit_events
    from proctor.server.services.audit_writer import writer_for

    await writer_for(db).flush()
    page = await list_audit_events(db, team)
    # Team B's own actions (all of them naming team A's ids) went to team B's log.
    assert sorted(event.action for event in page.items) == [
        "a-secret-audited-action",
        "deleteProject",
    ]


# -- secrets ----------------------------------------------------------------------------------


async def make_secrets(db: Database, team: uuid.UUID, ids: Ids) -> None:
    from proctor.server.services import secrets
    from proctor.server.services.keyring import load_keyring
    from proctor.server.services.plumbing.inputs import FlowRunStateChange
    from proctor.settings import get_settings

    # A Running run: the kind of run `secretValue` answers in its own team.
    run = await create_flow_run(
        db, team, flow_id=ids["flow"], name="a-secret-running-run", labels=["a-secret-label"]
    )
    [started] = await set_flow_run_states(
        db, team, [FlowRunStateChange(run.id, {"type": "Running"})]
    )
    assert started.accepted, started
    value = f"a-secret-value-{uuid.uuid4().hex}"
    record = await secrets.set_secret(
        db, load_keyring(get_settings()), team, "A_SECRET_TOKEN", value, actor="a-secret-setter"
    )
    ids.update(
        running_run=str(run.id),
        secret_name="A_SECRET_TOKEN",
        secret_value=value,
        secret_updated=record.updated.isoformat(),
    )


async def secrets_unchanged(db: Database, team: uuid.UUID, ids: Ids) -> None:
    from proctor.server.services import secrets
    from proctor.server.services.keyring import load_keyring
    from proctor.settings import get_settings

    [record] = await secrets.list_secrets(db, team)
    assert (record.name, record.updated_by) == (ids["secret_name"], "a-secret-setter")
    assert record.updated.isoformat() == ids["secret_updated"]
    value = await secrets.secret_value(
        db, load_keyring(get_settings()), team, ids["secret_name"], ids["running_run"]
    )
    assert value == ids["secret_value"]


# -- automations, notifications, SLAs ---------------------------------------------------------


async def make_alerting(db: Database, team: uuid.UUID, ids: Ids) -> None:
    from proctor.server.events import Event
    from proctor.server.services.alerting import automations, matching, slas

    automation = await automations.create_automation(
        db,
        team,
        name="a-secret-automation",
        description="a-secret-description",
        trigger={
            "type": "flow_run_state",
            "states": ["Scheduled"],
            "project": ids["project_name"],
            "flow_group_ids": [ids["flow_group"]],
        },
        # Never delivered: no notifier runs in these tests, and .invalid never resolves.
        actions=[{"type": "webhook", "url": "https://a-secret-hook.example.invalid/hook"}],
    )
    # A real notification of team A: the matcher's work for team A's run.
    run = await get_flow_run(db, team, ids["run"])
    event = Event(
        "flow_run.state",
        str(team),
        flow_run_id=ids["run"],
        data={"state": run.state, "state_type": run.state_type, "version": run.version},
    )
    assert await matching.handle_event(db, event, matching.AutomationCache(db)) == 1
    await slas.set_flow_sla(db, team, ids["flow_group"], late_start_seconds=60)
    # Team A's run has not started: two minutes on, that is a late start.
    report = await slas.detect_breaches(db, now=datetime.now(UTC) + timedelta(seconds=120))
    [breach] = report.breaches
    ids.update(
        automation=str(automation.id),
        automation_name="a-secret-automation",
        automation_updated=automation.updated.isoformat(),
        hook_url="https://a-secret-hook.example.invalid/hook",
        breach=str(breach["id"]),
    )


async def alerting_unchanged(db: Database, team: uuid.UUID, ids: Ids) -> None:
    from proctor.server.services.alerting import automations, notifications, signing, slas

    automation = await automations.get_automation(
        db, team, ids["automation"], keyring=signing.current_keyring()
    )
    assert (automation.name, automation.enabled) == ("a-secret-automation", True)
    assert automation.updated.isoformat() == ids["automation_updated"]
    assert automation.actions[0]["url"] == ids["hook_url"]
    log = await notifications.list_notifications(db, team)
    assert [(n.automation_name, n.status, n.test) for n in log.items] == [
        ("a-secret-automation", "pending", False)
    ]
    sla = await slas.get_flow_sla(db, team, ids["flow_group"])
    assert (sla.late_start_seconds, sla.long_run_seconds) == (60.0, None)
    breaches = await slas.list_sla_breaches(db, team)
    assert [str(b.id) for b in breaches.items] == [ids["breach"]]


# -- concurrency limits -----------------------------------------------------------------------


async def make_limits(db: Database, team: uuid.UUID, ids: Ids) -> None:
    from proctor.server.services import concurrency_limits

    await concurrency_limits.set_concurrency_limit(db, team, "task_tag", "a-secret-tag", 5)
    await concurrency_limits.set_concurrency_limit(db, team, "flow_label", "a-secret-label", 3)
    answer = await concurrency_limits.acquire_task_run_slots(
        db,
        team,
        [
            {
                "flow_run_id": ids["run"],
                "task_slug": "a_secret_step",
                "map_index": -1,
                "tags": ["a-secret-tag"],
            }
        ],
    )
    assert [grant.granted for grant in answer.results] == [True]
    ids.update(tag="a-secret-tag", label="a-secret-label")


async def limits_unchanged(db: Database, team: uuid.UUID, ids: Ids) -> None:
    from proctor.server.services import concurrency_limits

    found = await concurrency_limits.list_concurrency_limits(db, team)
    assert [(u.kind, u.key, u.limit, u.in_use) for u in found] == [
        ("flow_label", "a-secret-label", 3, 1),  # team A's Running run
        ("task_tag", "a-secret-tag", 5, 1),
    ]
    holders = [(str(h.flow_run_id), str(h.task_run_id)) for u in found for h in u.holders]
    assert holders == [(ids["running_run"], "None"), (ids["run"], ids["task_run"])]


# -- task-run views, log tails ----------------------------------------------------------------


async def make_tail(db: Database, team: uuid.UUID, ids: Ids) -> None:
    run = await create_flow_run(db, team, flow_id=ids["flow"], name="a-secret-tail-run")
    [task_run] = await create_task_runs(db, team, run.id, [("a_secret_step", -1)])
    await write_logs(db, team, [LogIn(run.id, f"a-secret-tail-line-{n}") for n in range(3)])
    ids.update(
        tail_run=str(run.id), tail_task_run=str(task_run.id), tail_task_version=task_run.version
    )


async def tail_unchanged(db: Database, team: uuid.UUID, ids: Ids) -> None:
    from proctor.server.services.task_run_views import find_task_run

    task_run = await find_task_run(db, team, task_run_id=ids["tail_task_run"])
    assert (task_run.state_type, task_run.version) == ("Pending", ids["tail_task_version"])
    tail = await list_logs(db, team, ids["tail_run"], last=2)
    assert [line.message for line in tail.items] == ["a-secret-tail-line-1", "a-secret-tail-line-2"]
    run = await get_flow_run(db, team, ids["tail_run"])
    assert run.state_type == "Scheduled"


KINDS: list[Kind] = [
    # First: its probes run before team B's own mutations, which team B's own audit log
    # records with the team A ids they were sent.
    Kind(
        "audit events",
        create=make_audit,
        probes=(
            Probe(
                "{ auditEvents { nodes { id action actor actorUserId actorApiKeyId objectType"
                " objectId details } } }",
                _v(),
                NOTHING,
            ),
            Probe(
                "query($a: String!) { auditEvents(actor: $a) { nodes { id } } }",
                lambda ids: {"a": f"user:{ids['audit_actor']}"},
                NOTHING,
                _empty("auditEvents"),
            ),
            Probe(
                "query($a: String!) { auditEvents(actor: $a) { nodes { id } } }",
                _v(a="audit_actor"),
                NOTHING,
                _empty("auditEvents"),
            ),
            Probe(
                "query($o: String!) { auditEvents(objectId: $o) { nodes { id } } }",
                _v(o="audit_object"),
                NOTHING,
                _empty("auditEvents"),
            ),
            Probe(
                "query($a: String!) { auditEvents(action: $a) { nodes { id } totalCount } }",
                _v(a="audit_action"),
                NOTHING,
                _empty("auditEvents"),
            ),
        ),
        unchanged=audit_unchanged,
    ),
    Kind(
        "projects and flows",
        create=make_flows,
        probes=(
            Probe("{ projects { id name } }", _v(), NOTHING),
            Probe("mutation($id: ID!) { deleteProject(id: $id) }", _v(id="project"), NOTHING),
            Probe("query($id: ID!) { flow(id: $id) { id name } }", _v(id="flow"), NOT_FOUND),
            Probe("{ flows(includeArchived: true) { nodes { id name } } }", _v(), NOTHING),
            Probe(
                "query($p: String!) { flows(project: $p) { nodes { id } } }",
                _v(p="project_name"),
                NOTHING,
            ),
            Probe("mutation($id: ID!) { archiveFlow(id: $id) { id } }", _v(id="flow"), NOT_FOUND),
            Probe(
                "mutation($id: ID!) { setScheduleActive(flowId: $id, active: false) { id } }",
                _v(id="flow_group"),
                NOT_FOUND,
            ),
            Probe(
                "mutation($id: ID!) { createFlowRun(input: {flowId: $id}) { id } }",
                _v(id="flow"),
                NOT_FOUND,
            ),
            Probe(
                "mutation($p: String!, $f: String!) {"
                " createFlowRun(input: {project: $p, flowName: $f}) { id } }",
                _v(p="project_name", f="flow_name"),
                NOT_FOUND,
            ),
            Probe(
                "mutation($p: String!) { createProject(name: $p) { id name } }",
                _v(p="project_name"),
                NOTHING,  # team B may have a project of the same name: its own
            ),
        ),
        unchanged=flows_unchanged,
    ),
    Kind(
        "flow runs, task runs and logs",
        create=make_runs,
        probes=(
            Probe("query($id: ID!) { flowRun(id: $id) { id } }", _v(id="run"), NOT_FOUND),
            Probe(
                "query($id: ID!) { flowRunContext(id: $id) { flowRun { id } } }",
                _v(id="run"),
                NOT_FOUND,
            ),
            Probe("{ flowRuns { nodes { id name } totalCount } }", _v(), NOTHING),
            Probe(
                "query($id: ID!) { flowRuns(flowId: $id) { nodes { id } } }", _v(id="flow"), NOTHING
            ),
            Probe("{ runCounts { count } }", _v(), NOTHING),
            Probe(
                "query($id: ID!) { taskRuns(flowRunId: $id) { nodes { id taskSlug } } }",
                _v(id="run"),
                NOT_FOUND,
            ),
            Probe(
                "query($id: ID!) { logs(flowRunId: $id) { nodes { message } } }",
                _v(id="run"),
                NOTHING,  # an empty page
            ),
            Probe("mutation($id: ID!) { cancelFlowRun(id: $id) { id } }", _v(id="run"), NOT_FOUND),
            Probe("mutation($id: ID!) { restartFlowRun(id: $id) { id } }", _v(id="run"), NOT_FOUND),
            Probe("mutation($id: ID!) { deleteFlowRun(id: $id) }", _v(id="run"), NOTHING),
            Probe(
                "mutation($c: [JSON!]!) { setFlowRunStates(changes: $c) { accepted code } }",
                lambda ids: {"c": [{"flowRunId": ids["run"], "state": {"type": "Cancelled"}}]},
                NOT_FOUND,
            ),
            Probe(
                "mutation($c: [JSON!]!) { setTaskRunStates(changes: $c) { accepted code } }",
                lambda ids: {
                    "c": [
                        {
                            "flowRunId": ids["run"],
                            "taskSlug": "a_secret_step",
                            "state": {"type": "Running"},
                        }
                    ]
                },
                NOT_FOUND,
            ),
            Probe(
                "mutation($id: ID!) { createTaskRuns(flowRunId: $id,"
                ' taskRuns: [{taskSlug: "a_secret_step"}]) { id } }',
                _v(id="run"),
                NOT_FOUND,
            ),
            Probe(
                "mutation($l: [JSON!]!) { writeLogs(logs: $l) { count } }",
                lambda ids: {"l": [{"flowRunId": ids["run"], "message": "b-was-here"}]},
                NOT_FOUND,
            ),
            Probe(
                "mutation($ids: [ID!]!) { heartbeatFlowRuns(flowRunIds: $ids) { id } }",
                lambda ids: {"ids": [ids["run"]]},
                NOTHING,
            ),
            Probe("subscription($id: ID!) { flowRun(id: $id) { kind } }", _v(id="run"), NOT_FOUND),
            Probe(
                "subscription($id: ID!) { logs(flowRunId: $id) { message } }",
                _v(id="run"),
                NOT_FOUND,
            ),
        ),
        unchanged=runs_unchanged,
    ),
    Kind(
        "agents",
        create=make_agents,
        probes=(
            Probe("{ agents { id name labels } }", _v(), NOTHING),
            Probe(
                "mutation($id: ID!) { agentHeartbeat(agentId: $id) { id } }",
                _v(id="agent"),
                NOT_FOUND,
            ),
            Probe(
                "mutation($id: ID!) { claimFlowRuns(agentId: $id, labels: []) { id } }",
                _v(id="agent"),
                NOT_FOUND,
            ),
            Probe(
                "mutation($n: String!) { registerAgent(name: $n, labels: []) { id name } }",
                _v(n="agent_name"),
                NOTHING,  # an agent of team B's own, never team A's
            ),
        ),
        unchanged=agents_unchanged,
    ),
    Kind(
        "members and API keys",
        create=make_people,
        probes=(
            Probe("{ members { userId email } }", _v(), NOTHING),
            Probe("{ apiKeys { id name userEmail } }", _v(), NOTHING),
            Probe("{ invitations { id email } }", _v(), NOTHING),
            Probe("{ teams { id name } }", _v(), NOTHING),
            Probe("mutation($id: ID!) { revokeApiKey(id: $id) { id } }", _v(id="key"), NOT_FOUND),
            Probe(
                'mutation($u: ID!) { setMemberRole(userId: $u, role: "read_only") { role } }',
                _v(u="owner"),
                NOT_FOUND,
            ),
            Probe("mutation($u: ID!) { removeMember(userId: $u) }", _v(u="member"), NOT_FOUND),
            Probe(
                'mutation($e: String!) { inviteMember(email: $e, role: "member") { url } }',
                _v(e="owner_email"),
                NOTHING,  # an invitation to team B, which says nothing about team A
            ),
        ),
        unchanged=people_unchanged,
    ),
    Kind(
        "secrets",
        create=make_secrets,
        probes=(
            Probe("{ secrets { name createdBy updatedBy } }", _v(), NOTHING, _is("secrets", [])),
            Probe(
                "query($n: String!, $r: ID!) { secretValue(name: $n, flowRunId: $r) }",
                _v(n="secret_name", r="running_run"),
                NOT_FOUND,
            ),
            Probe(
                'mutation($n: String!) { setSecret(name: $n, value: "b-own-value") {'
                " name createdBy updatedBy } }",
                _v(n="secret_name"),
                NOTHING,  # team B's own secret of that name; team A's value stays
            ),
            Probe(  # team B now has a secret of that name: the run must still be unknown
                "query($n: String!, $r: ID!) { secretValue(name: $n, flowRunId: $r) }",
                _v(n="secret_name", r="running_run"),
                NOT_FOUND,
            ),
            Probe(
                "mutation($n: String!) { deleteSecret(name: $n) }",
                _v(n="secret_name"),
                NOTHING,
                _is("deleteSecret", True),  # team B's own, made just above
            ),
            Probe(
                "mutation($n: String!) { deleteSecret(name: $n) }",
                _v(n="secret_name"),
                NOTHING,
                _is("deleteSecret", False),  # team A's is not team B's to delete
            ),
        ),
        unchanged=secrets_unchanged,
    ),
    Kind(
        "automations, notifications and SLAs",
        create=make_alerting,
        probes=(
            Probe(
                "{ automations { id name description signingSecret"
                " trigger { projectId flowGroupIds } actions { url } } }",
                _v(),
                NOTHING,
                _is("automations", []),
            ),
            Probe(
                "query($id: ID!) { automation(id: $id) { id name } }",
                _v(id="automation"),
                NOT_FOUND,
            ),
            Probe(
                'mutation($id: ID!) { updateAutomation(id: $id, input: {name: "b-was-here"})'
                " { id name } }",
                _v(id="automation"),
                NOT_FOUND,
            ),
            Probe(
                "mutation($id: ID!) { updateAutomation(id: $id, input: {rotateSecret: true})"
                " { signingSecret } }",
                _v(id="automation"),
                NOT_FOUND,
            ),
            Probe(
                "mutation($id: ID!) { setAutomationEnabled(id: $id, enabled: false) { id } }",
                _v(id="automation"),
                NOT_FOUND,
            ),
            Probe(
                "mutation($id: ID!) { sendTestNotification(automationId: $id) { id status } }",
                _v(id="automation"),
                NOT_FOUND,
            ),
            Probe(
                "mutation($id: ID!) { deleteAutomation(id: $id) }",
                _v(id="automation"),
                NOTHING,
                _is("deleteAutomation", False),
            ),
            Probe(  # team A's flow in a trigger is a reference to nothing of team B's
                'mutation($g: ID!) { createAutomation(input: {name: "b-auto", trigger:'
                ' {type: "flow_run_state", states: ["Failed"], flowGroupIds: [$g]},'
                ' actions: [{type: "cancel_flow_run"}]}) { id } }',
                _v(g="flow_group"),
                INVALID_INPUT,
            ),
            Probe(
                'mutation($p: String!) { createAutomation(input: {name: "b-auto", trigger:'
                ' {type: "flow_run_state", states: ["Failed"], project: $p},'
                ' actions: [{type: "cancel_flow_run"}]}) { id } }',
                _v(p="project"),
                INVALID_INPUT,
            ),
            Probe(
                'mutation($g: ID!) { createAutomation(input: {name: "b-auto", trigger:'
                ' {type: "agent_unhealthy"}, actions: [{type: "start_flow_run",'
                " flowGroupId: $g}]}) { id } }",
                _v(g="flow_group"),
                INVALID_INPUT,
            ),
            Probe(
                "{ notifications { nodes { id automationId automationName event flowRunId }"
                " totalCount } }",
                _v(),
                NOTHING,
                _empty("notifications"),
            ),
            Probe(
                "query($id: ID!) { notifications(automationId: $id) { nodes { id } } }",
                _v(id="automation"),
                NOTHING,
                _empty("notifications"),
            ),
            Probe(
                "query($id: ID!) { notifications(flowRunId: $id) { nodes { id } } }",
                _v(id="run"),
                NOTHING,
                _empty("notifications"),
            ),
            Probe(
                "query($id: ID!) { flowSla(flowId: $id) { lateStartSeconds } }",
                _v(id="flow_group"),
                NOT_FOUND,
            ),
            Probe(
                "query($id: ID!) { flowSla(flowId: $id) { lateStartSeconds } }",
                _v(id="flow"),  # any version's id names the flow too
                NOT_FOUND,
            ),
            Probe(
                "mutation($id: ID!) { setFlowSla(flowId: $id, lateStartSeconds: 1)"
                " { flowGroupId } }",
                _v(id="flow_group"),
                NOT_FOUND,
            ),
            Probe(  # all thresholds null: "remove the SLA"
                "mutation($id: ID!) { setFlowSla(flowId: $id) { flowGroupId } }",
                _v(id="flow_group"),
                NOT_FOUND,
            ),
            Probe(
                "{ slaBreaches { nodes { id flowName flowRunId subject message } } }",
                _v(),
                NOTHING,
                _empty("slaBreaches"),
            ),
            Probe(
                "query($id: ID!) { slaBreaches(flowId: $id) { nodes { id } } }",
                _v(id="flow_group"),
                NOT_FOUND,
            ),
        ),
        unchanged=alerting_unchanged,
    ),
    Kind(
        "concurrency limits",
        create=make_limits,
        probes=(
            Probe(
                "{ concurrencyLimits { id kind key limit inUse"
                " holders { flowRunId flowRunName taskRunId taskSlug } } }",
                _v(),
                NOTHING,
                _is("concurrencyLimits", []),
            ),
            Probe(
                "mutation { acquireTaskRunSlots(requests: []) { limitedTags } }",
                _v(),
                NOTHING,
                lambda data: data["acquireTaskRunSlots"]["limitedTags"] == [],
            ),
            Probe(
                "mutation($r: [JSON!]!) { acquireTaskRunSlots(requests: $r) {"
                " results { granted taskRunId code reason } limitedTags } }",
                lambda ids: {
                    "r": [
                        {
                            "flowRunId": ids["run"],
                            "taskSlug": "a_secret_step",
                            "mapIndex": -1,
                            "tags": [ids["tag"]],
                        },
                        # a task run team A's run does not have yet (would be created)
                        {"flowRunId": ids["running_run"], "taskSlug": "b_step", "tags": []},
                    ]
                },
                NOT_FOUND,
            ),
            Probe(
                'mutation($k: String!) { setConcurrencyLimit(kind: "task_tag", key: $k,'
                " limit: 1) { key limit inUse holders { flowRunId } } }",
                _v(k="tag"),
                NOTHING,  # team B's own limit of that tag
                lambda data: data["setConcurrencyLimit"]["inUse"] == 0,
            ),
            Probe(  # team A's Running run carries the label: not team B's to count
                'mutation($k: String!) { setConcurrencyLimit(kind: "flow_label", key: $k,'
                " limit: 1) { key limit inUse holders { flowRunId } } }",
                _v(k="label"),
                NOTHING,
                lambda data: data["setConcurrencyLimit"]["inUse"] == 0,
            ),
            Probe(
                'mutation($k: String!) { deleteConcurrencyLimit(kind: "task_tag", key: $k) }',
                _v(k="tag"),
                NOTHING,
                _is("deleteConcurrencyLimit", True),  # team B's own
            ),
            Probe(
                'mutation($k: String!) { deleteConcurrencyLimit(kind: "flow_label", key: $k) }',
                _v(k="label"),
                NOTHING,
                _is("deleteConcurrencyLimit", True),
            ),
            Probe(
                'mutation($k: String!) { deleteConcurrencyLimit(kind: "task_tag", key: $k) }',
                _v(k="tag"),
                NOTHING,
                _is("deleteConcurrencyLimit", False),  # team A's stays
            ),
        ),
        unchanged=limits_unchanged,
    ),
    Kind(
        "task-run views and log tails",
        create=make_tail,
        probes=(
            Probe(
                "query($id: ID!) { taskRun(id: $id) { id taskSlug } }",
                _v(id="tail_task_run"),
                NOT_FOUND,
            ),
            Probe(
                'query($r: ID!) { taskRun(flowRunId: $r, taskSlug: "a_secret_step") { id } }',
                _v(r="tail_run"),
                NOT_FOUND,
            ),
            Probe(
                "query($id: ID!) { flowRun(id: $id) { id taskRunSummary"
                " taskRunRows { fields rows totalCount } } }",
                _v(id="tail_run"),
                NOT_FOUND,
            ),
            Probe(
                "query($id: ID!) { flow(id: $id) { id nextRunTimes(n: 3) } }",
                _v(id="flow"),
                NOT_FOUND,
            ),
            Probe(
                "query($id: ID!) { flowRuns(flowId: $id) { nodes { id taskRunSummary"
                " taskRunRows { rows } flow { nextRunTimes } } } }",
                _v(id="flow"),
                NOTHING,
                _empty("flowRuns"),
            ),
            Probe(
                "query($id: ID!) { logs(flowRunId: $id, last: 2) { nodes { message }"
                " totalCount pageInfo { endCursor } } }",
                _v(id="tail_run"),
                NOTHING,
                _empty("logs"),
            ),
        ),
        unchanged=tail_unchanged,
    ),
]


# -- the test ----------------------------------------------------------------------------------


def _secrets_of(value: Any) -> set[str]:
    """Every string in `value` (nested dicts and lists included)."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return set().union(*(_secrets_of(item) for item in value)) if value else set()
    return set()


async def _subscribe(
    db: Database, key: str, document: str, variables: dict[str, Any]
) -> dict[str, Any]:
    principal = (await authenticate_key(db, key)).principal
    assert principal is not None
    stopping = asyncio.Event()
    context = ApiContext(
        db=db,
        events=db.events,
        tenant_id=principal.tenant_id,
        request_limits=RequestLimits(),
        principal=principal,
        stopping=stopping,
    )
    stream = await build_schema().subscribe(document, variables, context_value=context)
    if not hasattr(stream, "__anext__"):
        result = stream
    else:
        try:
            result = await asyncio.wait_for(stream.__anext__(), timeout=2)
        finally:
            stopping.set()
            await stream.aclose()
    return {
        "data": result.data,
        "errors": [{"message": e.message, "extensions": e.extensions} for e in result.errors or []],
    }


@pytest.mark.parametrize("how", ["api_key", "session"])
async def test_team_b_reads_and_changes_nothing_of_team_a(
    http: httpx.AsyncClient, database: Database, how: str
) -> None:
    team_a = await new_team(database, "team-a")
    ids: Ids = {}
    for kind in KINDS:
        await kind.create(database, team_a, ids)
    team_b = await staffed_team(database, "team-b")
    browser = Browser(http)
    await browser.login(team_b.users["owner"].email)
    secrets = _secrets_of(ids)

    problems: list[str] = []
    for kind in KINDS:
        for probe in kind.probes:
            variables = probe.variables(ids)
            if probe.document.startswith("subscription"):
                body = await _subscribe(database, team_b.keys["owner"], probe.document, variables)
            elif how == "api_key":
                body = await gql(http, probe.document, variables, key=team_b.keys["owner"])
            else:
                body = await browser.gql(probe.document, variables)
            problem = _judge(probe, body, secrets - _secrets_of(variables))
            if problem:
                problems.append(f"[{kind.name}] {probe.document[:70]}: {problem}")
    assert not problems, "\n".join(problems)
    for kind in KINDS:
        await kind.unchanged(database, team_a, ids)


def _judge(probe: Probe, body: dict[str, Any], secrets: set[str]) -> str | None:
    text = json.dumps(body)
    leaked = sorted(s for s in secrets if s in text)
    if leaked:
        return f"leaks {leaked}: {text[:300]}"
    found = codes(body)
    data = body.get("data") or {}
    if probe.expect != NOTHING:
        result_codes = _result_codes(data)
        if found == [probe.expect] or (
            not found and result_codes and set(result_codes) == {probe.expect}
        ):
            return None
        return f"wanted {probe.expect}, got {text[:300]}"
    if found:
        return f"wanted a plain answer, got errors {found}"
    if probe.check is not None and not probe.check(data):
        return f"the answer says something of team A: {text[:300]}"
    return None


def _result_codes(data: dict[str, Any]) -> list[Any]:
    """The `code` of each item of a batched answer: a list at the top (`setFlowRunStates`)
    or one level down (`acquireTaskRunSlots { results }`)."""
    lists = [value for value in data.values() if isinstance(value, list)]
    lists += [
        inner
        for value in data.values()
        if isinstance(value, dict)
        for inner in value.values()
        if isinstance(inner, list)
    ]
    return [item.get("code") for items in lists for item in items if isinstance(item, dict)]
