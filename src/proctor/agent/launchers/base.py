"""The launcher interface: how an agent starts the process that runs one flow run.

An agent decides *which* runs to start and keeps count of them; a launcher only decides
*where* the run process lives (a local process, a container, a cluster job) and lets the
agent poll and stop it. Whatever the place, it runs `proctor execute flow-run ID` with the
environment the agent gives (server URL, agent id, the `--env` values, the run config's
`env`). Each launcher says which run config types it serves; the agent fails a run whose
config it cannot serve, with `refusal()`'s reason.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

from proctor.core.run_configs import run_config_type


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

    def describe(self) -> str:
        """How the agent's messages name it."""
        return f"run process (pid {self.pid})"

    def start_failure(self) -> str | None:
        """Once ended: why the run process never started, when the launcher knows (the
        agent fails the run with it), else None."""
        return None


class LaunchError(OSError):
    """A run could not start, for a reason of its own (a missing image, a bad setting):
    the agent fails the run with this message, which says what to do."""


class LauncherUnavailable(OSError):
    """The launcher cannot start anything now (its container daemon is down): the agent
    hands the run back to the queue and waits until `problem()` clears."""


class Launcher(ABC):
    """Starts run processes for an agent."""

    #: The run config types (`proctor.core.run_configs`) this launcher starts.
    serves: ClassVar[frozenset[str]] = frozenset({"universal"})
    #: What `proctor agent start --type` calls this launcher (for refusal messages).
    kind: ClassVar[str] = "local"

    def identify(self, agent_id: str, agent_name: str) -> None:  # noqa: B027 - optional
        """The agent this launcher works for, once it is registered."""

    def prepare(self) -> None:  # noqa: B027 - an optional hook
        """Get ready before the first launch (called once the agent is registered)."""

    def refusal(self, run_config: Mapping[str, Any] | None) -> str | None:
        """Why this launcher cannot start a run with `run_config` (None: it can)."""
        kind = run_config_type(run_config)
        if kind in self.serves:
            return None
        wanted = {
            "docker": "a Docker agent (`proctor agent start --type docker`)",
            "local": "a local agent (`proctor agent start`)",
        }.get(kind, "an agent that serves it (none of Proctor's agents starts it)")
        return (
            f"The flow's run config is {kind!r}, which a {self.kind} agent cannot start: run "
            f"it with {wanted}, or change the flow's run_config and register it again."
        )

    def problem(self) -> str | None:
        """What keeps this launcher from starting runs right now (None: nothing)."""
        return None

    def adopt(self) -> list[LaunchedRun]:
        """Runs a previous life of this agent left running (a crash): the agent keeps
        watching them. Launchers whose runs die with the agent have none."""
        return []

    @abstractmethod
    def launch(
        self,
        flow_run_id: str,
        env: Mapping[str, str],
        run_config: Mapping[str, Any] | None = None,
    ) -> LaunchedRun:
        """Start the process for `flow_run_id`; raise `LaunchError` if this run cannot
        start, `LauncherUnavailable` if nothing can now, OSError for other failures."""


__all__ = ["LaunchError", "LaunchedRun", "Launcher", "LauncherUnavailable", "run_command"]
