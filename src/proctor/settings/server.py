"""Server settings (`PROCTOR_SERVER_*`)."""

from __future__ import annotations

from pydantic import Field

from proctor.settings.auth import AuthSettings
from proctor.settings.base import SettingsGroup, group_config
from proctor.settings.database import DatabaseSettings
from proctor.settings.request_limits import RequestLimitsSettings
from proctor.settings.retention import RetentionSettings
from proctor.settings.secrets import SecretsSettings
from proctor.settings.services import ServicesSettings


class ServerSettings(SettingsGroup):
    """Where `proctor server start` listens, and its database, limits, services and
    run-history retention."""

    model_config = group_config("server")

    host: str = "127.0.0.1"
    port: int = Field(default=4200, ge=0, le=65535)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    limits: RequestLimitsSettings = Field(default_factory=RequestLimitsSettings)
    services: ServicesSettings = Field(default_factory=ServicesSettings)
    secrets: SecretsSettings = Field(default_factory=SecretsSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    # Folders whose JSON and text results the task-run page may preview (none by default:
    # results live on the users' infrastructure, and the server reads none of them).
    result_preview_dirs: list[str] = Field(default_factory=list)


__all__ = ["ServerSettings"]
