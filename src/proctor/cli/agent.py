"""`proctor agent start`: run registered flows on this machine as the server schedules them.

Options default to the `PROCTOR_AGENT_*` settings, so a service manager can configure an
agent through its environment alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from proctor.cli.output import fail
from proctor.cli.remote import ApiUrlOption

if TYPE_CHECKING:
    from proctor.agent.launchers import Launcher

agent_app = typer.Typer(
    name="agent", help="Start an agent that runs scheduled flows here.", no_args_is_help=True
)
docker_app = typer.Typer(
    name="docker",
    help="1.x spelling: `agent docker start` is `agent start --type docker`.",
    no_args_is_help=True,
)

ImageOption = Annotated[
    str | None,
    typer.Option("--image", help="Docker: the image of runs whose run config names none."),
]
NetworkOption = Annotated[
    str | None,
    typer.Option(
        "--network",
        help="Docker: the network of run containers (default: host when the API URL is "
        "on loopback, else Docker's default).",
    ),
]
VolumeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--volume",
        metavar="HOST:CONTAINER[:ro]",
        help="Docker: a mount every run container gets (repeatable).",
    ),
]
PullOption = Annotated[
    str,
    typer.Option("--pull", metavar="missing|always|never", help="Docker: when to pull run images."),
]
PythonOption = Annotated[
    str, typer.Option("--python", help="Docker: the Python command inside run images.")
]


def parse_env(items: list[str]) -> dict[str, str]:
    """`["K=V", ...]` -> `{"K": "V"}`, naming the item at fault."""
    env: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            fail(f"--env {item!r} is not NAME=VALUE: write e.g. --env DB_HOST=db.internal")
        env[name.strip()] = value
    return env


@agent_app.command("start")
def start(
    name: Annotated[
        str | None,
        typer.Option("--name", "-n", help="Agent name (default: PROCTOR_AGENT_NAME, else host)."),
    ] = None,
    label: Annotated[
        list[str] | None,
        typer.Option(
            "--label",
            "-l",
            help="A label this agent serves (repeatable); it runs flows whose labels it has "
            "all of. Default: PROCTOR_AGENT_LABELS.",
        ),
    ] = None,
    max_runs: Annotated[
        int | None,
        typer.Option("--max-runs", min=1, help="Flow runs at once (default: 4)."),
    ] = None,
    env: Annotated[
        list[str] | None,
        typer.Option(
            "--env", "-e", metavar="NAME=VALUE", help="Environment for run processes (repeatable)."
        ),
    ] = None,
    show_run_output: Annotated[
        bool,
        typer.Option(
            "--show-run-output",
            help="Print run processes' output here instead of one file per run.",
        ),
    ] = False,
    agent_type: Annotated[
        str,
        typer.Option(
            "--type",
            metavar="local|docker",
            help="Where runs start: local processes, or Docker containers.",
        ),
    ] = "local",
    image: ImageOption = None,
    network: NetworkOption = None,
    volume: VolumeOption = None,
    pull: PullOption = "missing",
    python: PythonOption = "python",
    api_url: ApiUrlOption = None,
) -> None:
    """Register with the server, then claim due runs and run each in its own process
    (--type docker: in its own container).

    Stops on Ctrl-C or SIGTERM: no new runs, running flows get PROCTOR_AGENT_SHUTDOWN_GRACE
    _SECONDS (default 60) to finish, then they are stopped and re-queued. Twice: at once.
    """
    if agent_type not in {"local", "docker"}:
        fail(f"--type {agent_type!r} is not an agent type: use local or docker")
    if agent_type == "local" and (image or network or volume):
        fail("--image, --network and --volume are for Docker agents: add --type docker")
    run_agent(
        make_launcher(agent_type, show_run_output, image, network, volume, pull, python),
        name=name,
        label=label,
        max_runs=max_runs,
        env=env,
        api_url=api_url,
    )


@docker_app.command("start")
def docker_start(
    name: Annotated[
        str | None,
        typer.Option("--name", "-n", help="Agent name (default: PROCTOR_AGENT_NAME, else host)."),
    ] = None,
    label: Annotated[
        list[str] | None,
        typer.Option("--label", "-l", help="A label this agent serves (repeatable)."),
    ] = None,
    max_runs: Annotated[
        int | None,
        typer.Option("--max-runs", min=1, help="Flow runs at once (default: 4)."),
    ] = None,
    env: Annotated[
        list[str] | None,
        typer.Option(
            "--env", "-e", metavar="NAME=VALUE", help="Environment for run containers (repeatable)."
        ),
    ] = None,
    image: ImageOption = None,
    network: NetworkOption = None,
    volume: VolumeOption = None,
    pull: PullOption = "missing",
    python: PythonOption = "python",
    api_url: ApiUrlOption = None,
) -> None:
    """1.x spelling of `agent start --type docker`: run each claimed run in a container."""
    run_agent(
        make_launcher("docker", False, image, network, volume, pull, python),
        name=name,
        label=label,
        max_runs=max_runs,
        env=env,
        api_url=api_url,
    )


def make_launcher(
    agent_type: str,
    show_run_output: bool,
    image: str | None,
    network: str | None,
    volume: list[str] | None,
    pull: str,
    python: str,
) -> Launcher:
    """The launcher of an agent of `agent_type`, from the command's options."""
    from proctor.agent.launchers import DockerLauncher, LocalLauncher

    if agent_type == "local":
        return LocalLauncher(show_output=show_run_output)
    if pull not in {"missing", "always", "never"}:
        fail(f"--pull {pull!r}: use missing, always or never")
    for item in volume or []:
        if ":" not in item:
            fail(f"--volume {item!r} is not HOST:CONTAINER[:ro]: write e.g. /srv/data:/data:ro")
    return DockerLauncher(
        image=image,
        network=network,
        volumes=volume or [],
        pull=pull,
        python=python,
        show_output=show_run_output,
    )


def run_agent(
    launcher: Launcher,
    *,
    name: str | None,
    label: list[str] | None,
    max_runs: int | None,
    env: list[str] | None,
    api_url: str | None,
) -> None:
    """Build the agent from the options and the `PROCTOR_AGENT_*` settings; run it."""
    import socket

    from proctor.agent.agent import Agent
    from proctor.client import Client, ProctorClientError
    from proctor.core.logs import configure_default_logging
    from proctor.settings import get_settings

    settings = get_settings().agent
    configure_default_logging()
    with Client(api_url) as client:
        agent = Agent(
            client,
            launcher,
            name=name or settings.name or socket.gethostname(),
            labels=label if label else settings.labels,
            max_runs=max_runs or settings.max_runs,
            env=parse_env(env or []),
            claim_wait_seconds=settings.claim_wait_seconds,
            heartbeat_seconds=settings.heartbeat_seconds,
            grace_seconds=settings.shutdown_grace_seconds,
        )
        agent.install_signal_handlers()
        try:
            agent.run()
        except ProctorClientError as error:
            fail(f"the agent stopped: {error}", 1)


def register(app: typer.Typer) -> None:
    """Add `agent` (and its 1.x spelling `agent docker start`) to the CLI."""
    agent_app.add_typer(docker_app)
    app.add_typer(agent_app)


__all__ = ["parse_env", "register"]
