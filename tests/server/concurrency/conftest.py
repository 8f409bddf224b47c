"""Fixtures of the concurrency-limit tests.

- the in-process API fixtures (`app`, `http`, `gql`, `api`) of tests/server/api, on both
  databases;
- for the end-to-end tests: one real server per module (SQLite, fast services, Lazarus
  fails a lost run instead of re-queueing it, so a killed run stays dead), agents started
  per test and stopped after it, and a work folder the flows write to.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.agent.processes import FAST_SERVER, AgentProcess, DrainedServer
from tests.server.api.conftest import _database_templates, api, app

from proctor.client import Client
from proctor.testing import ServerProcess

__all__ = ["_database_templates", "api", "app"]

FLOWS = Path(__file__).resolve().parent / "flows"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("limits-home")


@pytest.fixture(scope="module")
def server(home: Path) -> Iterator[ServerProcess]:
    env = dict(FAST_SERVER, PROCTOR_SERVER_SERVICES_LAZARUS_MAX_REQUEUES="0")
    process = DrainedServer(f"sqlite+aiosqlite:///{home / 'proctor.db'}", home, env=env)
    process.start(timeout=60)
    yield process
    process.stop()


@pytest.fixture
def client(server: ServerProcess) -> Iterator[Client]:
    with Client(server.url) as api_client:
        yield api_client


@pytest.fixture
def work(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def agents() -> Iterator[list[AgentProcess]]:
    started: list[AgentProcess] = []
    yield started
    for agent in started:
        agent.stop()
