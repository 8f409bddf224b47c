"""Request limits: what protects the server from oversized or hostile requests
(`PROCTOR_SERVER_LIMITS_*`)."""

from __future__ import annotations

from pydantic import Field

from proctor.settings.base import SettingsGroup, group_config


class RequestLimitsSettings(SettingsGroup):
    """Upper bounds enforced by the API and the services; a request beyond one gets a
    `LIMIT_EXCEEDED` error instead of being half-processed."""

    model_config = group_config("server", "limits")

    max_request_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    max_query_depth: int = Field(default=12, ge=1)
    max_query_cost: int = Field(
        default=200_000,
        ge=1,
        description="Most values an operation could return (pages multiply what they hold).",
    )
    max_query_tokens: int = Field(
        default=20_000, ge=100, description="Most tokens in a GraphQL document; parsing stops."
    )
    max_query_fields: int = Field(
        default=1_000, ge=10, description="Most fields in an operation, fragments expanded."
    )
    max_query_aliases: int = Field(
        default=50, ge=0, description="Most aliased fields in an operation."
    )
    max_request_seconds: float = Field(
        default=60.0,
        gt=0,
        description="Longest one HTTP request may run before it is stopped (at least "
        "max_claim_wait_seconds + 10, so long-polls are never cut short).",
    )
    max_connections_per_request: int = Field(
        default=4,
        ge=1,
        description="Database connections one request or websocket may hold at once.",
    )
    max_page_size: int = Field(default=1000, ge=1, description="Largest `first` of a page.")
    max_batch_size: int = Field(
        default=50_000, ge=1, description="Most state changes or log lines in one call."
    )
    max_claim_wait_seconds: float = Field(
        default=30.0,
        ge=0,
        description="Longest an agent's claimFlowRuns may wait (long-poll) for a due run.",
    )


__all__ = ["RequestLimitsSettings"]
