"""The root of the settings tree (`PROCTOR_*`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator

from proctor.settings.agent import AgentSettings
from proctor.settings.api import APISettings
from proctor.settings.base import SettingsGroup, group_config
from proctor.settings.flow_run import FlowRunSettings
from proctor.settings.local_server import local_server_url
from proctor.settings.server import ServerSettings


def _default_home() -> Path:
    return Path("~/.proctor").expanduser()


class Settings(SettingsGroup):
    """Every setting of Proctor, as one typed tree.

    Each group reads its own `PROCTOR_<PATH>_` variables when it is built (groups are
    created by default factories, so building `Settings()` reads the environment once,
    at that moment, never at import time).
    """

    model_config = group_config()

    home: Path = Field(
        default_factory=_default_home, description="Proctor's own files (database, caches)."
    )
    server: ServerSettings = Field(default_factory=ServerSettings)
    api: APISettings = Field(default_factory=APISettings)
    agent: AgentSettings = Field(default_factory=AgentSettings)
    flow_run: FlowRunSettings = Field(default_factory=FlowRunSettings)

    @model_validator(mode="after")
    def _derive_defaults(self) -> Settings:
        # The database URL defaults to a file in `home`, which only the root knows.
        self.home = self.home.expanduser()
        database = self.server.database
        if database.url is None:
            database.url = f"sqlite+aiosqlite:///{self.home / 'proctor.db'}"
        # The API URL defaults to the server running on this machine with this home, if
        # one recorded its URL (`local_server`). Still a default, not a value the user
        # set: a `proctor login` profile's URL takes precedence over it.
        if "url" not in self.api.model_fields_set:
            running = local_server_url(self.home)
            if running is not None:
                self.api.url = running
                self.api.__pydantic_fields_set__.discard("url")
        return self

    @property
    def database_url(self) -> str:
        """The effective database URL (never None once the tree is built)."""
        url = self.server.database.url
        assert url is not None
        return url


__all__ = ["Settings"]
