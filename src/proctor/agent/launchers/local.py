"""`LocalLauncher`: each run in its own process on the agent's machine.

By default run processes are forked from a fork server that has the engine and the client
imported already (`proctor.agent.child`): a run process is ready in ~20 ms instead of the
~0.5 s of CPU a fresh `python -m proctor execute flow-run ID` spends importing. Each run
still gets a process of its own, forked from the pristine server (never from the agent,
which has threads), and imports the user's flow code itself. `preload=False` starts the
command as a plain subprocess instead.

Either way the process gets its own session, so a Ctrl-C meant for the agent in a
terminal does not reach the runs: the agent decides when they stop (after its grace
period). Its output goes to `$PROCTOR_HOME/agent/runs/<run id>.log`, kept only when the
process did not exit 0: states and logs are on the server, the file is for what happened
before the process could report (an import error, a crash).
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from collections.abc import Mapping
from multiprocessing.context import ForkServerContext
from pathlib import Path
from typing import IO, Any, ClassVar

from proctor.agent.launchers.base import LaunchedRun, Launcher, run_command


class LocalRun(LaunchedRun):
    """A run process started by `LocalLauncher` (a subprocess or a forked child)."""

    def __init__(self, flow_run_id: str, process: Any, log: Path | None) -> None:
        self.flow_run_id = flow_run_id
        self.process = process
        self.log = log
        self._pid: int | None = process.pid

    @property
    def pid(self) -> int | None:
        return self._pid

    def poll(self) -> int | None:
        if isinstance(self.process, subprocess.Popen):
            return self.process.poll()
        code: int | None = self.process.exitcode
        return code

    def terminate(self) -> None:
        if self.poll() is None:
            self.process.terminate()

    def kill(self) -> None:
        if self.poll() is None:
            self.process.kill()

    def cleanup(self, exit_code: int) -> None:
        if not isinstance(self.process, subprocess.Popen):
            self.process.close()  # its sentinel descriptor
        if exit_code == 0 and self.log is not None:
            self.log.unlink(missing_ok=True)


class LocalLauncher(Launcher):
    """Start run processes here, with this Python.

    `log_dir`: where run output goes (default `$PROCTOR_HOME/agent/runs`);
    `show_output=True` sends it to the agent's own stdout/stderr instead. Serves
    `LocalRun` (its `working_dir` is the run's current directory) and `UniversalRun`.
    """

    serves: ClassVar[frozenset[str]] = frozenset({"local", "universal"})
    kind: ClassVar[str] = "local"

    def __init__(
        self, log_dir: Path | None = None, *, show_output: bool = False, preload: bool = True
    ) -> None:
        self.log_dir = log_dir
        self.show_output = show_output
        self.preload = preload
        self._context: ForkServerContext | None = None

    def _log_file(self, flow_run_id: str) -> Path | None:
        if self.show_output:
            return None
        folder = self.log_dir
        if folder is None:
            from proctor.settings import get_settings

            folder = get_settings().home / "agent" / "runs"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{flow_run_id}.log"

    def prepare(self) -> None:
        """Start the fork server now, so that the first run does not wait for it.

        The server imports its modules after it started listening; forking one process
        that does nothing waits until those imports are done (~1 s on a busy machine).
        """
        if self.preload:
            from proctor.agent.child import warm_up

            process = self._fork_context().Process(target=warm_up, name="proctor-warm-up")
            process.start()
            process.join()
            process.close()

    def _fork_context(self) -> ForkServerContext:
        if self._context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["proctor.agent.child"])
            self._context = context
        return self._context

    def launch(
        self,
        flow_run_id: str,
        env: Mapping[str, str],
        run_config: Mapping[str, Any] | None = None,
    ) -> LocalRun:
        log = self._log_file(flow_run_id)
        folder = (run_config or {}).get("working_dir") or None
        if folder is not None and not Path(folder).is_dir():
            from proctor.agent.launchers.base import LaunchError

            raise LaunchError(
                f"LocalRun(working_dir={folder!r}) is not a folder on the agent's machine: "
                "create it there, or change the flow's run config and register it again."
            )
        if self.preload:
            return LocalRun(flow_run_id, self._fork(flow_run_id, env, log, folder), log)
        return LocalRun(flow_run_id, self._spawn(flow_run_id, env, log, folder), log)

    def _fork(
        self, flow_run_id: str, env: Mapping[str, str], log: Path | None, folder: str | None
    ) -> Any:
        from proctor.agent.child import main

        process = self._fork_context().Process(
            target=main,
            args=(flow_run_id, dict(env), None if log is None else str(log), folder),
            name=f"proctor-run-{flow_run_id}",
        )
        process.start()
        return process

    def _spawn(
        self, flow_run_id: str, env: Mapping[str, str], log: Path | None, folder: str | None
    ) -> subprocess.Popen[bytes]:
        output: IO[bytes] | None = None if log is None else log.open("ab")
        try:
            return subprocess.Popen(
                run_command(flow_run_id, sys.executable),
                env={**os.environ, **env},
                cwd=folder,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT if output is not None else None,
                start_new_session=True,
            )
        finally:
            if output is not None:
                output.close()  # the child has its own copy of the descriptor


__all__ = ["LocalLauncher", "LocalRun"]
