"""Real processes for the hybrid tests: a server, agents, the CLI, on loopback.

Intervals are shortened through the settings' environment variables (heartbeats every
second, lost processes noticed after a few), so crash recovery takes seconds, not minutes.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from proctor.testing import ServerProcess

FLOWS = Path(__file__).resolve().parent / "flows"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

FAST_SERVER = {
    "PROCTOR_SERVER_SERVICES_HEARTBEAT_SECONDS": "1",
    "PROCTOR_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "0.5",
    "PROCTOR_SERVER_SERVICES_LAZARUS_LOOP_SECONDS": "0.5",
    "PROCTOR_SERVER_SERVICES_LAZARUS_AFTER_SECONDS": "4",
    "PROCTOR_SERVER_SERVICES_ZOMBIE_LOOP_SECONDS": "0.5",
    "PROCTOR_SERVER_SERVICES_ZOMBIE_AFTER_SECONDS": "10",
}
FAST_RUNS = {
    "PROCTOR_AGENT_HEARTBEAT_SECONDS": "1",
    "PROCTOR_AGENT_CLAIM_WAIT_SECONDS": "1",
    "PROCTOR_AGENT_SHUTDOWN_GRACE_SECONDS": "5",
    "PROCTOR_FLOW_RUN_HEARTBEAT_SECONDS": "1",
    "PROCTOR_FLOW_RUN_CANCEL_CHECK_SECONDS": "0.3",
    "PROCTOR_FLOW_RUN_CANCEL_GRACE_SECONDS": "2",
    "PROCTOR_FLOW_RUN_REPORT_EXIT_TIMEOUT_SECONDS": "60",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class DrainedServer(ServerProcess):
    """A server whose output is read all along, so it can never block writing it."""

    def start(self, timeout: float = 60.0) -> str:
        url = super().start(timeout)
        assert self.process is not None and self.process.stdout is not None
        stream = self.process.stdout

        def drain() -> None:
            with stream:
                for line in stream:
                    self.output.append(line)

        threading.Thread(target=drain, daemon=True).start()
        return url


def start_server(home: Path, *, port: int = 0, database: Path | None = None) -> ServerProcess:
    """A server with fast services on a SQLite file in `home`."""
    database = database or home / "proctor.db"
    server = DrainedServer(f"sqlite+aiosqlite:///{database}", home, env=FAST_SERVER, port=port)
    server.start(timeout=60)
    return server


def base_env(home: Path, api_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PROCTOR_")}
    env.update(FAST_RUNS)
    env["PROCTOR_HOME"] = str(home)
    env["PROCTOR_API_URL"] = api_url
    env["PROCTOR_LOGGING_LEVEL"] = "INFO"
    return env


class AgentProcess:
    """`proctor agent start` in its own session, its output in a file."""

    def __init__(
        self,
        home: Path,
        api_url: str,
        name: str,
        *,
        labels: Iterable[str] = (),
        max_runs: int = 4,
        env: Mapping[str, str] | None = None,
        settings: Mapping[str, str] | None = None,
    ) -> None:
        """`env` goes to the runs (`--env`); `settings` to the agent process itself."""
        self.name = name
        self.log = home / f"agent-{name}.log"
        command = [sys.executable, "-m", "proctor", "agent", "start", "--name", name]
        command += ["--max-runs", str(max_runs)]
        for label in labels:
            command += ["--label", label]
        for key, value in (env or {}).items():
            command += ["--env", f"{key}={value}"]
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                command,
                env={**base_env(home, api_url), **(settings or {})},
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def run_processes(self) -> list[int]:
        """Pids of this agent's run processes: the children of its fork server."""
        import psutil

        try:
            agent = psutil.Process(self.process.pid)
            return [
                run.pid
                for server in agent.children()
                if "forkserver" in " ".join(server.cmdline())
                for run in server.children()
            ]
        except psutil.NoSuchProcess:
            return []

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 30.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return self.process.returncode


def proctor(
    *args: str, home: Path, api_url: str, timeout: float = 120, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the `proctor` CLI as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "proctor", *args],
        env=base_env(home, api_url),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=cwd,
    )


def proctor_json(*args: str, home: Path, api_url: str, timeout: float = 120) -> Any:
    done = proctor(*args, "--json", home=home, api_url=api_url, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def wait_until(
    condition: Callable[[], Any], timeout: float, what: str, interval: float = 0.1
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def all_task_runs(client: Any, flow_run_id: str) -> list[Any]:
    items: list[Any] = []
    after = None
    while True:
        page = client.list_task_runs(flow_run_id, first=1000, after=after)
        items.extend(page.items)
        if not page.has_next_page:
            return items
        after = page.end_cursor


__all__ = [
    "EXAMPLES",
    "FAST_RUNS",
    "FAST_SERVER",
    "FLOWS",
    "AgentProcess",
    "all_task_runs",
    "base_env",
    "free_port",
    "proctor",
    "proctor_json",
    "start_server",
    "wait_until",
]
