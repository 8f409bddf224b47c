"""GraphQL documents and small steps shared by the alerting tests."""

from __future__ import annotations

import uuid
from typing import Any

from tests.server.api.graphql_results import data_of

from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.services.flow_run_states import set_flow_run_states
from proctor.server.services.flow_runs import create_flow_run
from proctor.server.services.plumbing import records

AUTOMATION_FIELDS = """id name description enabled signingSecret created updated
  trigger { type states projectId flowGroupIds tags kinds agentNames count taskSlugs }
  actions { type url headers message to subject flowGroupId parameters }"""
CREATE = f"""mutation ($input: AutomationInput!) {{
  createAutomation(input: $input) {{ {AUTOMATION_FIELDS} }}
}}"""
UPDATE = f"""mutation ($id: ID!, $input: AutomationPatch!) {{
  updateAutomation(id: $id, input: $input) {{ {AUTOMATION_FIELDS} }}
}}"""
NOTIFICATION_FIELDS = """id automationId automationName actionIndex actionType triggerKey
  event flowRunId test status attemptCount lastError nextAttemptAt deliveredAt created
  attempts { number success statusCode error detail started durationMs }"""
NOTIFICATIONS = f"""query ($automationId: ID, $status: String, $since: DateTime,
  $flowRunId: ID, $first: Int, $after: String) {{
  notifications(automationId: $automationId, status: $status, since: $since,
    flowRunId: $flowRunId, first: $first, after: $after) {{
    nodes {{ {NOTIFICATION_FIELDS} }} pageInfo {{ endCursor hasNextPage }} totalCount
  }}
}}"""


async def create_automation(gql: Any, **values: Any) -> dict[str, Any]:
    body = await gql(CREATE, {"input": values})
    created: dict[str, Any] = data_of(body)["createAutomation"]
    return created


async def notifications(gql: Any, **filters: Any) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = data_of(await gql(NOTIFICATIONS, filters))["notifications"][
        "nodes"
    ]
    return nodes


async def new_run(
    db: Database, flow_id: Any, parameters: dict[str, Any] | None = None, **extra: Any
) -> records.FlowRun:
    return await create_flow_run(
        db,
        DEFAULT_TENANT_ID,
        flow_id=flow_id,
        parameters={"who": "me"} if parameters is None else parameters,
        **extra,
    )


async def move(db: Database, run_id: Any, *states: tuple[str, str | None]) -> int:
    """Move a run through `states` ((type, message) pairs); returns its last version."""
    version = None
    for kind, message in states:
        [result] = await set_flow_run_states(
            db,
            DEFAULT_TENANT_ID,
            [{"flow_run_id": run_id, "state": {"type": kind, "message": message}}],
        )
        assert result.accepted, result
        version = result.version
    assert version is not None
    return version


async def fail_run(db: Database, flow_id: Any, message: str = "boom") -> records.FlowRun:
    run = await new_run(db, flow_id)
    await move(db, run.id, ("Running", None), ("Failed", message))
    return run


def some_id() -> str:
    return str(uuid.uuid4())


__all__ = [
    "CREATE",
    "NOTIFICATIONS",
    "UPDATE",
    "create_automation",
    "fail_run",
    "move",
    "new_run",
    "notifications",
    "some_id",
]
