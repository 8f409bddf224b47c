"""Server settings (`PROCTOR_SERVER_*`)."""

from __future__ import annotations

from pydantic import Field

from proctor.settings.base import SettingsGroup, group_config
from proctor.settings.database import DatabaseSettings
from proctor.settings.limits import LimitsSettings
from proctor.settings.services import ServicesSettings


class ServerSettings(SettingsGroup):
    """Where `proctor server start` listens, and its database, limits and services."""

    model_config = group_config("server")

    host: str = "127.0.0.1"
    port: int = Field(default=4200, ge=0, le=65535)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    limits: LimitsSettings = Field(default_factory=LimitsSettings)
    services: ServicesSettings = Field(default_factory=ServicesSettings)


__all__ = ["ServerSettings"]
