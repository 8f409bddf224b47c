"""The server's tables. Importing this package registers all of them on `Base.metadata`
(what Alembic compares against)."""

from proctor.server.database.models.activity import Activity
from proctor.server.database.models.agents import Agent
from proctor.server.database.models.alerting import (
    Automation,
    FlowSla,
    Notification,
    NotificationAttempt,
    SlaBreach,
)
from proctor.server.database.models.artifacts import Artifact
from proctor.server.database.models.audit import AuditEvent
from proctor.server.database.models.base import DEFAULT_TENANT_ID, Base
from proctor.server.database.models.concurrency import ConcurrencyLimit, ConcurrencySlot
from proctor.server.database.models.flows import Flow, FlowGroup, Project, Task
from proctor.server.database.models.logs import Log
from proctor.server.database.models.retention import RetentionPolicy
from proctor.server.database.models.runs import FlowRun, FlowRunState, TaskRun, TaskRunState
from proctor.server.database.models.schedule_edits import Backfill, ScheduleOverride
from proctor.server.database.models.secrets import Secret
from proctor.server.database.models.tenancy import (
    ROLES,
    ApiKey,
    AuthSession,
    Invitation,
    LoginThrottle,
    Membership,
    Tenant,
    User,
)

metadata = Base.metadata

__all__ = [
    "DEFAULT_TENANT_ID",
    "ROLES",
    "Activity",
    "Agent",
    "ApiKey",
    "Artifact",
    "AuditEvent",
    "AuthSession",
    "Automation",
    "Backfill",
    "Base",
    "ConcurrencyLimit",
    "ConcurrencySlot",
    "Flow",
    "FlowGroup",
    "FlowRun",
    "FlowRunState",
    "FlowSla",
    "Invitation",
    "Log",
    "LoginThrottle",
    "Membership",
    "Notification",
    "NotificationAttempt",
    "Project",
    "RetentionPolicy",
    "ScheduleOverride",
    "Secret",
    "SlaBreach",
    "Task",
    "TaskRun",
    "TaskRunState",
    "Tenant",
    "User",
    "metadata",
]
