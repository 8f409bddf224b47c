"""Who may use which root field, written out by hand from docs/security.md.

This table is the tests' own expectation: it is read from the documentation (the role
table, "Service accounts", "Invitations", "API keys", "Audit log") and never computed from
`proctor.server.auth.permissions`. A test compares it with what a real auth-mode server
answers, and another fails when the live schema has a root field without a row here.

Columns, in this order: owner, admin, member, read_only, agent, anonymous (a request
without credentials). `Y` = the field is answered (it may still fail for its own reasons:
NOT_FOUND, INVALID_INPUT...), `-` = refused before anything runs (FORBIDDEN, or
UNAUTHENTICATED for anonymous).

Why each group is what it is (docs/security.md):
- everyone who is a person "sees everything" (never a secret's value); the `agent` role
  reads only "what a run needs" (its flow, run, context, task runs) and cannot list flows,
  runs, logs or anything else;
- owners, admins and members change flows, runs and agents; read-only users change none;
- secrets, alerts (automations, SLAs, notifications), concurrency limits, members,
  invitations and service accounts are changed by owners and admins only, and only they
  read the audit log;
- a person's own account (teams, team switch, password, own keys) is theirs whatever
  their role; a service account has no person behind it;
- without credentials only `me` (which answers null) and `acceptInvitation` (the
  invitation's token is the credential) are answered.
"""

from __future__ import annotations

ROLES = ("owner", "admin", "member", "read_only", "agent", "anonymous")

# fmt: off
MATRIX: dict[str, str] = {
    #                               O A M R G N
    # Reading flows, runs, logs, agents, projects
    "Query.projects":               "YYYY--",
    "Query.flows":                  "YYYY--",
    "Query.flowRuns":               "YYYY--",
    "Query.logs":                   "YYYY--",
    "Query.agents":                 "YYYY--",
    "Query.runCounts":              "YYYY--",
    "Query.recentFailures":         "YYYY--",
    "Query.activity":               "YYYY--",
    "Query.deletionPreview":        "YYYY--",
    "Query.artifacts":              "YYYY--",  # docs/artifacts.md: people read them
    "Query.artifactsPage":          "YYYY--",
    # What a run needs to execute (the agent's run processes read these)
    "Query.flow":                   "YYYYY-",
    "Query.flowRun":                "YYYYY-",
    "Query.flowRunContext":         "YYYYY-",
    "Query.flowRunConfigs":         "YYYYY-",  # the agent picks its launcher
    "Query.taskRun":                "YYYYY-",
    "Query.taskRuns":               "YYYYY-",
    # Flows and projects
    "Mutation.createProject":       "YYY---",
    "Mutation.deleteProject":       "YYY---",
    "Mutation.deleteFlow":          "YYY---",
    "Mutation.archiveFlowGroup":    "YYY---",
    "Mutation.unarchiveFlowGroup":  "YYY---",
    "Mutation.registerFlow":        "YYY---",
    "Mutation.archiveFlow":         "YYY---",
    "Mutation.setScheduleActive":   "YYY---",
    # Runs: create, cancel, restart, delete
    "Mutation.createFlowRun":       "YYY---",
    "Mutation.cancelFlowRun":       "YYY---",
    "Mutation.restartFlowRun":      "YYY---",
    "Mutation.deleteFlowRun":       "YYY---",
    # Steering by hand (docs/security.md: who changes runs): mark, restart from tasks
    "Mutation.markFlowRun":         "YYY---",
    "Mutation.markTaskRun":         "YYY---",
    "Mutation.restartFlowRunFrom":  "YYY---",
    "Query.compareFlowRuns":        "YYYY--",  # reading runs: every person
    # The same on a selection of runs (changing runs: people who may change them)
    "Mutation.cancelFlowRuns":      "YYY---",
    "Mutation.restartFlowRuns":     "YYY---",
    "Mutation.deleteFlowRuns":      "YYY---",
    # Running flows: report states, task runs, logs, heartbeats, slots
    "Mutation.setFlowRunStates":    "YYY-Y-",
    "Mutation.setTaskRunStates":    "YYY-Y-",
    "Mutation.createTaskRuns":      "YYY-Y-",
    "Mutation.writeLogs":           "YYY-Y-",
    "Mutation.writeArtifacts":      "YYY-Y-",  # sent with the run's reports, like logs
    "Mutation.heartbeatFlowRuns":   "YYY-Y-",
    "Mutation.acquireTaskRunSlots": "YYY-Y-",
    # Agents: register, heartbeat, claim runs
    "Mutation.registerAgent":       "YYY-Y-",
    "Mutation.agentHeartbeat":      "YYY-Y-",
    "Mutation.claimFlowRuns":       "YYY-Y-",
    "Mutation.stopAgent":           "YYY-Y-",
    # Removing a stale agent from the Agents page
    "Mutation.deleteAgent":         "YYY---",
    # Secrets: names to everyone, values to the processes of active runs, changes to admins
    "Query.secrets":                "YYYY--",
    "Query.secretValue":            "YYY-Y-",
    "Mutation.setSecret":           "YY----",
    "Mutation.deleteSecret":        "YY----",
    # Alerts: automations, notifications, SLAs
    "Query.automations":            "YYYY--",
    "Query.automation":             "YYYY--",
    "Query.notifications":          "YYYY--",
    "Query.flowSla":                "YYYY--",
    "Query.slaBreaches":            "YYYY--",
    "Mutation.createAutomation":    "YY----",
    "Mutation.updateAutomation":    "YY----",
    "Mutation.deleteAutomation":    "YY----",
    "Mutation.setAutomationEnabled": "YY----",
    "Mutation.sendTestNotification": "YY----",
    "Mutation.setFlowSla":          "YY----",
    # Concurrency limits
    "Query.concurrencyLimits":      "YYYY--",
    "Mutation.setConcurrencyLimit": "YY----",
    "Mutation.deleteConcurrencyLimit": "YY----",
    # One's own account
    "Query.me":                     "YYYYYY",
    "Query.teams":                  "YYYY--",
    "Query.apiKeys":                "YYYY--",
    "Mutation.switchTeam":          "YYYY--",
    "Mutation.createTeam":          "YYYY--",
    "Mutation.changePassword":      "YYYY--",
    "Mutation.createApiKey":        "YYYY--",
    "Mutation.revokeApiKey":        "YYYY--",
    # The team: members, invitations, service accounts, audit log
    "Query.members":                "YYYY--",
    "Query.invitations":            "YY----",
    "Query.auditEvents":            "YY----",
    "Mutation.inviteMember":        "YY----",
    "Mutation.setMemberRole":       "YY----",
    "Mutation.removeMember":        "YY----",
    "Mutation.createServiceAccount": "YY----",
    "Mutation.acceptInvitation":    "YYYYYY",
    # Schedules and backfills (docs/schedules.md): people read them; owners, admins and
    # members edit a flow's schedule and start or cancel backfills, as they turn the
    # schedule on and off and create runs
    "Query.flowSchedule":           "YYYY--",
    "Query.schedulePreview":        "YYYY--",
    "Query.backfill":               "YYYY--",
    "Query.backfills":              "YYYY--",
    "Query.backfillPreview":        "YYYY--",
    "Mutation.addScheduleClock":    "YYY---",
    "Mutation.updateScheduleClock": "YYY---",
    "Mutation.removeScheduleClock": "YYY---",
    "Mutation.setFlowSchedule":     "YYY---",
    "Mutation.resetFlowSchedule":   "YYY---",
    "Mutation.createBackfill":      "YYY---",
    "Mutation.cancelBackfill":      "YYY---",
    # Run-history retention: everyone sees the policy, owners and admins change it
    "Query.retentionPolicy":        "YYYY--",
    "Mutation.setRetentionPolicy":  "YY----",
    # Live views
    "Subscription.runFeed":         "YYYY--",
    "Subscription.activity":        "YYYY--",
    "Subscription.logs":            "YYYY--",
    "Subscription.flowRun":         "YYYY--",
}
# fmt: on


def may(field: str, role: str) -> bool:
    """Whether the documentation lets `role` use root field `field` ("Query.flows")."""
    return MATRIX[field][ROLES.index(role)] == "Y"


def _well_formed() -> None:
    bad = [name for name, row in MATRIX.items() if len(row) != len(ROLES) or set(row) - {"Y", "-"}]
    if bad:
        raise ValueError(f"permission matrix rows of the wrong shape: {bad}")


_well_formed()

__all__ = ["MATRIX", "ROLES", "may"]
