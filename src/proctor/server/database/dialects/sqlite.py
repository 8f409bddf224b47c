"""SQLite: WAL, relaxed fsync, foreign keys, a busy timeout, and BEGIN IMMEDIATE for writes.

Why each setting (each was measured on this kind of machine, see STACK-NOTES.md):

- The driver's own transaction handling loses updates under concurrent read-modify-write
  and defers the write lock, so "database is locked" escapes when a reader upgrades. We
  turn it off (`isolation_level=None`) and emit BEGIN ourselves: `BEGIN IMMEDIATE` for
  writes (takes the write lock up front, waiting up to the busy timeout), plain `BEGIN`
  for reads (a consistent snapshot).
- WAL lets readers run during a write; `synchronous=NORMAL` is durable across process
  crashes in WAL mode and skips an fsync per commit.
- `foreign_keys=ON` makes ON DELETE CASCADE work (it is off by default in SQLite).
- A new database file is created mode 0600 (its folder 0700): see `prepare`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from proctor.server.database.dialects.base import WRITE_OPTION, DialectConfiguration


class SqliteConfiguration(DialectConfiguration):
    name = "sqlite"
    driver = "aiosqlite"

    @property
    def path(self) -> Path | None:
        database = self.url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        return Path(database)

    def prepare(self) -> None:
        if self.path is None:
            raise ValueError(
                "Proctor needs a SQLite *file* (WAL mode and several connections); "
                f"got {self.url.render_as_string()!r}. Use a path, e.g. in a temp directory."
            )
        path = self.path.expanduser()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # The file holds password hashes, token digests and webhook headers: readable by
        # its owner only. SQLite gives its -wal and -shm files the database file's mode,
        # so creating the file first (0600) covers them too.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))

    def file_path(self) -> Path | None:
        return None if self.path is None else self.path.expanduser()

    def engine_kwargs(self) -> dict[str, Any]:
        return {
            "connect_args": {"timeout": self.options.timeout, "isolation_level": None},
            "pool_size": 5,
            "max_overflow": 10,
            "pool_timeout": self.options.timeout,
            # The most recently used connection first: its page cache is the warm one.
            "pool_use_lifo": True,
        }

    def install_listeners(self, engine: AsyncEngine) -> None:
        busy_ms = int(self.options.timeout * 1000)
        path = self.file_path()

        @event.listens_for(engine.sync_engine, "do_connect")
        def _open_existing_only(
            _dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]
        ) -> None:
            # `prepare` made the file; a connection must never make another one. Were the
            # file deleted under a running server, a new pooled connection would create
            # an empty database at the path and answer from it (`sqlite_file`): opened
            # read-write but not create, it fails instead.
            if path is not None and cargs:
                cargs[0] = f"file:{quote(str(path))}?mode=rw"
                cparams["uri"] = True

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Take transaction control away from the driver (see the module docstring).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            # Before WAL and before any table: only then does a new file take it (an
            # existing one ignores it). Lets retention shrink the file (`sqlite_space`).
            # Only on an empty file: on an existing one the pragma waits for the write
            # lock, so a connection opened during a write transaction would stall.
            cursor.execute("PRAGMA page_count")
            if cursor.fetchone()[0] == 0:
                cursor.execute("PRAGMA auto_vacuum = INCREMENTAL")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA cache_size = -32000")
            cursor.execute("PRAGMA temp_store = MEMORY")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(connection: Connection) -> None:
            if connection.get_execution_options().get(WRITE_OPTION):
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.exec_driver_sql("BEGIN")

    def is_transient_error(self, exc: BaseException) -> bool:
        original = getattr(exc, "orig", exc)
        if isinstance(original, sqlite3.OperationalError):
            text = str(original).lower()
            return "locked" in text or "busy" in text
        return False

    def insert(self, table: sa.Table) -> Any:
        return sqlite.insert(table)

    def epoch_bucket(self, column: Any, seconds: int) -> sa.ColumnElement[Any]:
        # strftime('%s') is an integer; integer division floors for dates after 1970.
        epoch = sa.cast(sa.func.strftime("%s", column), sa.Integer)
        return (epoch // seconds) * seconds

    def contains_ci(self, column: Any, text: str) -> sa.ColumnElement[bool]:
        # SQLite's LIKE is case-insensitive for ASCII; lower() covers the rest.
        pattern = f"%{self.escape_like(text.lower())}%"
        return sa.func.lower(column).like(pattern, escape="\\")

    def labels_subset_of(self, column: Any, labels: Iterable[str]) -> sa.ColumnElement[bool]:
        each = sa.func.json_each(column).table_valued("value")
        outside = (
            sa.select(sa.literal(1)).select_from(each).where(each.c.value.not_in(list(labels)))
        )
        return ~sa.exists(outside)

    def labels_include(self, column: Any, labels: Iterable[str]) -> sa.ColumnElement[bool]:
        terms = []
        for label in labels:
            each = sa.func.json_each(column).table_valued("value")
            terms.append(
                sa.exists(sa.select(sa.literal(1)).select_from(each).where(each.c.value == label))
            )
        return sa.and_(sa.true(), *terms)

    def milliseconds_between(self, start: Any, end: Any) -> sa.ColumnElement[Any]:
        # Timestamps are UTC text; julianday() is a double, exact to well under 1 ms.
        days = sa.func.julianday(end) - sa.func.julianday(start)
        return sa.cast(sa.func.round(days * 86_400_000.0), sa.BigInteger)

    async def before_migrations(self, connection: AsyncConnection) -> None:
        # Batch migrations re-create tables; with foreign keys on, dropping a parent
        # table would cascade-delete its children. The pragma is ignored inside a
        # transaction, so it is set on the raw connection before BEGIN.
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        await driver.execute("PRAGMA foreign_keys = OFF")

    async def after_migrations(self, connection: AsyncConnection) -> None:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        cursor = await driver.execute("PRAGMA foreign_key_check")
        problems = await cursor.fetchall()
        await driver.execute("PRAGMA foreign_keys = ON")
        if problems:
            raise RuntimeError(f"Migration left rows violating foreign keys: {problems[:5]}")


__all__ = ["SqliteConfiguration"]
