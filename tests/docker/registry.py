"""An image registry of the tests' own: Debian's `docker-registry` (the distribution
registry) on a free loopback port, its blobs in a temporary folder.

Docker treats a registry on 127.0.0.0/8 as insecure by default, so plain HTTP works with
no daemon setting and no certificate. It is stopped by its pid.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

CONFIG = """\
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: {data}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:{port}
  secret: proctor-tests-only
"""


def why_no_registry() -> str | None:
    """Why no registry can run here (None: one can)."""
    if shutil.which("docker-registry") is None:
        return "docker-registry is not installed (Debian's docker-registry package)"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Registry:
    """`docker-registry serve` under `root`, reachable at `self.address` (host:port)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.log = root / "registry.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> None:
        config = self.root / "registry.yml"
        config.write_text(CONFIG.format(data=self.root / "data", port=self.port))
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                ["docker-registry", "serve", str(config)],
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"docker-registry exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://{self.address}/v2/", timeout=5):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"docker-registry did not answer in {timeout} s")

    def tags(self, repository: str) -> list[str]:
        """The tags the registry holds for `repository` (none: an empty list)."""
        url = f"http://{self.address}/v2/{repository}/tags/list"
        try:
            with urllib.request.urlopen(url, timeout=30) as answer:
                found: list[str] = json.load(answer).get("tags") or []
                return found
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return []
            raise

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


__all__ = ["Registry", "free_port", "why_no_registry"]
