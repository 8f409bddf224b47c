"""Agent settings (`PROCTOR_AGENT_*`): how an agent finds, claims and supervises runs."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from proctor.settings.base import SettingsGroup, group_config


class AgentSettings(SettingsGroup):
    """Defaults of `proctor agent start` (its options win), and the agent id a run
    process reports with (`PROCTOR_AGENT_ID`, set by the agent that launched it)."""

    model_config = group_config("agent")

    id: str | None = Field(
        default=None, description="The agent that claimed the run (set for run processes)."
    )
    name: str | None = Field(default=None, description="Agent name; default: the host name.")
    labels: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Labels, comma-separated: runs needing them."
    )
    max_runs: int = Field(default=4, ge=1, description="Flow runs in flight at once.")
    claim_wait_seconds: float = Field(
        default=10.0,
        ge=0,
        description="Long-poll: how long one claim request waits for a run to become due.",
    )
    heartbeat_seconds: float = Field(default=10.0, gt=0, description="Agent heartbeat.")
    shutdown_grace_seconds: float = Field(
        default=60.0,
        ge=0,
        description="On SIGTERM, how long running flows may take before they are stopped.",
    )

    @field_validator("labels", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [label.strip() for label in value.split(",") if label.strip()]
        return value


__all__ = ["AgentSettings"]
