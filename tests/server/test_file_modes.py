"""What a server start writes on a fresh PROCTOR_HOME is readable by its owner only: the
home folder (0700), the SQLite database and its WAL and shared-memory files (0600, they
hold password hashes, token digests and webhook headers) and the secrets key file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from proctor.client import Client
from proctor.testing import ServerProcess

pytestmark = pytest.mark.slow


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_fresh_home_and_its_database_are_private(tmp_path: Path) -> None:
    home = tmp_path / "not-yet" / "proctor-home"
    database = home / "proctor.db"
    server = ServerProcess(f"sqlite+aiosqlite:///{database}", home)
    server.start(timeout=60)
    try:
        with Client(server.url) as client:
            client.query('mutation { createProject(name: "private") { id } }')
            # The write went through the WAL: all three files exist while it runs.
            files = {path.name: mode(path) for path in home.iterdir()}
    finally:
        server.stop()
    assert mode(home) == 0o700
    assert files["proctor.db"] == 0o600
    assert files["proctor.db-wal"] == 0o600
    assert files["proctor.db-shm"] == 0o600
    assert files["secrets.key"] == 0o600
    assert not [name for name, bits in files.items() if bits & 0o077], files
