# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""Run configs in the API: what an agent starts a claimed run with.

    query { flowRunConfigs(ids: ["..."]) { flowRunId runConfig override } }

`runConfig` is the flow version's run config with the run's own `env` (given at
creation: `createFlowRun(input: {env: {...}})`) laid over it; `override` is that part
alone. An agent asks once for the runs of a claim and picks its launcher from the type.
"""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from proctor.server.api import run_scope
from proctor.server.api.loaders import ctx
from proctor.server.services import run_configs
from proctor.server.services.run_configs import FlowRunConfig as Record


@strawberry.type(description="A flow run's effective run config.")
class FlowRunConfig:
    flow_run_id: strawberry.ID
    run_config: JSON = strawberry.field(
        description="The flow's run config with the run's overrides laid over it."
    )
    override: JSON | None = strawberry.field(
        description="What the run overrode at creation (null: nothing)."
    )

    @classmethod
    def of(cls, record: Record) -> FlowRunConfig:
        return cls(
            flow_run_id=strawberry.ID(str(record.flow_run_id)),
            run_config=JSON(record.run_config),
            override=None if record.override is None else JSON(record.override),
        )


@strawberry.type
class RunConfigQuery:
    @strawberry.field(
        description="The effective run configs of these flow runs of the team, in the "
        "order asked (unknown ids are left out)."
    )
    async def flow_run_configs(
        self, info: strawberry.Info, ids: list[strawberry.ID]
    ) -> list[FlowRunConfig]:
        context = ctx(info)
        await run_scope.runs(info, ids, "read")  # an agent's key: only the runs it claimed
        found = await run_configs.flow_run_configs(context.db, context.tenant_id, list(ids))
        return [FlowRunConfig.of(record) for record in found]


__all__ = ["FlowRunConfig", "RunConfigQuery"]
