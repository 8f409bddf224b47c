"""What the `Agent` type adds for monitoring: its health and its recent runs.

Kept apart from `types.py` so that the thresholds (settings of the app serving the
request) and the recent-runs read stay out of the plain data types.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

import strawberry

from proctor.server.api.loaders import ctx
from proctor.server.api.secrets import server_settings
from proctor.server.services import flow_runs
from proctor.server.services.agent_health import Health, Thresholds, judge

if TYPE_CHECKING:
    from proctor.server.services.plumbing import records

MAX_RECENT_RUNS = 100

AgentHealth = strawberry.enum(
    Health,
    name="AgentHealth",
    description="HEALTHY: heartbeat within 2 intervals; LATE: within 6; UNHEALTHY: longer "
    "ago (PROCTOR_SERVER_SERVICES_AGENT_MONITOR_*); STOPPED: it stopped cleanly and has "
    "not come back.",
)


def thresholds_of(info: strawberry.Info) -> Thresholds:
    context = ctx(info)
    thresholds = context.extra.get("agent_thresholds")
    if thresholds is None:
        thresholds = context.extra["agent_thresholds"] = Thresholds.from_settings(
            server_settings(info)
        )
    return cast(Thresholds, thresholds)


def health_of(
    info: strawberry.Info,
    last_heartbeat: datetime | None,
    stopped_at: datetime | None = None,
    *,
    problem: str | None = None,
) -> Health:
    return judge(
        last_heartbeat,
        datetime.now(UTC),
        thresholds_of(info),
        stopped_at=stopped_at,
        problem=problem,
    )


async def recent_runs(info: strawberry.Info, agent_id: Any, first: int) -> list[records.FlowRun]:
    """The last `first` flow runs the agent claimed (newest scheduled first)."""
    context = ctx(info)
    page = await flow_runs.list_flow_runs(
        context.db,
        context.tenant_id,
        agent_id=str(agent_id),
        order_by="-scheduled_start_time",
        first=max(0, min(first, MAX_RECENT_RUNS)),
        count=False,
    )
    return list(page.items)


__all__ = ["AgentHealth", "health_of", "recent_runs", "thresholds_of"]
