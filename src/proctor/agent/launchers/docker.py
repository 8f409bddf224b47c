"""Job specs for running flow runs in Docker containers.

This release writes the spec only: `docker_command(...)` is the `docker run` command an
agent (or a script of yours) runs to start the run process in a container. The image must
have Proctor and the flow's code (or access to its storage) installed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from proctor.agent.launchers.base import run_command


def docker_command(
    flow_run_id: str,
    env: Mapping[str, str],
    *,
    image: str,
    network: str | None = None,
    extra_args: Sequence[str] = (),
) -> list[str]:
    """`docker run --rm ... IMAGE python -m proctor execute flow-run ID` as an argv list.

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
        f"io.proctor.flow-run-id={flow_run_id}",
    ]
    if network:
        command += ["--network", network]
    for name in sorted(env):
        command += ["--env", name]
    command += [*extra_args, image, *run_command(flow_run_id)]
    return command


__all__ = ["docker_command"]
