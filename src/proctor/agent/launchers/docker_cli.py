"""`DockerCli`: the Docker daemon as the Docker agent talks to it, through the `docker` CLI.

The CLI, not an SDK: it is on every machine that has Docker, speaks to whichever daemon
the user configured (`DOCKER_HOST`, contexts, TLS settings), and keeps the agent free of
a dependency. Each call has a timeout and turns the CLI's failures into two errors:
`DaemonDown` when the daemon cannot be reached (nothing can start: try later), and
`DockerFailed` with the daemon's own message for everything else (this call was wrong).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO

# What the CLI prints when it cannot talk to the daemon at all (the socket is missing,
# refused, or the daemon does not answer).
_DAEMON_DOWN = (
    "cannot connect to the docker daemon",
    "is the docker daemon running",
    "error during connect",
    "connection refused",
)


class DockerError(OSError):
    """A `docker` command failed."""


class DaemonDown(DockerError):
    """The Docker daemon cannot be reached."""


class DockerFailed(DockerError):
    """The daemon refused the command; the message is the daemon's."""


@dataclass(frozen=True)
class Container:
    """One container as `docker ps` lists it."""

    id: str
    state: str  # created, running, exited, dead...
    flow_run_id: str


class DockerCli:
    """Calls to the `docker` CLI (`command`: its path; `timeout`: seconds per call)."""

    def __init__(self, command: str = "docker", *, timeout: float = 60.0) -> None:
        self.command = command
        self.timeout = timeout

    def run(
        self, args: Sequence[str], *, env: Mapping[str, str] | None = None, timeout: float = 0
    ) -> str:
        """Run `docker ARGS` and return its stdout; raise `DaemonDown` / `DockerFailed`."""
        try:
            done = subprocess.run(
                [self.command, *args],
                env={**os.environ, **(env or {})},
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout or self.timeout,
                check=False,
            )
        except FileNotFoundError:
            raise DaemonDown(
                f"the docker command ({self.command}) is not installed on the agent's machine"
            ) from None
        except subprocess.TimeoutExpired:
            raise DaemonDown(
                f"docker {args[0]} did not answer within {timeout or self.timeout:g} s"
            ) from None
        if done.returncode == 0:
            return done.stdout
        message = (done.stderr or done.stdout).strip() or f"exit code {done.returncode}"
        if any(sign in message.lower() for sign in _DAEMON_DOWN):
            raise DaemonDown(message)
        raise DockerFailed(message)

    def ping(self) -> str | None:
        """None when the daemon answers, else why not."""
        try:
            self.run(["version", "--format", "{{.Server.Version}}"], timeout=15)
        except DockerError as error:
            return str(error)
        return None

    def create(self, args: Sequence[str], env: Mapping[str, str]) -> str:
        """`docker create ARGS` with `env` in the CLI's environment; the container id."""
        return self.run(["create", *args], env=env).strip()

    def attach(self, container_id: str, output: IO[bytes] | None) -> subprocess.Popen[bytes]:
        """Start the container and follow it: the process ends with the container, with
        its exit code, and copies its stdout and stderr to `output`."""
        return subprocess.Popen(
            [self.command, "start", "--attach", container_id],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT if output is not None else None,
            start_new_session=True,  # a Ctrl-C meant for the agent must not stop it
        )

    def wait(self, container_id: str) -> subprocess.Popen[str]:
        """A process that ends when the container does, printing its exit code."""
        return subprocess.Popen(
            [self.command, "wait", container_id],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )

    def signal(self, container_id: str, name: str) -> None:
        """Send signal `name` (TERM, KILL) to the container's main process; a container
        that is gone already is not an error."""
        with contextlib.suppress(DockerFailed):  # it ended meanwhile
            self.run(["kill", "--signal", name, container_id], timeout=30)

    def remove(self, container_id: str) -> None:
        """Remove the container (stopping it first if it still runs)."""
        try:
            self.run(["rm", "--force", container_id], timeout=60)
        except DockerFailed as error:
            if "no such container" not in str(error).lower():
                raise

    def containers(self, label: str) -> list[Container]:
        """Every container (running or not) with this `key=value` label."""
        out = self.run(
            [
                "ps",
                "--all",
                "--no-trunc",
                "--filter",
                f"label={label}",
                "--format",
                '{{.ID}}\t{{.State}}\t{{.Label "io.proctor.flow-run-id"}}',
            ]
        )
        found = []
        for line in out.splitlines():
            parts = line.split("\t")
            if len(parts) == 3:
                found.append(Container(*parts))
        return found


__all__ = ["Container", "DaemonDown", "DockerCli", "DockerError", "DockerFailed"]
