"""Launchers: where an agent starts run processes: `LocalLauncher` (local processes),
`DockerLauncher` (Docker containers); and job specs for scripts (`docker_command`) and
clusters (`kubernetes_job`)."""

from proctor.agent.launchers.base import (
    LaunchedRun,
    Launcher,
    LaunchError,
    LauncherUnavailable,
    run_command,
)
from proctor.agent.launchers.docker import ContainerRun, DockerLauncher, docker_command
from proctor.agent.launchers.kubernetes import kubernetes_job
from proctor.agent.launchers.local import LocalLauncher, LocalRun

__all__ = [
    "ContainerRun",
    "DockerLauncher",
    "LaunchError",
    "LaunchedRun",
    "Launcher",
    "LauncherUnavailable",
    "LocalLauncher",
    "LocalRun",
    "docker_command",
    "kubernetes_job",
    "run_command",
]
