"""1.x run configs: the ones agents use (`LocalRun`, `DockerRun`, `UniversalRun`,
`KubernetesRun`) come from `proctor.core.run_configs`; `ECSRun` and `VertexRun` are kept
as metadata only (no agent of Proctor starts them), so 1.x flows still register.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from proctor.core.errors import FlowDefinitionError
from proctor.core.run_configs import (
    DockerRun,
    KubernetesRun,
    LocalRun,
    RunConfig,
    UniversalRun,
    run_config_labels,
)


class ECSRun(RunConfig):
    """Run as an ECS task (kept as metadata: Proctor has no ECS launcher)."""

    type_name = "ecs"

    def __init__(
        self,
        *,
        task_definition: str | Mapping[str, Any] | None = None,
        task_definition_path: str | None = None,
        task_definition_arn: str | None = None,
        image: str | None = None,
        env: Mapping[str, Any] | None = None,
        cpu: int | str | None = None,
        memory: int | str | None = None,
        task_role_arn: str | None = None,
        execution_role_arn: str | None = None,
        run_task_kwargs: Mapping[str, Any] | None = None,
        labels: Iterable[str] | None = None,
    ) -> None:
        given = [task_definition, task_definition_path, task_definition_arn]
        if sum(value is not None for value in given) > 1:
            raise FlowDefinitionError(
                "ECSRun: give at most one of task_definition, task_definition_path and "
                "task_definition_arn."
            )
        super().__init__(
            env=env,
            labels=labels,
            task_definition=(
                dict(task_definition) if isinstance(task_definition, Mapping) else task_definition
            ),
            task_definition_path=task_definition_path,
            task_definition_arn=task_definition_arn,
            image=image,
            cpu=cpu,
            memory=memory,
            task_role_arn=task_role_arn,
            execution_role_arn=execution_role_arn,
            run_task_kwargs=None if run_task_kwargs is None else dict(run_task_kwargs),
        )


class VertexRun(RunConfig):
    """Run as a Vertex AI custom job (kept as metadata: Proctor has no Vertex launcher)."""

    type_name = "vertex"

    def __init__(
        self,
        *,
        image: str | None = None,
        env: Mapping[str, Any] | None = None,
        labels: Iterable[str] | None = None,
        machine_type: str | None = "e2-standard-4",
        scheduling: Mapping[str, Any] | None = None,
        service_account: str | None = None,
        network: str | None = None,
        worker_pool_specs: list[Any] | None = None,
    ) -> None:
        super().__init__(
            env=env,
            labels=labels,
            image=image,
            machine_type=machine_type,
            scheduling=None if scheduling is None else dict(scheduling),
            service_account=service_account,
            network=network,
            worker_pool_specs=worker_pool_specs,
        )


__all__ = [
    "DockerRun",
    "ECSRun",
    "KubernetesRun",
    "LocalRun",
    "RunConfig",
    "UniversalRun",
    "VertexRun",
    "run_config_labels",
]
