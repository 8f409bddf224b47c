"""The launcher interface: how an agent starts the process that runs one flow run.

An agent decides *which* runs to start and keeps count of them; a launcher only decides
*where* the run process lives (a local process, a container, a cluster job) and lets the
agent poll and stop it. Whatever the place, it runs `proctor execute flow-run ID` with the
environment the agent gives (server URL, agent id, the `--env` values).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping


def run_command(flow_run_id: str, python: str = "python") -> list[str]:
    """The command every launcher runs, wherever it runs it."""
    return [python, "-m", "proctor", "execute", "flow-run", flow_run_id]


class LaunchedRun(ABC):
    """A started run process, as the agent sees it."""

    flow_run_id: str

    @property
    @abstractmethod
    def pid(self) -> int | None:
        """The process id, where there is one on this machine."""

    @abstractmethod
    def poll(self) -> int | None:
        """The exit code once the process ended, else None (never blocks)."""

    @abstractmethod
    def terminate(self) -> None:
        """Ask the process to stop (SIGTERM): the run re-queues itself and exits."""

    @abstractmethod
    def kill(self) -> None:
        """Stop the process now (SIGKILL)."""

    def cleanup(self, exit_code: int) -> None:  # noqa: B027 - an optional hook
        """Release what the launch held (log files, temporary folders) after the exit."""


class Launcher(ABC):
    """Starts run processes for an agent."""

    def prepare(self) -> None:  # noqa: B027 - an optional hook
        """Get ready before the first launch (called once the agent is registered)."""

    @abstractmethod
    def launch(self, flow_run_id: str, env: Mapping[str, str]) -> LaunchedRun:
        """Start the process for `flow_run_id`; raise OSError if it cannot start."""


__all__ = ["LaunchedRun", "Launcher", "run_command"]
