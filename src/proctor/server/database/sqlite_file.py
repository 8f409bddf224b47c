"""The SQLite file under a running server: noticing it vanish, and one server per file.

A server keeps its SQLite file open. If someone deletes (or replaces) the file meanwhile,
SQLite goes on reading and writing the old, now nameless file: requests succeed, and
everything written since is gone once the server stops. `FileWatch` remembers the file's
identity (device and inode) when the server connected and compares it with what the
path holds now; once they differ, `/health` reports the database down and every write
is refused with `DATABASE_GONE` (a restart opens whatever the path holds then).

Two servers on one SQLite file each run the scheduler, Lazarus and the zombie killer
as if alone, and SQLite's locking was not made for several processes writing as hard as
a server does. `ExclusiveFileLock` holds an exclusive `flock` on `<database>.lock` for as
long as the server runs; a second server finds it held and refuses to start. The kernel
drops the lock when the process ends, however it ends (kill -9 included), so a stale
lock file never blocks a restart. Servers meant to share one file (replicas on a
shared disk) say so with `PROCTOR_SERVER_DATABASE_ALLOW_SHARED_SQLITE=true`.
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path

from proctor.server.errors import StartupFailed, Unavailable

__all__ = ["DATABASE_GONE", "ExclusiveFileLock", "FileIdentity", "FileWatch", "lock_path_for"]

DATABASE_GONE = "DATABASE_GONE"
SHARED_SETTING = "PROCTOR_SERVER_DATABASE_ALLOW_SHARED_SQLITE"


@dataclass(frozen=True, slots=True)
class FileIdentity:
    device: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> FileIdentity:
        stat = os.stat(path)
        return cls(stat.st_dev, stat.st_ino)


class FileWatch:
    """Whether the path still holds the file the server opened (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path.expanduser().resolve()
        self.identity = FileIdentity.of(self.path)
        self._problem: str | None = None

    def problem(self) -> str | None:
        """Why the database file is no longer the one in use, or None while it is.

        Once found, the answer stays: a file that reappears at the path is not the one
        the server has open."""
        if self._problem is not None:
            return self._problem
        try:
            now = FileIdentity.of(self.path)
        except FileNotFoundError:
            what = "was deleted"
        except OSError:
            return None  # unreadable for a moment (permissions): not proof it is gone
        else:
            if now == self.identity:
                return None
            what = "was replaced by another file"
        self._problem = (
            f"The SQLite database file {self.path} {what} while the server was running; "
            "writes are refused so that nothing more is written where no one will find it. "
            "Put the database file back (e.g. from a backup) and restart the server; "
            "started on an empty path it begins a new, empty database."
        )
        return self._problem

    def refuse_writes(self) -> None:
        """Raise `Unavailable` (code DATABASE_GONE) once the file is gone."""
        problem = self.problem()
        if problem is not None:
            # stage "begin": nothing was attempted, and retrying cannot help.
            raise Unavailable(
                problem, code=DATABASE_GONE, details={"path": str(self.path), "stage": "begin"}
            )


def lock_path_for(database: Path) -> Path:
    """`proctor.db` -> `proctor.db.lock`, next to the database."""
    database = database.expanduser().resolve()
    return database.with_name(database.name + ".lock")


class ExclusiveFileLock:
    """An exclusive `flock` on the lock file next to a SQLite database, or a refusal."""

    def __init__(self, database: Path) -> None:
        self.database = database.expanduser().resolve()
        self.path = lock_path_for(database)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise `StartupFailed` saying who holds it and what to do."""
        if self._fd is not None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            raise StartupFailed(
                f"Another Proctor server{holder} is using the SQLite database "
                f"{self.database} (it holds {self.path}). Stop that server, or give this "
                f"one another database; if several servers share this file on purpose, "
                f"set {SHARED_SETTING}=true."
            ) from None
        except BaseException:
            os.close(fd)
            raise
        # For the message above, in the next server that tries: who holds the lock.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        """Let go of the lock (closing the file drops it). The file stays: removing it
        would let a server waiting on the old file and one on a new file both win."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None


def _read_pid(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode(errors="replace").strip()
    except OSError:
        return ""
    return f" (pid {text})" if text.isdigit() else ""
