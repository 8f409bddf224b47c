"""Proctor's settings: one typed tree read from `PROCTOR_*` environment variables.

    Settings                      PROCTOR_HOME
    ├── server: ServerSettings    PROCTOR_SERVER_HOST, PROCTOR_SERVER_PORT
    │   ├── database              PROCTOR_SERVER_DATABASE_URL (alias PROCTOR_DATABASE_URL), ...
    │   ├── limits                PROCTOR_SERVER_LIMITS_MAX_PAGE_SIZE, ...
    │   ├── services              PROCTOR_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS, ...
    │   └── retention             PROCTOR_SERVER_RETENTION_DAYS, ... (run history kept)
    ├── api: APISettings          PROCTOR_API_URL, PROCTOR_API_KEY
    ├── agent: AgentSettings      PROCTOR_AGENT_NAME, PROCTOR_AGENT_LABELS, PROCTOR_AGENT_ID, ...
    └── flow_run: FlowRunSettings PROCTOR_FLOW_RUN_HEARTBEAT_SECONDS, ...

Read them with `get_settings()`; override them in tests with `temporary_settings(...)`.
"""

from proctor.settings.access import get_settings, setting_names, temporary_settings
from proctor.settings.agent import AgentSettings
from proctor.settings.api import APISettings
from proctor.settings.database import DatabaseSettings
from proctor.settings.flow_run import FlowRunSettings
from proctor.settings.request_limits import RequestLimitsSettings
from proctor.settings.root import Settings
from proctor.settings.server import ServerSettings
from proctor.settings.services import (
    LazarusSettings,
    SchedulerSettings,
    ServicesSettings,
    ZombieKillerSettings,
)

__all__ = [
    "APISettings",
    "AgentSettings",
    "DatabaseSettings",
    "FlowRunSettings",
    "LazarusSettings",
    "RequestLimitsSettings",
    "SchedulerSettings",
    "ServerSettings",
    "ServicesSettings",
    "Settings",
    "ZombieKillerSettings",
    "get_settings",
    "setting_names",
    "temporary_settings",
]
