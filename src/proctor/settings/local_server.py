"""The server running on this machine: the URL `proctor server start` serves, for the CLI.

When a server is ready it writes `PROCTOR_HOME/server.json` (`{"url", "pid"}`, mode
0600) and removes it when it stops. Clients, agents and the CLI that share the home use
that URL when `PROCTOR_API_URL` is not set (and no `proctor login` profile names a
server), so `PROCTOR_SERVER_PORT=4300 make run` needs no second variable for the CLI.
A record whose process is gone (a `kill -9`) is ignored.

Precedence of the URL a client uses: `--api-url` / `PROCTOR_API_URL`, then the URL of
the `proctor login` profile, then this record, then `http://127.0.0.1:4200`.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

LOCAL_SERVER_FILE = "server.json"
# A server listening on every interface is reached on this machine through loopback.
_WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


def local_server_path(home: Path) -> Path:
    return home / LOCAL_SERVER_FILE


def local_url(host: str, port: int) -> str:
    """The URL a client on this machine uses for a server bound to `host:port`."""
    host = _WILDCARDS.get(host, host)
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    return True


def record_local_server(home: Path, url: str, pid: int | None = None) -> Path:
    """Write the record atomically (the newest ready server on this home wins)."""
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = local_server_path(home)
    owner = os.getpid() if pid is None else pid
    temporary = path.with_name(f".{LOCAL_SERVER_FILE}.{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump({"url": url, "pid": owner}, file)
    os.replace(temporary, path)
    return path


def forget_local_server(home: Path, pid: int | None = None) -> bool:
    """Remove the record if it is this process's (another server may have written a
    newer one meanwhile: that one stays)."""
    path = local_server_path(home)
    owner = os.getpid() if pid is None else pid
    record = _read(path)
    if record is None or record[1] != owner:
        return False
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    return True


def local_server_url(home: Path) -> str | None:
    """The URL of the server recorded in `home`, if its process still runs."""
    record = _read(local_server_path(home))
    if record is None or not _alive(record[1]):
        return None
    return record[0]


def _read(path: Path) -> tuple[str, int] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    url, pid = data.get("url"), data.get("pid")
    if not isinstance(url, str) or not url.startswith("http"):
        return None
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return None
    return url, pid


__all__ = [
    "LOCAL_SERVER_FILE",
    "forget_local_server",
    "local_server_path",
    "local_server_url",
    "local_url",
    "record_local_server",
]
