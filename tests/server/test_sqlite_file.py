"""The SQLite file under a running server (real `proctor server start` processes).

Deleting or replacing the file while the server runs must not go unnoticed: `/health`
says 503 with the reason, and writes are refused with DATABASE_GONE instead of landing in
a file no one will see again. A second server on the same file refuses to start, unless
it is told the file is shared on purpose; a crashed server's lock never blocks a restart.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from proctor.server.database import Database
from proctor.testing import ServerProcess

pytestmark = pytest.mark.slow

SHARED = "PROCTOR_SERVER_DATABASE_ALLOW_SHARED_SQLITE"


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def create_project(url: str, name: str) -> dict[str, Any]:
    answer = httpx.post(
        f"{url}/graphql",
        json={"query": f'mutation {{ createProject(name: "{name}") {{ id name }} }}'},
        timeout=30,
    )
    body: dict[str, Any] = answer.json()
    return body


def project_names(url: str) -> list[str]:
    answer = httpx.post(f"{url}/graphql", json={"query": "{ projects { name } }"}, timeout=30)
    return sorted(project["name"] for project in answer.json()["data"]["projects"])


@pytest.fixture
def server(tmp_path: Path):
    running = ServerProcess(sqlite_url(tmp_path / "home" / "proctor.db"), tmp_path / "home")
    running.start(timeout=60)
    yield running
    running.stop()


def test_a_deleted_database_file_fails_health_and_refuses_writes(server: ServerProcess):
    database = server.home / "proctor.db"
    assert "data" in create_project(server.url, "before")
    assert httpx.get(f"{server.url}/health", timeout=30).status_code == 200

    database.unlink()

    health = httpx.get(f"{server.url}/health", timeout=30)
    assert health.status_code == 503
    assert health.json()["database"] == "down"
    assert health.json()["details"]["error"] == "DATABASE_GONE"
    assert "was deleted" in health.json()["details"]["reason"]

    refused = create_project(server.url, "after")
    assert refused["data"] is None
    [error] = refused["errors"]
    assert error["extensions"]["code"] == "DATABASE_GONE"
    assert f"{database.resolve()} was deleted" in error["message"]
    assert "Traceback" not in error["message"]
    # The refused write did not bring a new file into being at the path either.
    assert not database.exists()


def test_a_replaced_database_file_fails_health_and_refuses_writes(
    server: ServerProcess, tmp_path: Path
):
    database = server.home / "proctor.db"
    assert "data" in create_project(server.url, "before")
    # A copy moved over the path (what restoring a backup with `mv` does): another inode.
    copy = tmp_path / "copy.db"
    shutil.copyfile(database, copy)
    os.replace(copy, database)

    health = httpx.get(f"{server.url}/health", timeout=30)
    assert health.status_code == 503
    assert "was replaced by another file" in health.json()["details"]["reason"]
    [error] = create_project(server.url, "after")["errors"]
    assert error["extensions"]["code"] == "DATABASE_GONE"

    server.stop()  # a restart opens what the path holds now
    server.start(timeout=60)
    assert httpx.get(f"{server.url}/health", timeout=30).status_code == 200
    assert "data" in create_project(server.url, "after restart")


def start_second(home: Path, database: Path, env: dict[str, str] | None = None):
    """`proctor server start` in the foreground with a short life: returns at once when
    start-up fails, else stays up (the caller stops it)."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("PROCTOR_")}
    clean.update({"PROCTOR_HOME": str(home), **(env or {})})
    command = [sys.executable, "-m", "proctor", "server", "start", "--port", "0", "--no-open"]
    return subprocess.run(
        [*command, "--database-url", sqlite_url(database)],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_second_server_on_the_same_file_refuses_to_start(server: ServerProcess, tmp_path):
    database = server.home / "proctor.db"
    assert server.process is not None
    refused = start_second(tmp_path / "other-home", database)
    assert refused.returncode == 1
    assert (
        f"Another Proctor server (pid {server.process.pid}) is using the SQLite database "
        f"{database.resolve()}"
    ) in refused.stderr
    assert f"{SHARED}=true" in refused.stderr
    assert "Traceback" not in refused.stderr + refused.stdout
    # The first server is unharmed.
    assert httpx.get(f"{server.url}/health", timeout=30).status_code == 200
    assert "data" in create_project(server.url, "still mine")


def test_a_server_told_the_file_is_shared_starts_beside_the_first(
    server: ServerProcess, tmp_path: Path
):
    replica = ServerProcess(
        sqlite_url(server.home / "proctor.db"), tmp_path / "replica-home", env={SHARED: "true"}
    )
    replica.start(timeout=60)
    try:
        assert "data" in create_project(replica.url, "from the replica")
        assert project_names(server.url) == ["from the replica"]
    finally:
        replica.stop()


def test_the_lock_of_a_killed_server_does_not_block_a_restart(server: ServerProcess):
    assert "data" in create_project(server.url, "kept")
    server.kill()  # SIGKILL: no shutdown code runs, the lock file stays behind
    assert server.process is not None and server.process.stdout is not None
    server.process.stdout.close()
    assert (server.home / "proctor.db.lock").exists()
    server.start(timeout=60)
    assert project_names(server.url) == ["kept"]


async def test_a_new_connection_never_makes_a_new_file_at_the_path(tmp_path: Path):
    """After the file is deleted, a connection the pool opens fails instead of creating an
    empty database there (which later requests would read, and a restart would keep)."""
    import sqlalchemy as sa

    path = tmp_path / "gone.db"
    db = Database(sqlite_url(path), listen=False)
    await db.connect()
    held = [await db.engine.connect()]  # the pool's warm connection stays busy
    try:
        await held[0].execute(sa.text("SELECT 1"))
        path.unlink()
        with pytest.raises(sa.exc.OperationalError, match="unable to open database file"):
            held.append(await db.engine.connect())  # a new connection
        assert not path.exists()
    finally:
        for connection in held:
            await connection.close()
        await db.dispose()
