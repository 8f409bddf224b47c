"""1.x run configs (`LocalRun`, `DockerRun`, ...): where and how an agent should run a flow.

They are metadata: attach one to `flow.run_config` (or `Flow(run_config=...)`) and it
travels in the flow's `FlowSpec` as `{"type": "local", ...}`; a local `flow.run()` ignores
it. A run config is a read-only mapping, so the engine, which keeps run configs as plain
dicts, needs to know nothing about these classes. Its `labels` are added to the flow's
labels when the flow is registered, as in 1.x.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar

from proctor.core.errors import FlowDefinitionError


class RunConfig(Mapping[str, Any]):
    """Base of the run configs: `env` and `labels`, plus each kind's own settings."""

    type_name: ClassVar[str] = ""

    def __init__(
        self,
        *,
        env: Mapping[str, Any] | None = None,
        labels: Iterable[str] | None = None,
        **settings: Any,
    ) -> None:
        kind = type(self).__name__
        if env is not None and not isinstance(env, Mapping):
            raise FlowDefinitionError(f"{kind}(env=...) must be a dict, got {env!r}.")
        if isinstance(labels, str):
            labels = [labels]
        self.env: dict[str, Any] | None = None if env is None else dict(env)
        self.labels: list[str] = sorted(set(labels or ()))
        self._settings = settings
        for key, value in settings.items():
            setattr(self, key, value)
        try:
            json.dumps(self.to_dict())
        except (TypeError, ValueError) as exc:
            raise FlowDefinitionError(
                f"{kind}: every setting must be JSON (strings, numbers, lists, dicts) to "
                f"travel to the server ({exc})."
            ) from None

    def to_dict(self) -> dict[str, Any]:
        """`{"type": ..., ...}` with the settings that were given (None ones left out)."""
        data: dict[str, Any] = {"type": self.type_name}
        if self.env is not None:
            data["env"] = dict(self.env)
        if self.labels:
            data["labels"] = list(self.labels)
        data.update({key: value for key, value in self._settings.items() if value is not None})
        return data

    def __getitem__(self, key: str) -> Any:
        return self.to_dict()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_dict())

    def __len__(self) -> int:
        return len(self.to_dict())

    def __repr__(self) -> str:
        items = ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items() if k != "type")
        return f"{type(self).__name__}({items})"


class UniversalRun(RunConfig):
    """Any agent may run the flow, with these environment variables and labels."""

    type_name = "universal"

    def __init__(
        self, *, env: Mapping[str, Any] | None = None, labels: Iterable[str] | None = None
    ) -> None:
        super().__init__(env=env, labels=labels)


class LocalRun(RunConfig):
    """Run as a local process: `env` added to its environment, started in `working_dir`."""

    type_name = "local"

    def __init__(
        self,
        *,
        env: Mapping[str, Any] | None = None,
        working_dir: str | None = None,
        labels: Iterable[str] | None = None,
    ) -> None:
        super().__init__(env=env, labels=labels, working_dir=working_dir)


class DockerRun(RunConfig):
    """Run in a container of `image` (ports and host_config as the Docker API takes them)."""

    type_name = "docker"

    def __init__(
        self,
        *,
        image: str | None = None,
        env: Mapping[str, Any] | None = None,
        labels: Iterable[str] | None = None,
        ports: list[int] | None = None,
        host_config: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            env=env,
            labels=labels,
            image=image,
            ports=ports,
            host_config=None if host_config is None else dict(host_config),
        )


class KubernetesRun(RunConfig):
    """Run as a Kubernetes job (from a job template and/or these settings)."""

    type_name = "kubernetes"

    def __init__(
        self,
        *,
        job_template_path: str | None = None,
        job_template: str | Mapping[str, Any] | None = None,
        image: str | None = None,
        env: Mapping[str, Any] | None = None,
        cpu_limit: float | str | None = None,
        cpu_request: float | str | None = None,
        memory_limit: str | None = None,
        memory_request: str | None = None,
        service_account_name: str | None = None,
        image_pull_secrets: Iterable[str] | None = None,
        labels: Iterable[str] | None = None,
        image_pull_policy: str | None = None,
    ) -> None:
        if job_template_path is not None and job_template is not None:
            raise FlowDefinitionError(
                "KubernetesRun: give job_template_path or job_template, not both."
            )
        super().__init__(
            env=env,
            labels=labels,
            job_template_path=job_template_path,
            job_template=dict(job_template) if isinstance(job_template, Mapping) else job_template,
            image=image,
            cpu_limit=cpu_limit,
            cpu_request=cpu_request,
            memory_limit=memory_limit,
            memory_request=memory_request,
            service_account_name=service_account_name,
            image_pull_secrets=None if image_pull_secrets is None else list(image_pull_secrets),
            image_pull_policy=image_pull_policy,
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


def run_config_labels(run_config: Mapping[str, Any] | None) -> list[str]:
    """The labels a run config adds to its flow's (1.x: an agent needs them all)."""
    if not run_config:
        return []
    labels = run_config.get("labels") or []
    return [str(label) for label in labels] if isinstance(labels, list | tuple) else []


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
