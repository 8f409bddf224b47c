"""A pytest plugin for the engine's mutation runs (`benchmarks/mutation.py`), not a test.

mutmut forks each mutant's test run from the process that ran the clean tests. When
those started multiprocessing's fork server (the process executor's default), the fork
inherits the server's pid without being its parent, and the first process-executor test
fails with ChildProcessError: every mutant such a test reaches was counted killed, a
false kill. The forked run forgets the inherited server, so it starts one of its own.
"""

from __future__ import annotations

import os
from multiprocessing import forkserver

import pytest


def pytest_sessionstart(session: pytest.Session) -> None:
    server = forkserver._forkserver  # type: ignore[attr-defined]
    pid = server._forkserver_pid
    if pid is None:
        return
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # not our child: inherited through mutmut's fork
        server._forkserver_pid = None
        server._forkserver_address = None
        server._forkserver_alive_fd = None
