"""Fixtures of the hybrid tests: one real server per module, agents started per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.agent.processes import AgentProcess, start_server

from proctor.client import Client
from proctor.testing import ServerProcess


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hybrid-home")


@pytest.fixture(scope="module")
def server(home: Path) -> Iterator[ServerProcess]:
    process = start_server(home)
    yield process
    process.stop()


@pytest.fixture
def client(server: ServerProcess) -> Iterator[Client]:
    with Client(server.url) as api:
        yield api


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A folder the flows under test use (`AGENT_TEST_DIR` in their processes)."""
    return tmp_path


@pytest.fixture
def agents(home: Path, server: ServerProcess) -> Iterator[list[AgentProcess]]:
    """Agents started by the test (`agents.append(AgentProcess(...))`), stopped after it."""
    started: list[AgentProcess] = []
    yield started
    for agent in started:
        agent.stop()
