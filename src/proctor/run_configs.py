"""Run configs: where and how an agent starts a registered flow's runs
(`proctor.core.run_configs`); `ECSRun` and `VertexRun` are the 1.x ones kept as metadata."""

from proctor.compat.run_configs import ECSRun, VertexRun
from proctor.core.run_configs import (
    DockerRun,
    KubernetesRun,
    LocalRun,
    RunConfig,
    UniversalRun,
)

__all__ = [
    "DockerRun",
    "ECSRun",
    "KubernetesRun",
    "LocalRun",
    "RunConfig",
    "UniversalRun",
    "VertexRun",
]
