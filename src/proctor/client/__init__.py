"""Client of the Proctor server's GraphQL API: `Client` (blocking) and `AsyncClient`.

    from proctor.client import Client

    with Client() as client:                      # PROCTOR_API_URL, default :4200
        project = client.create_project("etl")
        result = client.register_flow("etl", flow.serialize())
        run = client.create_flow_run(result.flow.id, parameters={"day": "2026-11-24"})
        print(client.get_flow_run(run.id).state)

Everything that talks to a server (the CLI, agents, flow processes) goes through this
package, which imports only `proctor.core` and `proctor.settings`: never the server.

Retries. Each call is retried with bounded exponential backoff (`RetryPolicy`, 5 attempts
by default) when the server could not be reached at all. When the request may have
reached the server (a timeout while reading, a dropped connection, a 5xx), only calls that
are safe to repeat are retried: every query, `set_flow_run_states` and
`set_task_run_states` (each change carries the version it expects), `create_task_runs`,
`register_flow`, `archive_flow`, `set_schedule_active`, `cancel_flow_run`, the deletes,
`heartbeat_flow_runs`, `register_agent`, `agent_heartbeat`, and `create_flow_run` when
given an `idempotency_key`. `create_project`, `write_logs`, `restart_flow_run`,
`claim_flow_runs` and `create_flow_run` without a key are not retried then: the error is
raised instead.

Agents: `register_agent`, `agent_heartbeat`, `claim_flow_runs(agent_id, labels,
wait_seconds=...)` (a long-poll: the read timeout is extended by the wait), and for run
processes `get_flow_run_context` and `heartbeat_flow_runs`.

Errors: see `proctor.client._errors` for the tree; `ServerUnavailable` says how to start a
server, `GraphQLError.code` is the server's stable error code.
"""

from proctor.client._async import AsyncClient
from proctor.client._config import DEFAULT_API_URL, ClientConfig
from proctor.client._errors import (
    USER_ERROR_CODES,
    Conflict,
    GraphQLError,
    InvalidInput,
    LimitExceeded,
    NotFound,
    ProctorClientError,
    ProtocolError,
    ServerUnavailable,
)
from proctor.client._models import (
    Agent,
    ConcurrencyLimit,
    Flow,
    FlowGroup,
    FlowRun,
    FlowRunConfig,
    FlowRunContext,
    FlowRunStateChange,
    FlowTask,
    LogEntry,
    LogRecord,
    Page,
    Project,
    RegisterResult,
    RunCount,
    SecretInfo,
    SlotGrant,
    SlotHolder,
    StateRecord,
    TaskRun,
    TaskRunSlots,
    TaskRunStateChange,
    TaskRunSummary,
    TransitionResult,
)
from proctor.client._retry import NO_RETRY, RetryPolicy
from proctor.client._sync import Client
from proctor.client._wire import Operation

__all__ = [
    "DEFAULT_API_URL",
    "NO_RETRY",
    "USER_ERROR_CODES",
    "Agent",
    "AsyncClient",
    "Client",
    "ClientConfig",
    "ConcurrencyLimit",
    "Conflict",
    "Flow",
    "FlowGroup",
    "FlowRun",
    "FlowRunConfig",
    "FlowRunContext",
    "FlowRunStateChange",
    "FlowTask",
    "GraphQLError",
    "InvalidInput",
    "LimitExceeded",
    "LogEntry",
    "LogRecord",
    "NotFound",
    "Operation",
    "Page",
    "ProctorClientError",
    "Project",
    "ProtocolError",
    "RegisterResult",
    "RetryPolicy",
    "RunCount",
    "SecretInfo",
    "ServerUnavailable",
    "SlotGrant",
    "SlotHolder",
    "StateRecord",
    "TaskRun",
    "TaskRunSlots",
    "TaskRunStateChange",
    "TaskRunSummary",
    "TransitionResult",
]
