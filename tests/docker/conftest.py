"""Fixtures of the Docker tests: a daemon of their own for the session, one server per
module, Docker agents started per test.

They skip only where no daemon can run at all (no dockerd, not root); where
`PROCTOR_TEST_DOCKER_REQUIRED` is set (`.ci/run` sets it, having installed Docker) that
is a failure instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.agent.processes import FAST_SERVER, DrainedServer
from tests.docker.daemon import DockerDaemon, build_run_image, why_no_daemon
from tests.docker.processes import DockerAgentProcess
from tests.docker.registry import Registry, why_no_registry

from proctor.client import Client
from proctor.testing import ServerProcess

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def docker_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DockerDaemon]:
    reason = why_no_daemon()
    if reason is not None:
        if os.environ.get("PROCTOR_TEST_DOCKER_REQUIRED"):
            pytest.fail(f"CI must run the Docker tests, but {reason}")
        pytest.skip(f"no Docker daemon can run here: {reason}")
    # A short path: the daemon's socket path must fit in a unix socket address.
    root = Path(tmp_path_factory.mktemp("dockerd"))
    daemon = DockerDaemon(root)
    daemon.start()
    try:
        build_run_image(daemon, root)
        yield daemon
    finally:
        daemon.stop()


@pytest.fixture(scope="session")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """An image registry on loopback (Debian's docker-registry), for the push tests."""
    reason = why_no_registry()
    if reason is not None:
        if os.environ.get("PROCTOR_TEST_DOCKER_REQUIRED"):
            pytest.fail(f"CI must run the registry tests, but {reason}")
        pytest.skip(f"no image registry can run here: {reason}")
    running = Registry(Path(tmp_path_factory.mktemp("registry")))
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("docker-home")


@pytest.fixture(scope="module")
def server(home: Path) -> Iterator[ServerProcess]:
    # Fast services, except Lazarus: a container takes seconds to start on a loaded
    # machine, and a run re-queued meanwhile would start twice in the 50-run test.
    process = DrainedServer(
        f"sqlite+aiosqlite:///{home / 'proctor.db'}",
        home,
        env={**FAST_SERVER, "PROCTOR_SERVER_SERVICES_LAZARUS_AFTER_SECONDS": "120"},
    )
    process.start(timeout=60)
    yield process
    process.stop()


@pytest.fixture
def client(server: ServerProcess) -> Iterator[Client]:
    with Client(server.url) as api:
        yield api


@pytest.fixture
def docker_agents(
    home: Path, server: ServerProcess, docker_daemon: DockerDaemon
) -> Iterator[list[DockerAgentProcess]]:
    """Docker agents started by the test (`docker_agents.append(...)`), stopped after it."""
    started: list[DockerAgentProcess] = []
    yield started
    for agent in started:
        agent.stop()
