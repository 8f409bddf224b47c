"""`ServerProcess`: a real `proctor server start` on a free loopback port.

It starts the server with `--port 0` and waits for its "ready at URL" line, so there is no
race for a port and no polling; `kill()` sends SIGKILL (crash tests), `stop()` SIGTERM.
"""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

READY = re.compile(r"Proctor server ready at (http://\S+)")


class ServerProcess:
    """`env` adds variables for the server process (e.g. short service intervals:
    `{"PROCTOR_SERVER_SERVICES_LAZARUS_AFTER_SECONDS": "5"}`); other `PROCTOR_*`
    variables of this process are not passed on. `port` 0 picks a free port; a fixed one
    lets a restarted server come back at the URL its clients know."""

    def __init__(
        self,
        database_url: str,
        home: Path,
        env: dict[str, str] | None = None,
        port: int = 0,
    ) -> None:
        self.database_url = database_url
        self.home = home
        self.env = dict(env or {})
        self.port = port
        self.process: subprocess.Popen[str] | None = None
        self.url = ""
        self.output: list[str] = []

    def start(self, timeout: float = 90.0) -> str:
        env = {key: value for key, value in os.environ.items() if not key.startswith("PROCTOR_")}
        env["PROCTOR_HOME"] = str(self.home)
        env.update(self.env)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "proctor",
                "server",
                "start",
                "--port",
                str(self.port),
                "--no-open",
                "--database-url",
                self.database_url,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        assert self.process.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                break
            line = self.process.stdout.readline()
            if not line:
                break
            self.output.append(line)
            found = READY.search(line)
            if found:
                self.url = found.group(1)
                return self.url
        self.stop()
        raise RuntimeError("the server did not start:\n" + "".join(self.output))

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, like a crash or an OOM kill."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()


__all__ = ["READY", "ServerProcess"]
