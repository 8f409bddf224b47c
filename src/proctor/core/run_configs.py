"""Run configs: where and how an agent starts a registered flow's runs.

Attach one to a flow (`flow.run_config = DockerRun(image="etl:1.2")`) and it travels with
the flow version as a plain dict (`{"type": "docker", "image": ...}`); a local
`flow.run()` ignores it. An agent reads it back with `run_config_from_dict` and picks its
launcher from the `type`:

- `UniversalRun`: any agent (`env` and `labels` only);
- `LocalRun`: a local-process agent (`proctor agent start`), optionally in `working_dir`;
- `DockerRun`: a Docker agent (`proctor agent start --type docker`): a container of
  `image` with `volumes`, `cpu`, `memory` and `network`;
- `KubernetesRun`: a Kubernetes Job specification (no agent here starts it).

A run config is a read-only mapping, so the engine, which keeps run configs as plain
dicts, needs to know nothing about these classes. Its `labels` are added to the flow's
labels when the flow is registered, and a run can override `env` at creation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar

from proctor.core.errors import FlowDefinitionError

# `512m`, `2g`, `1048576`: what `docker run --memory` takes.
_MEMORY = re.compile(r"^[0-9]+(\.[0-9]+)?[bkmgBKMG]?$")


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
    """Run in a container of `image` (a Docker agent's default image when None).

    `volumes`: bind mounts as `docker run -v` takes them (`"/data:/data:ro"`); `cpu`:
    CPUs the container may use (`1.5`); `memory`: its memory limit (`"512m"`, `"2g"`);
    `network`: the network it joins (the agent's default when None; `"host"` for a server
    on the agent's loopback). `ports` and `host_config` are the 1.x settings, kept as
    metadata.
    """

    type_name = "docker"

    def __init__(
        self,
        *,
        image: str | None = None,
        env: Mapping[str, Any] | None = None,
        labels: Iterable[str] | None = None,
        volumes: Iterable[str] | None = None,
        cpu: float | None = None,
        memory: str | int | None = None,
        network: str | None = None,
        ports: list[int] | None = None,
        host_config: Mapping[str, Any] | None = None,
    ) -> None:
        if isinstance(volumes, str):
            volumes = [volumes]
        mounts = None if volumes is None else [str(volume) for volume in volumes]
        for mount in mounts or ():
            if ":" not in mount:
                raise FlowDefinitionError(
                    f"DockerRun(volumes=...): {mount!r} is not HOST:CONTAINER[:ro], "
                    "e.g. '/srv/data:/data:ro'."
                )
        if cpu is not None and (isinstance(cpu, bool) or not isinstance(cpu, int | float)):
            raise FlowDefinitionError(f"DockerRun(cpu=...) must be a number, got {cpu!r}.")
        if cpu is not None and cpu <= 0:
            raise FlowDefinitionError(f"DockerRun(cpu=...) must be above 0, got {cpu!r}.")
        if memory is not None and not _MEMORY.match(str(memory)):
            raise FlowDefinitionError(
                f"DockerRun(memory=...): {memory!r} is not a size such as '512m' or '2g'."
            )
        if image is not None and (not isinstance(image, str) or not image.strip()):
            raise FlowDefinitionError(f"DockerRun(image=...) must be an image name, not {image!r}.")
        super().__init__(
            env=env,
            labels=labels,
            image=image,
            volumes=mounts,
            cpu=cpu,
            memory=None if memory is None else str(memory),
            network=network,
            ports=ports,
            host_config=None if host_config is None else dict(host_config),
        )


class KubernetesRun(RunConfig):
    """Run as a Kubernetes job (from a job template and/or these settings): a
    specification only, no agent of this release starts it."""

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


RUN_CONFIG_TYPES: dict[str, type[RunConfig]] = {
    kind.type_name: kind for kind in (UniversalRun, LocalRun, DockerRun, KubernetesRun)
}


def run_config_type(data: Mapping[str, Any] | None) -> str:
    """The `type` of a stored run config; "universal" for a flow that has none."""
    kind = (data or {}).get("type")
    return str(kind) if kind else "universal"


def run_config_env(data: Mapping[str, Any] | None) -> dict[str, str]:
    """The environment a stored run config asks for, values as strings."""
    env = (data or {}).get("env") or {}
    if not isinstance(env, Mapping):
        return {}
    return {str(name): "" if value is None else str(value) for name, value in env.items()}


def run_config_labels(run_config: Mapping[str, Any] | None) -> list[str]:
    """The labels a run config adds to its flow's (1.x: an agent needs them all)."""
    if not run_config:
        return []
    labels = run_config.get("labels") or []
    return [str(label) for label in labels] if isinstance(labels, list | tuple) else []


__all__ = [
    "RUN_CONFIG_TYPES",
    "DockerRun",
    "KubernetesRun",
    "LocalRun",
    "RunConfig",
    "UniversalRun",
    "run_config_env",
    "run_config_labels",
    "run_config_type",
]
