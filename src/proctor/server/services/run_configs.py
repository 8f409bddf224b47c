"""Run configs as agents read them: the flow version's run config with what the run
overrode at creation laid over it.

A run may override its flow's `env` when it is created (`createFlowRun(input: {env})`,
`proctor run --env`, the UI's run form); labels are the run's own already. The override is
stored apart (`flow_run.run_config_override`), so the flow version stays what was
registered and the run page can show both.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.models import Flow, FlowRun
from proctor.server.errors import InvalidInput
from proctor.server.services.plumbing.validation import as_uuid, batch_size

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MAX_ENV_ITEMS = 100
MAX_ENV_VALUE = 4096


@dataclass(frozen=True)
class FlowRunConfig:
    """The run config an agent starts a run with."""

    flow_run_id: uuid.UUID
    run_config: dict[str, Any]
    override: dict[str, Any] | None


def env_override(env: Any) -> dict[str, Any] | None:
    """The stored override for `env` given at run creation (None: nothing overridden)."""
    if env is None:
        return None
    if not isinstance(env, dict):
        raise InvalidInput("env must be an object of NAME: value", details={"field": "env"})
    if len(env) > MAX_ENV_ITEMS:
        raise InvalidInput(f"env has more than {MAX_ENV_ITEMS} variables")
    clean: dict[str, str] = {}
    for name, value in env.items():
        if not isinstance(name, str) or not ENV_NAME.match(name):
            raise InvalidInput(
                f"env: {name!r} is not a variable name (letters, digits, _; not a digit first)",
                details={"field": "env"},
            )
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise InvalidInput(f"env: {name} must be a string, got {value!r:.40}")
        text = str(value)
        if len(text) > MAX_ENV_VALUE:
            raise InvalidInput(f"env: {name} is longer than {MAX_ENV_VALUE} characters")
        clean[name] = text
    return {"env": clean} if clean else None


def effective_run_config(
    flow_config: dict[str, Any] | None, override: dict[str, Any] | None
) -> dict[str, Any]:
    """The flow version's run config with the run's `env` laid over its own."""
    config = dict(flow_config or {})
    extra = (override or {}).get("env")
    if extra:
        config["env"] = {**(config.get("env") or {}), **extra}
    return config


async def flow_run_configs(
    db: Database, tenant_id: uuid.UUID | str, flow_run_ids: Sequence[Any]
) -> list[FlowRunConfig]:
    """The run configs of these runs of the team, in the order asked (unknown ids left
    out: an agent asks only about runs it claimed)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    batch_size(len(flow_run_ids), "flow_run_ids")
    ids = [as_uuid(value, "flow_run_ids") for value in flow_run_ids]
    statement = (
        sa.select(FlowRun.id, FlowRun.run_config_override, Flow.run_config)
        .join(Flow, Flow.id == FlowRun.flow_id)
        .where(FlowRun.tenant_id == tenant, FlowRun.id.in_(ids))
    )
    async with db.session() as session:
        found = {row[0]: row for row in (await session.execute(statement)).all()}
    return [
        FlowRunConfig(run_id, effective_run_config(flow_config, override), override)
        for run_id in ids
        if (row := found.get(run_id)) is not None
        for _, override, flow_config in [row]
    ]


__all__ = ["FlowRunConfig", "effective_run_config", "env_override", "flow_run_configs"]
