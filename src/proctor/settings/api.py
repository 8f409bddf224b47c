"""Client-side settings: which server to talk to (`PROCTOR_API_*`)."""

from __future__ import annotations

from pydantic import Field, SecretStr

from proctor.settings.base import SettingsGroup, group_config


class APISettings(SettingsGroup):
    """How clients, agents and the CLI reach a Proctor server."""

    model_config = group_config("api")

    url: str = Field(default="http://127.0.0.1:4200", description="Base URL of the server.")
    key: SecretStr | None = Field(default=None, description="API key sent as a bearer token.")
    timeout: float = Field(default=30.0, gt=0, description="Seconds per request.")


__all__ = ["APISettings"]
