"""`RequestLimits`: the numbers behind the API's request limits, importable without GraphQL.

`request_limits.py` enforces them (with graphql-core and strawberry); this module only holds
them, so the server can build its state at start-up without importing the GraphQL stack,
which it loads in the background while it already listens (see `proctor.server.app`).
"""

from __future__ import annotations

from dataclasses import dataclass

from proctor.settings import Settings


@dataclass(frozen=True)
class RequestLimits:
    """The numbers behind the limits; built from the server settings."""

    max_depth: int = 12
    max_cost: int = 200_000
    # The document's size before it is even parsed: graphql-core stops at this many tokens.
    max_tokens: int = 20_000
    # Fields in an operation with its fragments expanded, and how many of them are aliased:
    # every field is at least one resolver call, and graphql-core's own validation grows
    # with the square of the fields that share a name.
    max_fields: int = 1_000
    max_aliases: int = 50
    # Wall-clock seconds one HTTP request may run (long-polls wait up to max_claim_wait).
    max_request_seconds: float = 60.0
    # Database connections one request or websocket may hold at once, of the shared pool.
    max_connections_per_request: int = 4
    default_page_size: int = 50
    max_page_size: int = 1_000
    list_factor: int = 10
    max_body_bytes: int = 10 * 1024 * 1024
    max_batch_items: int = 50_000
    max_claim_wait: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> RequestLimits:
        """The limits configured in `settings.server.limits` (`PROCTOR_SERVER_LIMITS_*`)."""
        configured = settings.server.limits
        return cls(
            max_depth=configured.max_query_depth,
            max_cost=configured.max_query_cost,
            max_tokens=configured.max_query_tokens,
            max_fields=configured.max_query_fields,
            max_aliases=configured.max_query_aliases,
            max_request_seconds=max(
                configured.max_request_seconds, configured.max_claim_wait_seconds + 10
            ),
            max_connections_per_request=configured.max_connections_per_request,
            max_page_size=configured.max_page_size,
            default_page_size=min(cls.default_page_size, configured.max_page_size),
            max_body_bytes=configured.max_request_bytes,
            max_batch_items=configured.max_batch_size,
            max_claim_wait=configured.max_claim_wait_seconds,
        )


__all__ = ["RequestLimits"]
