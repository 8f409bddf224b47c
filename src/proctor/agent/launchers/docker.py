"""`DockerLauncher`: each run in its own container, started through the Docker daemon.

A claimed run whose run config is `DockerRun` (or `UniversalRun`, with the agent's default
image) becomes `docker create` + `docker start --attach` of a container that runs
`python -m proctor execute flow-run ID`, so the run process inside is exactly the one a
local agent starts: it reads its run, loads the flow from storage, reports states, logs
and heartbeats to the server itself, and obeys cancellation.

- Environment: the API URL and key, the agent id, the agent's `--env` values and the run
  config's `env` reach the container as `--env NAME`, with the value only in the docker
  CLI's own environment: never on a command line (`ps` shows those) nor in the image.
  The agent's `PROCTOR_FLOW_RUN_*`, `PROCTOR_LOGGING_*` and `PROCTOR_API_*` settings are
  passed on the same way, as local runs inherit them.
- Labels `io.proctor.flow-run-id`, `io.proctor.agent-id` and `io.proctor.agent-name`
  mark the container, so the agent finds what a previous life of it left behind.
- Limits and mounts: `DockerRun(cpu=, memory=, volumes=)`, plus the agent's own volumes.
- Network: `DockerRun(network=)`, else the agent's (`--network`), else `host` when the
  API URL is on loopback (a container on Docker's bridge cannot reach the agent's
  127.0.0.1), else Docker's default.
- Output: the container's stdout and stderr go to `$PROCTOR_HOME/agent/runs/<id>.log`,
  kept when the run did not exit 0 (the run's logs are on the server; the file shows
  what happened before the process could report).
- Ending: SIGTERM to the container (`docker kill --signal TERM`) re-queues the run like
  for a local process, SIGKILL after the agent's wait; every container is removed once
  it ended. At start the agent removes the ended containers a crash of it left and
  adopts the running ones (their runs go on and are watched as if just started).
- Failures: an image that is missing or a container that cannot be created fails the run
  with the daemon's message and what to do (`LaunchError`); a daemon that cannot be
  reached fails nothing: the run goes back to the queue (`LauncherUnavailable`) and the
  agent reports the problem until the daemon answers again.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any, ClassVar
from urllib.parse import urlsplit

from proctor.agent.launchers.base import (
    LaunchedRun,
    Launcher,
    LaunchError,
    LauncherUnavailable,
    run_command,
)
from proctor.agent.launchers.docker_cli import DaemonDown, DockerCli, DockerError, DockerFailed

logger = logging.getLogger("proctor.agent.docker")

RUN_LABEL = "io.proctor.flow-run-id"
AGENT_ID_LABEL = "io.proctor.agent-id"
AGENT_NAME_LABEL = "io.proctor.agent-name"
# Settings of the run process that the agent's environment passes on (local runs inherit
# the whole environment; a container gets these, never the agent's home or server ones).
PASSED_PREFIXES = ("PROCTOR_FLOW_RUN_", "PROCTOR_LOGGING_", "PROCTOR_API_")


def docker_command(
    flow_run_id: str,
    env: Mapping[str, str],
    *,
    image: str,
    network: str | None = None,
    extra_args: Sequence[str] = (),
) -> list[str]:
    """`docker run --rm ... IMAGE python -m proctor execute flow-run ID` as an argv list,
    for a script of your own (the Docker agent runs the same container itself).

    Environment values travel as `--env NAME` with the value taken from the caller's
    environment, so secrets never appear on a command line: run the command with `env`.
    """
    command = [
        "docker",
        "run",
        "--rm",
        "--name",
        f"proctor-run-{flow_run_id}",
        "--label",
        f"{RUN_LABEL}={flow_run_id}",
    ]
    if network:
        command += ["--network", network]
    for name in sorted(env):
        command += ["--env", name]
    command += [*extra_args, image, *run_command(flow_run_id)]
    return command


def is_loopback_url(url: str) -> bool:
    """Whether the server at `url` is on this machine's loopback."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ContainerRun(LaunchedRun):
    """A run's container, followed by a local `docker` process that ends with it."""

    def __init__(
        self,
        flow_run_id: str,
        container_id: str,
        follower: subprocess.Popen[Any],
        cli: DockerCli,
        *,
        log: Path | None = None,
        adopted: bool = False,
        command_name: str = "python",
    ) -> None:
        self.command_name = command_name
        self.flow_run_id = flow_run_id
        self.container_id = container_id
        self.follower = follower
        self.cli = cli
        self.log = log
        self.adopted = adopted
        self._code: int | None = None

    @property
    def pid(self) -> int | None:
        return self.follower.pid  # the local `docker` process that follows the container

    @property
    def short_id(self) -> str:
        return self.container_id[:12]

    def poll(self) -> int | None:
        if self._code is not None:
            return self._code
        code = self.follower.poll()
        if code is None:
            return None
        if self.adopted:  # `docker wait` prints the container's exit code
            out = self.follower.stdout.read() if self.follower.stdout else ""
            code = int(out.strip()) if out.strip().lstrip("-").isdigit() else code
        self._code = code
        return code

    def describe(self) -> str:
        return f"container {self.short_id}"

    def start_failure(self) -> str | None:
        """The daemon's reason when the container could not start (a missing command, a
        bad mount); None when it started and ended for reasons of its own."""
        if self.adopted:
            return None
        try:
            error = self.cli.run(["inspect", "--format", "{{.State.Error}}", self.container_id])
        except DockerError:
            return None
        error = error.strip()
        if not error:
            return None
        return (
            f"Docker could not start the run's container: {error}. To fix: check that the "
            f"image has `{self.command_name}` with Proctor installed, and the mounts exist."
        )

    def terminate(self) -> None:
        if self.poll() is None:
            self._signal("TERM")

    def kill(self) -> None:
        if self.poll() is None:
            self._signal("KILL")

    def _signal(self, name: str) -> None:
        try:
            self.cli.signal(self.container_id, name)
        except DockerError as error:
            logger.warning("Could not send SIG%s to container %s: %s", name, self.short_id, error)

    def cleanup(self, exit_code: int) -> None:
        if self.follower.stdout is not None:
            self.follower.stdout.close()
        try:
            self.cli.remove(self.container_id)
        except DockerError as error:
            # It stays until the agent's next start removes it (it carries our labels).
            logger.warning("Could not remove container %s: %s", self.short_id, error)
        if exit_code == 0 and self.log is not None:
            self.log.unlink(missing_ok=True)


class DockerLauncher(Launcher):
    """Start runs in containers (see the module docstring).

    `image`: for runs whose config names none (`UniversalRun`, `DockerRun()`);
    `network`: the agent's default network (None: decided from the API URL);
    `volumes`: mounts every container gets (`HOST:CONTAINER[:ro]`);
    `pull`: `docker create --pull` (missing, always, never);
    `python`: the interpreter command inside the image.
    """

    serves: ClassVar[frozenset[str]] = frozenset({"docker", "universal"})
    kind: ClassVar[str] = "Docker"

    def __init__(
        self,
        *,
        image: str | None = None,
        network: str | None = None,
        volumes: Sequence[str] = (),
        pull: str = "missing",
        python: str = "python",
        docker: str = "docker",
        log_dir: Path | None = None,
        show_output: bool = False,
    ) -> None:
        if pull not in {"missing", "always", "never"}:
            raise ValueError(f"pull must be missing, always or never, not {pull!r}")
        self.image = image
        self.network = network
        self.volumes = list(volumes)
        self.pull = pull
        self.python = python
        self.cli = DockerCli(docker)
        self.log_dir = log_dir
        self.show_output = show_output
        self.agent_id = ""
        self.agent_name = ""

    # -- the agent's questions ---------------------------------------------------------------

    def refusal(self, run_config: Mapping[str, Any] | None) -> str | None:
        reason = super().refusal(run_config)
        if reason is None and not (run_config or {}).get("image") and not self.image:
            return (
                "The run names no image and this Docker agent has no default: set "
                "DockerRun(image=...) on the flow, or start the agent with --image."
            )
        return reason

    def problem(self) -> str | None:
        why = self.cli.ping()
        return None if why is None else f"Docker daemon unreachable: {why}"

    def identify(self, agent_id: str, agent_name: str) -> None:
        """The agent this launcher starts containers for (their labels say it)."""
        self.agent_id = agent_id
        self.agent_name = agent_name

    def adopt(self) -> list[LaunchedRun]:
        """Remove the ended containers of a previous life of this agent; adopt the ones
        still running (their runs go on)."""
        if not self.agent_name:
            return []
        try:
            left = self.cli.containers(f"{AGENT_NAME_LABEL}={self.agent_name}")
        except DockerError as error:
            logger.warning("Could not list containers left by this agent: %s", error)
            return []
        adopted: list[LaunchedRun] = []
        for container in left:
            if container.state in {"running", "restarting", "paused"} and container.flow_run_id:
                logger.info(
                    "Adopting container %s of run %s, left running by this agent's last life",
                    container.id[:12],
                    container.flow_run_id,
                )
                follower = self.cli.wait(container.id)
                adopted.append(
                    ContainerRun(
                        container.flow_run_id, container.id, follower, self.cli, adopted=True
                    )
                )
                continue
            logger.info("Removing container %s left by this agent", container.id[:12])
            try:
                self.cli.remove(container.id)
            except DockerError as error:
                logger.warning("Could not remove container %s: %s", container.id[:12], error)
        return adopted

    # -- starting a run ----------------------------------------------------------------------

    def launch(
        self,
        flow_run_id: str,
        env: Mapping[str, str],
        run_config: Mapping[str, Any] | None = None,
    ) -> ContainerRun:
        config = dict(run_config or {})
        image = str(config.get("image") or self.image or "")
        run_env = {**passed_settings(os.environ), **env}
        args = self.create_args(flow_run_id, run_env, config, image)
        try:
            container_id = self.cli.create(args, run_env)
        except DaemonDown as error:
            raise LauncherUnavailable(f"Docker daemon unreachable: {error}") from None
        except DockerFailed as error:
            raise LaunchError(self._advice(image, str(error))) from None
        log = self._log_file(flow_run_id)
        output: IO[bytes] | None = None if log is None else log.open("ab")
        try:
            follower = self.cli.attach(container_id, output)
        finally:
            if output is not None:
                output.close()  # the follower has its own copy
        return ContainerRun(
            flow_run_id, container_id, follower, self.cli, log=log, command_name=self.python
        )

    def create_args(
        self, flow_run_id: str, env: Mapping[str, str], config: Mapping[str, Any], image: str
    ) -> list[str]:
        """The `docker create` arguments of a run: names only for the environment."""
        args = [
            "--name",
            f"proctor-run-{flow_run_id}-{secrets.token_hex(3)}",
            "--label",
            f"{RUN_LABEL}={flow_run_id}",
            "--label",
            f"{AGENT_ID_LABEL}={self.agent_id}",
            "--label",
            f"{AGENT_NAME_LABEL}={self.agent_name}",
            "--pull",
            self.pull,
        ]
        network = config.get("network") or self.network or self._default_network(env)
        if network:
            args += ["--network", str(network)]
        if config.get("cpu") is not None:
            args += ["--cpus", str(config["cpu"])]
        if config.get("memory") is not None:
            args += ["--memory", str(config["memory"])]
        for volume in [*self.volumes, *(config.get("volumes") or [])]:
            args += ["--volume", str(volume)]
        for name in sorted(env):
            args += ["--env", name]
        return [*args, image, *run_command(flow_run_id, self.python)]

    @staticmethod
    def _default_network(env: Mapping[str, str]) -> str | None:
        url = env.get("PROCTOR_API_URL", "")
        return "host" if url and is_loopback_url(url) else None

    @staticmethod
    def _advice(image: str, message: str) -> str:
        lowered = message.lower()
        if (
            "no such image" in lowered
            or "pull access denied" in lowered
            or ("manifest" in lowered and "not found" in lowered)
        ):
            todo = (
                f"build or pull {image!r} on the agent's machine (`docker pull {image}`), "
                "or fix DockerRun(image=...) and register the flow again"
            )
        else:
            todo = "check the flow's DockerRun settings and the agent's --volume/--network"
        return f"Docker could not create the run's container: {message}. To fix: {todo}."

    def _log_file(self, flow_run_id: str) -> Path | None:
        if self.show_output:
            return None
        folder = self.log_dir
        if folder is None:
            from proctor.settings import get_settings

            folder = get_settings().home / "agent" / "runs"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{flow_run_id}.log"


def passed_settings(environ: Mapping[str, str]) -> dict[str, str]:
    """The run-process settings of the agent's environment a container gets too."""
    return {name: value for name, value in environ.items() if name.startswith(PASSED_PREFIXES)}


__all__ = [
    "AGENT_ID_LABEL",
    "AGENT_NAME_LABEL",
    "RUN_LABEL",
    "ContainerRun",
    "DockerLauncher",
    "docker_command",
    "is_loopback_url",
    "passed_settings",
]
