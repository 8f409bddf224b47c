"""Every operation the client sends: its document, variables and typed parser.

Both clients build operations here and only differ in how they send them, so a query is
written once. Fragments select what the typed results hold; the selection stays well
inside the server's depth and cost limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from proctor.client._models import (
    Agent,
    ConcurrencyLimit,
    Flow,
    FlowGroup,
    FlowRun,
    FlowRunConfig,
    FlowRunContext,
    FlowRunStateChange,
    LogEntry,
    LogRecord,
    Page,
    Project,
    RegisterResult,
    RunCount,
    SecretInfo,
    TaskRun,
    TaskRunSlots,
    TaskRunStateChange,
    TransitionResult,
)
from proctor.client._wire import Operation

M = TypeVar("M", bound=BaseModel)

PROJECT = "fragment ProjectFields on Project { id name description created }"
FLOW = """fragment FlowFields on Flow {
  id name version flowGroupId projectId projectName description archived labels
  fingerprint parameterSchema storage runConfig schedule scheduleActive created
  tasks { slug name type mapped tags retries trigger isParameter isReference }
}"""
FLOW_RUN = """fragment FlowRunFields on FlowRun {
  id name flowId flowGroupId flowName state stateType stateMessage stateTimestamp version
  runCount parameters labels scheduledStartTime startTime endTime idempotencyKey created
  agentId heartbeat autoScheduled
}"""
STATE_RECORD = """fragment StateRecordFields on StateRecord {
  state stateType message timestamp startTime resultLocation version
}"""
TASK_RUN = """fragment TaskRunFields on TaskRun {
  id flowRunId taskSlug mapIndex state stateType stateMessage stateTimestamp version
  runCount startTime endTime resultLocation
}"""
AGENT = "fragment AgentFields on Agent { id name labels version lastHeartbeat created problem }"
LOG = """fragment LogFields on Log {
  id flowRunId taskSlug mapIndex level levelName name message timestamp
}"""
TRANSITION = "id accepted state version code reason"
PAGE_INFO = "pageInfo { endCursor hasNextPage } totalCount"

# The batched writes, each field's argument and the selection read from its answer: one
# copy, used by the operations below and by the agent's report, which sends several of
# them in one request (`proctor.agent.wire.report_mutation`).
WRITE_FIELDS: dict[str, tuple[str, str]] = {
    "setTaskRunStates": ("changes", f"{{ {TRANSITION} }}"),
    "setFlowRunStates": ("changes", f"{{ {TRANSITION} }}"),
    "acquireTaskRunSlots": (
        "requests",
        "{ results { granted taskRunId code reason } limitedTags }",
    ),
    "writeLogs": ("logs", "{ count }"),
    "writeArtifacts": ("artifacts", "{ count }"),
}


def write_field(field: str, variable: str, *, alias: str | None = None) -> str:
    """One batched write as a mutation field, its list taken from `$variable`."""
    argument, selection = WRITE_FIELDS[field]
    name = f"{alias}: {field}" if alias else field
    return f"{name}({argument}: ${variable}) {selection}"


def write_mutation(field: str) -> str:
    """A mutation of one batched write, its list in the variable named like the argument."""
    argument, _selection = WRITE_FIELDS[field]
    return f"mutation (${argument}: [JSON!]!) {{ {write_field(field, argument)} }}"


def _one(field: str, model: type[M]) -> Any:
    def parse(data: dict[str, Any]) -> M:
        return model.model_validate(data[field])

    return parse


def _many(field: str, model: type[M]) -> Any:
    def parse(data: dict[str, Any]) -> list[M]:
        return [model.model_validate(item) for item in data[field]]

    return parse


def _page(field: str, model: type[M]) -> Any:
    def parse(data: dict[str, Any]) -> Page[M]:
        connection = data[field]
        info = connection["pageInfo"]
        return Page[model](  # type: ignore[valid-type]
            items=[model.model_validate(item) for item in connection["nodes"]],
            end_cursor=info["endCursor"],
            has_next_page=info["hasNextPage"],
            total_count=connection.get("totalCount"),
        )

    return parse


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# -- projects ------------------------------------------------------------------------------


def create_project(name: str, description: str | None) -> Operation[Project]:
    return Operation(
        "mutation ($name: String!, $description: String) {"
        " createProject(name: $name, description: $description) { ...ProjectFields } }\n" + PROJECT,
        {"name": name, "description": description},
        _one("createProject", Project),
    )


def list_projects() -> Operation[list[Project]]:
    return Operation(
        "query { projects { ...ProjectFields } }\n" + PROJECT,
        {},
        _many("projects", Project),
        idempotent=True,
    )


def delete_project(project_id: str) -> Operation[bool]:
    return Operation(
        "mutation ($id: ID!) { deleteProject(id: $id) }",
        {"id": project_id},
        lambda data: bool(data["deleteProject"]),
        idempotent=True,
    )


# -- flows ---------------------------------------------------------------------------------


def register_flow(
    project: str,
    spec: dict[str, Any],
    *,
    storage: dict[str, Any] | None,
    labels: Sequence[str] | None,
    archive_previous: bool,
    create_project: bool,
) -> Operation[RegisterResult]:
    return Operation(
        "mutation ($input: RegisterFlowInput!) { registerFlow(input: $input) {"
        " status archived flow { ...FlowFields } } }\n" + FLOW,
        {
            "input": {
                "project": project,
                "spec": spec,
                "storage": storage,
                "labels": list(labels) if labels is not None else None,
                "archivePrevious": archive_previous,
                "createProject": create_project,
            }
        },
        _one("registerFlow", RegisterResult),
        # The server recognises an identical spec by its fingerprint.
        idempotent=True,
    )


def get_flow(flow_id: str) -> Operation[Flow]:
    return Operation(
        "query ($id: ID!) { flow(id: $id) { ...FlowFields } }\n" + FLOW,
        {"id": flow_id},
        _one("flow", Flow),
        idempotent=True,
    )


def list_flows(
    *,
    project: str | None,
    name: str | None,
    search: str | None,
    include_archived: bool,
    first: int | None,
    after: str | None,
) -> Operation[Page[Flow]]:
    return Operation(
        "query ($project: String, $name: String, $search: String, $includeArchived: Boolean,"
        " $first: Int, $after: String) { flows(project: $project, name: $name,"
        " search: $search, includeArchived: $includeArchived, first: $first, after: $after)"
        f" {{ nodes {{ ...FlowFields }} {PAGE_INFO} }} }}\n" + FLOW,
        {
            "project": project,
            "name": name,
            "search": search,
            "includeArchived": include_archived,
            "first": first,
            "after": after,
        },
        _page("flows", Flow),
        idempotent=True,
    )


def archive_flow(flow_id: str) -> Operation[Flow]:
    return Operation(
        "mutation ($id: ID!) { archiveFlow(id: $id) { ...FlowFields } }\n" + FLOW,
        {"id": flow_id},
        _one("archiveFlow", Flow),
        idempotent=True,
    )


def set_schedule_active(flow_id: str, active: bool) -> Operation[FlowGroup]:
    return Operation(
        "mutation ($id: ID!, $active: Boolean!) { setScheduleActive(flowId: $id,"
        " active: $active) { id name projectId schedule scheduleActive labels } }",
        {"id": flow_id, "active": active},
        _one("setScheduleActive", FlowGroup),
        idempotent=True,
    )


# -- flow runs -----------------------------------------------------------------------------


def create_flow_run(
    *,
    flow_id: str | None,
    project: str | None,
    flow_name: str | None,
    parameters: dict[str, Any] | None,
    scheduled_start_time: datetime | None,
    labels: Sequence[str] | None,
    idempotency_key: str | None,
    name: str | None,
    env: dict[str, str] | None = None,
) -> Operation[FlowRun]:
    run_input: dict[str, Any] = {
        "flowId": flow_id,
        "project": project,
        "flowName": flow_name,
        "parameters": parameters,
        "scheduledStartTime": _iso(scheduled_start_time),
        "labels": list(labels) if labels is not None else None,
        "idempotencyKey": idempotency_key,
        "name": name,
    }
    if env is not None:  # sent only when given: older servers do not know the field
        run_input["env"] = dict(env)
    return Operation(
        "mutation ($input: CreateFlowRunInput!) { createFlowRun(input: $input)"
        " { ...FlowRunFields } }\n" + FLOW_RUN,
        {"input": run_input},
        _one("createFlowRun", FlowRun),
        # Without a key a repeat would create a second run: only retried when keyed.
        idempotent=idempotency_key is not None,
    )


def get_flow_run(flow_run_id: str) -> Operation[FlowRun]:
    return Operation(
        "query ($id: ID!) { flowRun(id: $id) { ...FlowRunFields"
        " states { ...StateRecordFields } } }\n" + FLOW_RUN + "\n" + STATE_RECORD,
        {"id": flow_run_id},
        _one("flowRun", FlowRun),
        idempotent=True,
    )


def list_flow_runs(
    *,
    flow_id: str | None,
    flow_group_id: str | None,
    project: str | None,
    states: Sequence[str] | None,
    scheduled_before: datetime | None,
    scheduled_after: datetime | None,
    order_by: str | None,
    first: int | None,
    after: str | None,
) -> Operation[Page[FlowRun]]:
    return Operation(
        "query ($flowId: ID, $flowGroupId: ID, $project: String, $states: [String!],"
        " $scheduledBefore: DateTime, $scheduledAfter: DateTime, $orderBy: FlowRunOrder,"
        " $first: Int, $after: String) { flowRuns(flowId: $flowId, flowGroupId: $flowGroupId,"
        " project: $project, states: $states, scheduledBefore: $scheduledBefore,"
        " scheduledAfter: $scheduledAfter, orderBy: $orderBy, first: $first, after: $after)"
        f" {{ nodes {{ ...FlowRunFields }} {PAGE_INFO} }} }}\n" + FLOW_RUN,
        {
            "flowId": flow_id,
            "flowGroupId": flow_group_id,
            "project": project,
            "states": list(states) if states is not None else None,
            "scheduledBefore": _iso(scheduled_before),
            "scheduledAfter": _iso(scheduled_after),
            "orderBy": order_by,
            "first": first,
            "after": after,
        },
        _page("flowRuns", FlowRun),
        idempotent=True,
    )


def set_flow_run_states(changes: Iterable[FlowRunStateChange]) -> Operation[list[TransitionResult]]:
    return Operation(
        write_mutation("setFlowRunStates"),
        {"changes": [change.to_input() for change in changes]},
        _many("setFlowRunStates", TransitionResult),
        # Each change names the version it expects: a repeat cannot apply twice.
        idempotent=True,
    )


def set_task_run_states(changes: Iterable[TaskRunStateChange]) -> Operation[list[TransitionResult]]:
    return Operation(
        write_mutation("setTaskRunStates"),
        {"changes": [change.to_input() for change in changes]},
        _many("setTaskRunStates", TransitionResult),
        idempotent=True,
    )


def create_task_runs(
    flow_run_id: str, items: Iterable[tuple[str, int]]
) -> Operation[list[TaskRun]]:
    return Operation(
        "mutation ($flowRunId: ID!, $taskRuns: [JSON!]!) {"
        " createTaskRuns(flowRunId: $flowRunId, taskRuns: $taskRuns) { ...TaskRunFields } }\n"
        + TASK_RUN,
        {
            "flowRunId": flow_run_id,
            "taskRuns": [{"taskSlug": slug, "mapIndex": index} for slug, index in items],
        },
        _many("createTaskRuns", TaskRun),
        # Task runs are unique per (flow run, slug, map index): a repeat finds them.
        idempotent=True,
    )


def list_task_runs(
    flow_run_id: str,
    *,
    task_slug: str | None,
    states: Sequence[str] | None,
    map_index: int | None,
    first: int | None,
    after: str | None,
) -> Operation[Page[TaskRun]]:
    return Operation(
        "query ($flowRunId: ID!, $taskSlug: String, $states: [String!], $mapIndex: Int,"
        " $first: Int, $after: String) { taskRuns(flowRunId: $flowRunId, taskSlug: $taskSlug,"
        " states: $states, mapIndex: $mapIndex, first: $first, after: $after)"
        f" {{ nodes {{ ...TaskRunFields }} {PAGE_INFO} }} }}\n" + TASK_RUN,
        {
            "flowRunId": flow_run_id,
            "taskSlug": task_slug,
            "states": list(states) if states is not None else None,
            "mapIndex": map_index,
            "first": first,
            "after": after,
        },
        _page("taskRuns", TaskRun),
        idempotent=True,
    )


def cancel_flow_run(flow_run_id: str) -> Operation[FlowRun]:
    return Operation(
        "mutation ($id: ID!) { cancelFlowRun(id: $id) { ...FlowRunFields } }\n" + FLOW_RUN,
        {"id": flow_run_id},
        _one("cancelFlowRun", FlowRun),
        idempotent=True,
    )


def restart_flow_run(flow_run_id: str) -> Operation[FlowRun]:
    return Operation(
        "mutation ($id: ID!) { restartFlowRun(id: $id) { ...FlowRunFields } }\n" + FLOW_RUN,
        {"id": flow_run_id},
        _one("restartFlowRun", FlowRun),
        # A repeat finds the run unfinished and is refused: surfaced, never applied twice.
        idempotent=False,
    )


def heartbeat_flow_runs(flow_run_ids: Iterable[str]) -> Operation[list[FlowRun]]:
    return Operation(
        "mutation ($ids: [ID!]!) { heartbeatFlowRuns(flowRunIds: $ids) { ...FlowRunFields } }\n"
        + FLOW_RUN,
        {"ids": list(flow_run_ids)},
        _many("heartbeatFlowRuns", FlowRun),
        idempotent=True,
    )


def get_flow_run_context(flow_run_id: str) -> Operation[FlowRunContext]:
    return Operation(
        "query ($id: ID!) { flowRunContext(id: $id) {"
        " flowRun { ...FlowRunFields }"
        " flow { id name version flowGroupId projectId projectName labels fingerprint"
        " parameterSchema storage spec }"
        " taskRuns } }\n" + FLOW_RUN,
        {"id": flow_run_id},
        _one("flowRunContext", FlowRunContext),
        idempotent=True,
    )


def delete_flow_run(flow_run_id: str) -> Operation[bool]:
    return Operation(
        "mutation ($id: ID!) { deleteFlowRun(id: $id) }",
        {"id": flow_run_id},
        lambda data: bool(data["deleteFlowRun"]),
        idempotent=True,
    )


# -- logs, agents, dashboard ------------------------------------------------------------------


def write_logs(logs: Iterable[LogRecord]) -> Operation[int]:
    return Operation(
        write_mutation("writeLogs"),
        {"logs": [log.to_input() for log in logs]},
        lambda data: int(data["writeLogs"]["count"]),
        # Log lines carry no identity: a repeat would duplicate them, so never retried
        # once the request may have reached the server.
        idempotent=False,
    )


def list_logs(
    flow_run_id: str,
    *,
    task_slug: str | None,
    level_min: int | None,
    search: str | None,
    first: int | None,
    after: str | None,
    map_index: int | None = None,
) -> Operation[Page[LogEntry]]:
    return Operation(
        "query ($flowRunId: ID!, $taskSlug: String, $levelMin: Int, $search: String,"
        " $first: Int, $after: String, $mapIndex: Int) { logs(flowRunId: $flowRunId,"
        " taskSlug: $taskSlug, mapIndex: $mapIndex,"
        " levelMin: $levelMin, search: $search, first: $first, after: $after)"
        f" {{ nodes {{ ...LogFields }} {PAGE_INFO} }} }}\n" + LOG,
        {
            "flowRunId": flow_run_id,
            "taskSlug": task_slug,
            "mapIndex": map_index,
            "levelMin": level_min,
            "search": search,
            "first": first,
            "after": after,
        },
        _page("logs", LogEntry),
        idempotent=True,
    )


def list_agents() -> Operation[list[Agent]]:
    return Operation(
        "query { agents { ...AgentFields runsInFlight health } }\n" + AGENT,
        {},
        _many("agents", Agent),
        idempotent=True,
    )


def register_agent(name: str, labels: Sequence[str], version: str | None) -> Operation[Agent]:
    return Operation(
        "mutation ($name: String!, $labels: [String!]!, $version: String) {"
        " registerAgent(name: $name, labels: $labels, version: $version)"
        " { ...AgentFields } }\n" + AGENT,
        {"name": name, "labels": list(labels), "version": version},
        _one("registerAgent", Agent),
        # Keyed by name: a repeat updates the same agent.
        idempotent=True,
    )


def agent_heartbeat(agent_id: str, problem: str | None = None) -> Operation[Agent]:
    return Operation(
        "mutation ($id: ID!, $problem: String) {"
        " agentHeartbeat(agentId: $id, problem: $problem) { ...AgentFields } }\n" + AGENT,
        {"id": agent_id, "problem": problem},
        _one("agentHeartbeat", Agent),
        idempotent=True,
    )


def flow_run_configs(flow_run_ids: Sequence[str]) -> Operation[list[FlowRunConfig]]:
    return Operation(
        "query ($ids: [ID!]!) { flowRunConfigs(ids: $ids) { flowRunId runConfig override } }",
        {"ids": list(flow_run_ids)},
        _many("flowRunConfigs", FlowRunConfig),
    )


def claim_flow_runs(
    agent_id: str, labels: Sequence[str], limit: int, wait_seconds: float
) -> Operation[list[FlowRun]]:
    return Operation(
        "mutation ($agentId: ID!, $labels: [String!]!, $limit: Int!, $wait: Float!) {"
        " claimFlowRuns(agentId: $agentId, labels: $labels, limit: $limit,"
        " waitSeconds: $wait) { ...FlowRunFields } }\n" + FLOW_RUN,
        {"agentId": agent_id, "labels": list(labels), "limit": limit, "wait": wait_seconds},
        _many("claimFlowRuns", FlowRun),
        # Not repeated once it may have reached the server: the lost answer's runs stay
        # claimed by this agent, unstarted, until Lazarus re-queues them.
        idempotent=False,
        wait_seconds=wait_seconds,
    )


# -- concurrency limits ----------------------------------------------------------------------

LIMIT = """fragment LimitFields on ConcurrencyLimit {
  id kind key limit inUse created updated
  holders { flowRunId flowRunName taskRunId taskSlug mapIndex state acquired }
}"""


def list_concurrency_limits(kind: str | None) -> Operation[list[ConcurrencyLimit]]:
    return Operation(
        "query ($kind: String) { concurrencyLimits(kind: $kind) { ...LimitFields } }\n" + LIMIT,
        {"kind": kind},
        _many("concurrencyLimits", ConcurrencyLimit),
        idempotent=True,
    )


def set_concurrency_limit(kind: str, key: str, limit: int) -> Operation[ConcurrencyLimit]:
    return Operation(
        "mutation ($kind: String!, $key: String!, $limit: Int!) {"
        " setConcurrencyLimit(kind: $kind, key: $key, limit: $limit) { ...LimitFields } }\n"
        + LIMIT,
        {"kind": kind, "key": key, "limit": limit},
        _one("setConcurrencyLimit", ConcurrencyLimit),
        idempotent=True,
    )


def delete_concurrency_limit(kind: str, key: str) -> Operation[bool]:
    return Operation(
        "mutation ($kind: String!, $key: String!) {"
        " deleteConcurrencyLimit(kind: $kind, key: $key) }",
        {"kind": kind, "key": key},
        lambda data: bool(data["deleteConcurrencyLimit"]),
        idempotent=True,
    )


def acquire_task_run_slots(requests: Iterable[dict[str, Any]]) -> Operation[TaskRunSlots]:
    return Operation(
        write_mutation("acquireTaskRunSlots"),
        {"requests": list(requests)},
        _one("acquireTaskRunSlots", TaskRunSlots),
        # A task run that already holds its slots is granted again, nothing more.
        idempotent=True,
    )


def run_counts(since: datetime | None, bucket_seconds: int) -> Operation[list[RunCount]]:
    return Operation(
        "query ($since: DateTime, $bucketSeconds: Int!) { runCounts(since: $since,"
        " bucketSeconds: $bucketSeconds) { bucketStart state count } }",
        {"since": _iso(since), "bucketSeconds": bucket_seconds},
        _many("runCounts", RunCount),
        idempotent=True,
    )


# -- secrets ---------------------------------------------------------------------------------

SECRET = "name created updated createdBy updatedBy"


def list_secrets() -> Operation[list[SecretInfo]]:
    return Operation(
        f"query {{ secrets {{ {SECRET} }} }}", {}, _many("secrets", SecretInfo), idempotent=True
    )


def set_secret(name: str, value: str) -> Operation[SecretInfo]:
    return Operation(
        "mutation ($name: String!, $value: String!) {"
        f" setSecret(name: $name, value: $value) {{ {SECRET} }} }}",
        {"name": name, "value": value},
        _one("setSecret", SecretInfo),
        # Setting the same value twice leaves the same secret.
        idempotent=True,
    )


def delete_secret(name: str) -> Operation[bool]:
    return Operation(
        "mutation ($name: String!) { deleteSecret(name: $name) }",
        {"name": name},
        lambda data: bool(data["deleteSecret"]),
        idempotent=True,
    )


def secret_value(name: str, flow_run_id: str) -> Operation[str]:
    return Operation(
        "query ($name: String!, $run: ID!) { secretValue(name: $name, flowRunId: $run) }",
        {"name": name, "run": flow_run_id},
        lambda data: str(data["secretValue"]),
        idempotent=True,
    )
