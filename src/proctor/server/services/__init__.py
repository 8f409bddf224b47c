"""Domain operations of the server: what the API resolvers (and CLI, agents, services)
call. Every function takes `(db, tenant_id, ...)`, checks its input, does its work in
one transaction, publishes events on `db.events` after commit, and returns plain records
(`records.py`), never ORM objects. Errors are `proctor.server.errors` with stable codes.
"""

from proctor.server.services.agents import (
    claim_due_runs,
    heartbeat_agent,
    list_agents,
    register_agent,
)
from proctor.server.services.claims import claim_flow_runs
from proctor.server.services.dashboard import run_counts
from proctor.server.services.flow_run_states import set_flow_run_states
from proctor.server.services.flow_runs import (
    cancel_flow_run,
    create_flow_run,
    delete_flow_run,
    get_flow_run,
    heartbeat_flow_runs,
    list_flow_run_states,
    list_flow_runs,
    list_task_run_states,
)
from proctor.server.services.flows import (
    archive_flow,
    get_flow,
    list_flow_groups,
    list_flow_tasks,
    list_flows,
    register_flow,
    set_schedule_active,
)
from proctor.server.services.lazarus import LazarusReport, revive_lost_runs
from proctor.server.services.logs import list_logs, write_logs
from proctor.server.services.plumbing.inputs import FlowRunStateChange, LogIn, TaskRunStateChange
from proctor.server.services.plumbing.records import (
    Agent,
    Edge,
    FlowGroup,
    FlowRun,
    FlowRunContext,
    FlowVersion,
    LogLine,
    Page,
    Project,
    RegisterResult,
    StateRecord,
    TaskInfo,
    TaskRun,
    TransitionResult,
)
from proctor.server.services.projects import (
    create_project,
    delete_project,
    get_project,
    list_projects,
)
from proctor.server.services.restarts import restart_flow_run
from proctor.server.services.run_context import get_flow_run_context
from proctor.server.services.schedules import SchedulerReport, schedule_runs
from proctor.server.services.task_runs import (
    create_task_runs,
    get_task_run,
    list_task_runs,
    set_task_run_states,
)
from proctor.server.services.zombies import ZombieReport, kill_zombies

__all__ = [
    "Agent",
    "Edge",
    "FlowGroup",
    "FlowRun",
    "FlowRunContext",
    "FlowRunStateChange",
    "FlowVersion",
    "LazarusReport",
    "LogIn",
    "LogLine",
    "Page",
    "Project",
    "RegisterResult",
    "SchedulerReport",
    "StateRecord",
    "TaskInfo",
    "TaskRun",
    "TaskRunStateChange",
    "TransitionResult",
    "ZombieReport",
    "archive_flow",
    "cancel_flow_run",
    "claim_due_runs",
    "claim_flow_runs",
    "create_flow_run",
    "create_project",
    "create_task_runs",
    "delete_flow_run",
    "delete_project",
    "get_flow",
    "get_flow_run",
    "get_flow_run_context",
    "get_project",
    "get_task_run",
    "heartbeat_agent",
    "heartbeat_flow_runs",
    "kill_zombies",
    "list_agents",
    "list_flow_groups",
    "list_flow_run_states",
    "list_flow_runs",
    "list_flow_tasks",
    "list_flows",
    "list_logs",
    "list_projects",
    "list_task_run_states",
    "list_task_runs",
    "register_agent",
    "register_flow",
    "restart_flow_run",
    "revive_lost_runs",
    "run_counts",
    "schedule_runs",
    "set_flow_run_states",
    "set_schedule_active",
    "set_task_run_states",
    "write_logs",
]
