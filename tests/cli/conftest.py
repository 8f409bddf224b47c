"""Fixtures of the CLI tests that talk to a server: one real server process per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from proctor.testing import ServerProcess


@pytest.fixture(scope="module")
def server_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-server-home")


@pytest.fixture(scope="module")
def server(server_home: Path) -> Iterator[ServerProcess]:
    # Default service intervals: a run seeded by hand (no process heartbeats it) must not
    # be failed by the zombie killer while a test reads it.
    from tests.agent.processes import DrainedServer

    process = DrainedServer(f"sqlite+aiosqlite:///{server_home / 'proctor.db'}", server_home)
    process.start(timeout=60)
    yield process
    process.stop()
