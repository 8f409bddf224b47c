"""The one permission table.

Two halves, read together:

- `ROLE_ACTIONS`: which role may perform which `Action`;
- `FIELD_ACTIONS`: the action every root field (`Query.x`, `Mutation.x`,
  `Subscription.x`) needs.

Every GraphQL operation is checked against both before it executes
(`proctor.server.api.authorization`). A root field that is not in `FIELD_ACTIONS` is
refused for everyone, and `tests/server/auth/test_permission_walk.py` walks every root
field of the schema with every role and fails when one is missing, so adding a resolver
means adding its line here.

Resolvers still scope every read and write to `principal.tenant_id`: the table decides
*whether* a role may act, the tenant decides *on what*.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    PUBLIC = "public"  # no identity needed (e.g. logging in)
    SELF = "self"  # a person's own account: profile, password, own keys, team switch
    READ = "read"  # see flows, runs, logs, agents, projects (never secret values)
    RUN_READ = "run:read"  # what a run process reads to execute its run
    RUN_REPORT = "run:report"  # report states, task runs, logs, run heartbeats
    AGENT = "agent"  # register an agent, heartbeat, claim runs
    FLOWS_WRITE = "flows:write"  # projects, register/archive flows, schedules
    RUNS_WRITE = "runs:write"  # create, cancel, restart, delete runs
    SECRET_VALUES = "secrets:values"  # read a secret's value (runs only)
    SECRETS_WRITE = "secrets:write"  # set and delete secrets
    ALERTS_WRITE = "alerts:write"  # automations, SLAs
    LIMITS_WRITE = "limits:write"  # concurrency limits
    TEAM_ADMIN = "team:admin"  # members, invitations, service accounts, others' keys
    AUDIT_READ = "audit:read"  # the audit log
    TEAM_OWNER = "team:owner"  # owners: grant/revoke ownership, delete the team


_EVERYONE_HUMAN = frozenset({"owner", "admin", "member", "read_only"})
_WRITERS = frozenset({"owner", "admin", "member"})
_ADMINS = frozenset({"owner", "admin"})

ROLE_ACTIONS: dict[Action, frozenset[str]] = {
    Action.PUBLIC: frozenset({"owner", "admin", "member", "read_only", "agent", "anonymous"}),
    Action.SELF: _EVERYONE_HUMAN,
    Action.READ: _EVERYONE_HUMAN,
    Action.RUN_READ: _EVERYONE_HUMAN | {"agent"},
    Action.RUN_REPORT: _WRITERS | {"agent"},
    Action.AGENT: _WRITERS | {"agent"},
    Action.FLOWS_WRITE: _WRITERS,
    Action.RUNS_WRITE: _WRITERS,
    Action.SECRET_VALUES: _WRITERS | {"agent"},
    Action.SECRETS_WRITE: _ADMINS,
    Action.ALERTS_WRITE: _ADMINS,
    Action.LIMITS_WRITE: _ADMINS,
    Action.TEAM_ADMIN: _ADMINS,
    Action.AUDIT_READ: _ADMINS,
    Action.TEAM_OWNER: frozenset({"owner"}),
}

# Root field -> the action it needs. Grouped by area; keep each group sorted.
FIELD_ACTIONS: dict[str, Action] = {
    # Flows, runs, logs, agents, projects (server issue)
    "Query.agents": Action.READ,
    "Query.flow": Action.RUN_READ,
    "Query.flowRun": Action.RUN_READ,
    "Query.flowRunContext": Action.RUN_READ,
    "Query.flowRunConfigs": Action.RUN_READ,
    "Query.flowRuns": Action.READ,
    "Query.flows": Action.READ,
    "Query.logs": Action.READ,
    "Query.projects": Action.READ,
    "Query.runCounts": Action.READ,
    "Query.recentFailures": Action.READ,
    "Query.deletionPreview": Action.READ,
    "Query.activity": Action.READ,  # the activity feed: run states, agents, alerts sent
    "Query.taskRun": Action.RUN_READ,
    "Query.taskRuns": Action.RUN_READ,
    "Mutation.agentHeartbeat": Action.AGENT,
    "Mutation.archiveFlow": Action.FLOWS_WRITE,
    "Mutation.cancelFlowRun": Action.RUNS_WRITE,
    "Mutation.claimFlowRuns": Action.AGENT,
    "Mutation.createFlowRun": Action.RUNS_WRITE,
    "Mutation.createProject": Action.FLOWS_WRITE,
    "Mutation.createTaskRuns": Action.RUN_REPORT,
    "Mutation.deleteAgent": Action.RUNS_WRITE,
    "Mutation.deleteFlowRun": Action.RUNS_WRITE,
    "Mutation.deleteProject": Action.FLOWS_WRITE,
    "Mutation.deleteFlow": Action.FLOWS_WRITE,
    "Mutation.archiveFlowGroup": Action.FLOWS_WRITE,
    "Mutation.unarchiveFlowGroup": Action.FLOWS_WRITE,
    "Mutation.heartbeatFlowRuns": Action.RUN_REPORT,
    "Mutation.registerAgent": Action.AGENT,
    "Mutation.registerFlow": Action.FLOWS_WRITE,
    "Mutation.restartFlowRun": Action.RUNS_WRITE,
    "Mutation.setFlowRunStates": Action.RUN_REPORT,
    "Mutation.setScheduleActive": Action.FLOWS_WRITE,
    "Mutation.setTaskRunStates": Action.RUN_REPORT,
    "Mutation.stopAgent": Action.AGENT,
    "Mutation.writeLogs": Action.RUN_REPORT,
    # Artifacts (issue 16): anyone in the team reads them; runs (and writers) publish them
    "Query.artifacts": Action.READ,
    "Query.artifactsPage": Action.READ,
    "Mutation.writeArtifacts": Action.RUN_REPORT,
    "Subscription.flowRun": Action.READ,  # the UI's live view; run processes poll flowRun
    "Subscription.logs": Action.READ,
    "Subscription.runFeed": Action.READ,
    "Subscription.activity": Action.READ,
    # Teams, users, API keys (teams issue)
    "Query.apiKeys": Action.SELF,
    "Query.invitations": Action.TEAM_ADMIN,
    "Query.me": Action.PUBLIC,
    "Query.members": Action.READ,
    "Query.teams": Action.SELF,
    "Mutation.acceptInvitation": Action.PUBLIC,
    "Mutation.changePassword": Action.SELF,
    "Mutation.createApiKey": Action.SELF,
    "Mutation.createServiceAccount": Action.TEAM_ADMIN,
    "Mutation.createTeam": Action.SELF,
    "Mutation.inviteMember": Action.TEAM_ADMIN,
    "Mutation.removeMember": Action.TEAM_ADMIN,
    "Mutation.revokeApiKey": Action.SELF,
    "Mutation.setMemberRole": Action.TEAM_ADMIN,
    "Mutation.switchTeam": Action.SELF,
    # Secrets and audit log (teams issue)
    "Query.auditEvents": Action.AUDIT_READ,
    "Query.secretValue": Action.SECRET_VALUES,
    "Query.secrets": Action.READ,
    "Mutation.deleteSecret": Action.SECRETS_WRITE,
    "Mutation.setSecret": Action.SECRETS_WRITE,
    # Automations, notifications, SLAs (alerting issue)
    "Query.automation": Action.READ,
    "Query.automations": Action.READ,
    "Query.flowSla": Action.READ,
    "Query.notifications": Action.READ,
    "Query.slaBreaches": Action.READ,
    "Mutation.createAutomation": Action.ALERTS_WRITE,
    "Mutation.deleteAutomation": Action.ALERTS_WRITE,
    "Mutation.sendTestNotification": Action.ALERTS_WRITE,
    "Mutation.setAutomationEnabled": Action.ALERTS_WRITE,
    "Mutation.setFlowSla": Action.ALERTS_WRITE,
    "Mutation.updateAutomation": Action.ALERTS_WRITE,
    # Concurrency limits (alerting issue)
    "Query.concurrencyLimits": Action.READ,
    "Mutation.acquireTaskRunSlots": Action.RUN_REPORT,
    "Mutation.deleteConcurrencyLimit": Action.LIMITS_WRITE,
    "Mutation.setConcurrencyLimit": Action.LIMITS_WRITE,
    # Schedules edited in the UI/API/CLI and backfills (issue 16): like the schedule
    # switch and creating runs
    "Query.backfill": Action.READ,
    "Query.backfillPreview": Action.READ,
    "Query.backfills": Action.READ,
    "Query.flowSchedule": Action.READ,
    "Query.schedulePreview": Action.READ,
    "Mutation.addScheduleClock": Action.FLOWS_WRITE,
    "Mutation.cancelBackfill": Action.RUNS_WRITE,
    "Mutation.createBackfill": Action.RUNS_WRITE,
    "Mutation.removeScheduleClock": Action.FLOWS_WRITE,
    "Mutation.resetFlowSchedule": Action.FLOWS_WRITE,
    "Mutation.setFlowSchedule": Action.FLOWS_WRITE,
    "Mutation.updateScheduleClock": Action.FLOWS_WRITE,
    # Run-history retention (hardening issue): everyone sees it, team admins set it
    "Query.retentionPolicy": Action.READ,
    "Mutation.setRetentionPolicy": Action.TEAM_ADMIN,
    # Steering runs by hand (issue 16): like cancel and restart
    "Query.compareFlowRuns": Action.READ,
    "Mutation.markFlowRun": Action.RUNS_WRITE,
    "Mutation.markTaskRun": Action.RUNS_WRITE,
    "Mutation.restartFlowRunFrom": Action.RUNS_WRITE,
    # Bulk actions on runs (runs issue): the single-run mutations' action, per run
    "Mutation.cancelFlowRuns": Action.RUNS_WRITE,
    "Mutation.deleteFlowRuns": Action.RUNS_WRITE,
    "Mutation.restartFlowRuns": Action.RUNS_WRITE,
}


def allowed(role: str, action: Action) -> bool:
    """Whether `role` may perform `action` (`"anonymous"` for a request without identity)."""
    return role in ROLE_ACTIONS[action]


def field_action(type_name: str, field_name: str) -> Action | None:
    """The action a root field needs, or None when the table does not list it."""
    return FIELD_ACTIONS.get(f"{type_name}.{field_name}")


__all__ = ["FIELD_ACTIONS", "ROLE_ACTIONS", "Action", "allowed", "field_action"]
