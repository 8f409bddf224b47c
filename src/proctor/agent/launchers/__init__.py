"""Launchers: where an agent starts run processes (`LocalLauncher`), and job specs for
containers (`docker_command`) and clusters (`kubernetes_job`)."""

from proctor.agent.launchers.base import LaunchedRun, Launcher, run_command
from proctor.agent.launchers.docker import docker_command
from proctor.agent.launchers.kubernetes import kubernetes_job
from proctor.agent.launchers.local import LocalLauncher, LocalRun

__all__ = [
    "LaunchedRun",
    "Launcher",
    "LocalLauncher",
    "LocalRun",
    "docker_command",
    "kubernetes_job",
    "run_command",
]
