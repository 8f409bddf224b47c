"""`DaskCluster`: a Dask scheduler and workers as separate processes on loopback.

What an operator runs (`dask scheduler`, then `dask worker` on each machine), started
from this Python for tests and benchmarks of `DaskExecutor(address=...)`:

    with DaskCluster(workers=2, home=tmp_path) as cluster:
        flow.run(executor=DaskExecutor(cluster.address))

The scheduler listens on a free port (`--port 0`) and writes its address to a scheduler
file, which the workers read: no race for a port. Workers run without a nanny by default,
so a killed worker stays dead (a nanny would start a new one). Every process gets its
own session and log file under `home`, and `stop()` ends them all, killed if they do not
stop within a few seconds. In case `stop()` never runs (the test process is killed),
`idle_timeout` seconds without work end the scheduler, and workers end two minutes after
losing it. Needs `proctor[dask]`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any


class DaskCluster:
    """`workers` single-threaded worker processes (`threads_per_worker` to change) and
    their scheduler. `env` adds variables for every process (a worker's
    `PROCTOR_SECRETS_*`, a `PYTHONPATH` that lets workers import your tasks' modules).
    `idle_timeout`: seconds without any task after which the scheduler ends itself."""

    def __init__(
        self,
        workers: int = 2,
        *,
        home: Path,
        threads_per_worker: int = 1,
        nanny: bool = False,
        env: Mapping[str, str] | None = None,
        idle_timeout: float | None = 1800.0,
    ) -> None:
        if workers < 0:
            raise ValueError(f"workers must be 0 or more, got {workers!r}")
        self.home = Path(home)
        self.initial_workers = workers
        self.threads_per_worker = threads_per_worker
        self.nanny = nanny
        self.env = dict(env or {})
        self.idle_timeout = idle_timeout
        self.scheduler_file = self.home / "scheduler.json"
        self.address = ""
        self.scheduler: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[bytes]] = []

    # -- life cycle -------------------------------------------------------------------------

    def start(self, timeout: float = 120.0) -> str:
        """Start the scheduler and the workers; the scheduler's address once every worker
        has joined it."""
        self.home.mkdir(parents=True, exist_ok=True)
        self.scheduler_file.unlink(missing_ok=True)
        deadline = time.monotonic() + timeout
        arguments = ["scheduler", "--host", "127.0.0.1", "--port", "0"]
        if self.idle_timeout is not None:
            arguments += ["--idle-timeout", f"{self.idle_timeout}s"]
        self.scheduler = self._spawn("scheduler", arguments)
        try:
            self.address = self._read_address(deadline)
            for _ in range(self.initial_workers):
                self.add_worker(wait=False)
            self.wait_for_workers(self.initial_workers, max(1.0, deadline - time.monotonic()))
        except BaseException:
            self.stop()
            raise
        return self.address

    def add_worker(self, *, wait: bool = True, timeout: float = 120.0) -> subprocess.Popen[bytes]:
        """Start one more worker (and, with `wait`, wait until the scheduler has it)."""
        name = f"worker-{len(self.workers) + 1}"
        arguments = ["worker", "--scheduler-file", str(self.scheduler_file)]
        arguments += ["--host", "127.0.0.1", "--name", name]
        arguments += ["--nthreads", str(self.threads_per_worker)]
        arguments += ["--nanny" if self.nanny else "--no-nanny"]
        arguments += ["--local-directory", str(self.home / name), "--death-timeout", "120"]
        process = self._spawn(name, arguments)
        self.workers.append(process)
        if wait:
            self.wait_for_workers(len(self.live_workers()), timeout)
        return process

    def stop(self, grace: float = 10.0) -> None:
        """Stop the workers, then the scheduler: SIGTERM, SIGKILL after `grace` seconds."""
        processes = [*self.workers, *([self.scheduler] if self.scheduler else [])]
        for process in processes:
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=30)

    def __enter__(self) -> DaskCluster:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- looking and killing ----------------------------------------------------------------

    def live_workers(self) -> list[subprocess.Popen[bytes]]:
        return [process for process in self.workers if process.poll() is None]

    def wait_for_workers(self, count: int, timeout: float = 120.0) -> None:
        """Wait until the scheduler counts `count` workers (no more, no fewer)."""
        deadline = time.monotonic() + timeout
        while True:
            joined = self.scheduler_info().get("workers", {})
            if len(joined) == count:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"the Dask scheduler has {len(joined)} worker(s), not {count}, after "
                    f"{timeout} s; see the logs in {self.home}"
                )
            time.sleep(0.2)

    def scheduler_info(self) -> dict[str, Any]:
        """The scheduler's own view (`Client.scheduler_info()`): workers, threads."""
        with self._client() as client:
            info: dict[str, Any] = client.scheduler_info(n_workers=-1)
        return info

    def worker_pids(self) -> dict[str, int]:
        """Worker address -> the process id of the worker's process (asked of each)."""
        with self._client() as client:
            pids: dict[str, int] = client.run(os.getpid)
        return pids

    def log(self, name: str) -> str:
        """A process's output so far (`"scheduler"`, `"worker-1"`, ...)."""
        path = self.home / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # -- internals --------------------------------------------------------------------------

    def _client(self) -> Any:
        import distributed

        client_class: Any = distributed.Client  # unannotated
        return client_class(self.address, timeout=60, set_as_default=False)

    def _spawn(self, name: str, arguments: list[str]) -> subprocess.Popen[bytes]:
        if name == "scheduler":
            arguments = [
                *arguments,
                "--scheduler-file",
                str(self.scheduler_file),
                # No dashboard, but the scheduler still serves HTTP (health, metrics):
                # on a free loopback port, so concurrent clusters do not clash on 8787.
                "--no-dashboard",
                "--dashboard-address",
                "127.0.0.1:0",
            ]
        else:
            arguments = [*arguments, "--no-dashboard", "--dashboard-address", "127.0.0.1:0"]
        with (self.home / f"{name}.log").open("ab") as output:
            return subprocess.Popen(
                [sys.executable, "-m", "dask", *arguments],
                env={**os.environ, **self.env},
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                cwd=self.home,
                start_new_session=True,
            )

    def _read_address(self, deadline: float) -> str:
        scheduler = self.scheduler
        assert scheduler is not None
        while time.monotonic() < deadline:
            if scheduler.poll() is not None:
                break
            try:
                address: str = json.loads(self.scheduler_file.read_text())["address"]
            except (OSError, ValueError, KeyError):
                time.sleep(0.1)
                continue
            return address
        raise RuntimeError(f"the Dask scheduler did not start:\n{self.log('scheduler')}")


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    """Signal the process's session (a nanny's worker too); it may be gone already."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


__all__ = ["DaskCluster"]
