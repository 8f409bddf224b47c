"""The body of a run process forked by the agent's fork server (see `LocalLauncher`).

Starting `python -m proctor execute flow-run ID` costs about half a second of CPU, mostly
imports; an agent starting hundreds of runs would spend its machine on that, and every run
would start half a second late. So the launcher keeps a fork server that imported this
module (and through it the engine, the client and the run process) once, and forks a
ready process per run: about 20 ms. The child detaches from the agent's terminal session,
takes the run's environment and output file, then does exactly what the command does.
"""

from __future__ import annotations

import os
import sys

# Imported here, once, by the fork server: what every run process needs, and what flow
# files commonly import (schedules pull in dateutil and cronsim), so that no run pays it.
import proctor.core.executors.local
import proctor.core.executors.thread
import proctor.core.loader
import proctor.core.results
import proctor.core.runner.flow_runner
import proctor.core.runner.task_runner
import proctor.core.schedules
import proctor.core.storage
import proctor.settings  # noqa: F401
from proctor.agent.execute import execute_flow_run, shared_ssl_context

shared_ssl_context()


def main(
    flow_run_id: str, env: dict[str, str], log_path: str | None, folder: str | None = None
) -> None:
    os.setsid()  # a Ctrl-C meant for the agent must not reach its runs
    os.environ.update(env)
    if folder is not None:  # LocalRun(working_dir=...)
        os.chdir(folder)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    if log_path is not None:
        out = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.close(out)
    sys.exit(execute_flow_run(flow_run_id))


def warm_up() -> None:
    """A child that does nothing: forking it proves the fork server is ready."""


__all__ = ["main", "warm_up"]
