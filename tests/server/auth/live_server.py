"""A real server process in auth mode with a first owner, for tests that need real sockets
(concurrent bursts, several client addresses, keys expiring on the server's clock).

Client addresses: every 127.x.y.z address is loopback on Linux, so a client bound to
127.0.0.2 reaches the server on 127.0.0.1 and the server sees it as another address.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from proctor.testing import ServerProcess

OWNER = "owner@example.com"
OWNER_PASSWORD = "a long enough password"
CHEAP_ARGON2_ENV = {
    "PROCTOR_SERVER_AUTH_ARGON2_TIME_COST": "1",
    "PROCTOR_SERVER_AUTH_ARGON2_MEMORY_KIB": "8",
    "PROCTOR_SERVER_AUTH_ARGON2_PARALLELISM": "1",
}


def _create_owner(database_url: str, home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROCTOR_")}
    env.update({"PROCTOR_HOME": str(home), **CHEAP_ARGON2_ENV})
    done = subprocess.run(
        [sys.executable, "-m", "proctor", "server", "create-admin", "--email", OWNER,
         "--password-stdin", "--database-url", database_url],
        input=OWNER_PASSWORD + "\n", capture_output=True, text=True, env=env, timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


@contextmanager
def auth_server(database_url: str, home: Path, env: dict[str, str]) -> Iterator[ServerProcess]:
    """A started auth-mode server on `database_url` whose owner is `OWNER`."""
    _create_owner(database_url, home)
    server = ServerProcess(
        database_url,
        home,
        env={"PROCTOR_SERVER_AUTH_ENABLED": "true", **CHEAP_ARGON2_ENV, **env},
    )
    server.start(timeout=60)
    try:
        yield server
    finally:
        server.stop()


def client_from(url: str, address: str = "127.0.0.1") -> httpx.AsyncClient:
    """An async client whose connections leave from `address` (a loopback address)."""
    transport = httpx.AsyncHTTPTransport(
        local_address=address, limits=httpx.Limits(max_connections=200)
    )
    return httpx.AsyncClient(base_url=url, transport=transport, timeout=60)


def sync_client_from(url: str, address: str = "127.0.0.1") -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=url, transport=transport, timeout=60)


__all__ = [
    "CHEAP_ARGON2_ENV",
    "OWNER",
    "OWNER_PASSWORD",
    "auth_server",
    "client_from",
    "sync_client_from",
]
