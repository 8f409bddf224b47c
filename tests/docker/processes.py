"""`proctor agent start --type docker` as a real process, against the tests' daemon."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from tests.agent.processes import base_env
from tests.docker.daemon import RUN_IMAGE, DockerDaemon, run_volumes


class DockerAgentProcess:
    """A Docker agent in its own session, its output in a file; runs get the test image
    (`--image`) and the read-only mounts they need, and never pull (`pull` to change)."""

    def __init__(
        self,
        home: Path,
        api_url: str,
        name: str,
        daemon: DockerDaemon,
        *,
        labels: Iterable[str] = (),
        max_runs: int = 4,
        extra_args: Iterable[str] = (),
        settings: Mapping[str, str] | None = None,
        spelling: tuple[str, ...] = ("agent", "start", "--type", "docker"),
        pull: str = "never",
    ) -> None:
        self.name = name
        self.log = home / f"docker-agent-{name}.log"
        command = [sys.executable, "-m", "proctor", *spelling, "--name", name]
        command += ["--max-runs", str(max_runs), "--image", RUN_IMAGE, "--pull", pull]
        for volume in run_volumes():
            command += ["--volume", volume]
        for label in labels:
            command += ["--label", label]
        command += list(extra_args)
        env = {**base_env(home, api_url), "DOCKER_HOST": daemon.host, **(settings or {})}
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 60.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return self.process.returncode


__all__ = ["DockerAgentProcess"]
