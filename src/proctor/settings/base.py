"""The base every settings group derives from, and how a group's env prefix is derived.

A group's environment prefix is its path in the settings tree, upper-cased and joined by
underscores under `PROCTOR_`: the group at `server.database` reads `PROCTOR_SERVER_DATABASE_*`.
Deriving the prefix from the path (instead of writing it by hand in every class) keeps the
variable names predictable from the attribute names people see in code.
"""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_ROOT = "PROCTOR_"


def env_prefix(*path: str) -> str:
    """`env_prefix("server", "database")` -> `"PROCTOR_SERVER_DATABASE_"`."""
    return ENV_ROOT + "".join(f"{part.upper()}_" for part in path)


def group_config(*path: str) -> SettingsConfigDict:
    """The pydantic-settings config of the group at `path` in the tree."""
    return SettingsConfigDict(
        env_prefix=env_prefix(*path),
        extra="ignore",
        validate_default=True,
        populate_by_name=True,
    )


class SettingsGroup(BaseSettings):
    """Base of every group: read from `PROCTOR_<PATH>_<FIELD>` environment variables."""

    model_config = group_config()


__all__ = ["ENV_ROOT", "SettingsGroup", "env_prefix", "group_config"]
