"""Proctor's settings: one typed tree read from `PROCTOR_*` environment variables.

    Settings                      PROCTOR_HOME
    ├── server: ServerSettings    PROCTOR_SERVER_HOST, PROCTOR_SERVER_PORT
    │   ├── database              PROCTOR_SERVER_DATABASE_URL (alias PROCTOR_DATABASE_URL), ...
    │   ├── limits                PROCTOR_SERVER_LIMITS_MAX_PAGE_SIZE, ...
    │   └── services              PROCTOR_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS, ...
    └── api: APISettings          PROCTOR_API_URL, PROCTOR_API_KEY

Read them with `get_settings()`; override them in tests with `temporary_settings(...)`.
"""

from proctor.settings.access import get_settings, setting_names, temporary_settings
from proctor.settings.api import APISettings
from proctor.settings.database import DatabaseSettings
from proctor.settings.limits import LimitsSettings
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
    "DatabaseSettings",
    "LazarusSettings",
    "LimitsSettings",
    "SchedulerSettings",
    "ServerSettings",
    "ServicesSettings",
    "Settings",
    "ZombieKillerSettings",
    "get_settings",
    "setting_names",
    "temporary_settings",
]
