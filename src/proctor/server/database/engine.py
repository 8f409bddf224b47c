"""`Database`: the server's one handle on its database (engine, sessions, migrations,
events).

    db = Database.from_settings()          # or Database("postgresql+asyncpg://...")
    await db.connect()                     # engine + pragmas (+ LISTEN on PostgreSQL)
    await db.upgrade()                     # Alembic migrations to head
    async with db.session() as s: ...      # reads
    async with db.transaction() as s: ...  # one write transaction, committed on exit
    db.events                              # the EventBus events are published on
    await db.dispose()

A `Database` belongs to the event loop that connected it (asyncpg connections are
loop-bound); create one per loop/thread/process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from proctor.server.database import migrate
from proctor.server.database.activity_log import write_activity
from proctor.server.database.dialects import (
    WRITE_OPTION,
    DialectConfiguration,
    EngineOptions,
    configuration_for,
)
from proctor.server.database.foreground_writes import ForegroundWrites
from proctor.server.database.session import EVENTS_KEY, pending_events
from proctor.server.database.sqlite_file import DATABASE_GONE, ExclusiveFileLock, FileWatch
from proctor.server.database.types import json_serializer
from proctor.server.errors import Unavailable
from proctor.server.events import EventBus

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Attempts at starting a write transaction (each waits up to the busy timeout), and at
# re-running a unit of work after a deadlock or serialization failure.
_BEGIN_ATTEMPTS = 2
_ATTEMPTS = 5


class Database:
    """Engine, sessions, transactions, migrations and the event bus of one database."""

    def __init__(
        self,
        url: str,
        *,
        echo: bool = False,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        pool_size: int = 10,
        max_overflow: int = 10,
        listen: bool = True,
    ) -> None:
        options = EngineOptions(
            echo=echo,
            timeout=timeout,
            connect_timeout=connect_timeout,
            pool_size=pool_size,
            max_overflow=max_overflow,
        )
        self.config: DialectConfiguration = configuration_for(url, options)
        self.url = self.config.url
        self.dialect: str = self.config.name
        self.events = EventBus()
        self.foreground_writes = ForegroundWrites()
        self._listen = listen
        self._listener: Any = None
        self._engine: AsyncEngine | None = None
        self._health_engine: AsyncEngine | None = None
        self._read_sessions: async_sessionmaker[AsyncSession] | None = None
        self._write_sessions: async_sessionmaker[AsyncSession] | None = None
        self._file_watch: FileWatch | None = None
        self._file_lock: ExclusiveFileLock | None = None

    @classmethod
    def from_settings(cls, **overrides: Any) -> Database:
        """A `Database` configured from `PROCTOR_SERVER_DATABASE_*` settings; keyword
        `overrides` win (e.g. `listen=False` for a CLI command that only migrates)."""
        from proctor.settings import get_settings

        settings = get_settings()
        database = settings.server.database
        options: dict[str, Any] = {
            "echo": database.echo,
            "timeout": database.timeout,
            "connect_timeout": database.connect_timeout,
            "pool_size": database.pool_size,
            "max_overflow": database.max_overflow,
        }
        options.update(overrides)
        return cls(settings.database_url, **options)

    def __repr__(self) -> str:
        return f"Database({self.url.render_as_string(hide_password=True)!r})"

    # -- lifecycle ------------------------------------------------------------------

    @property
    def engine(self) -> AsyncEngine:
        if self._engine is None:
            raise RuntimeError("Database is not connected: await db.connect() first")
        return self._engine

    @property
    def connected(self) -> bool:
        return self._engine is not None

    async def connect(self) -> None:
        """Create the engine (idempotent). On PostgreSQL also start LISTENing for events
        of other replicas."""
        if self._engine is not None:
            return
        self.config.prepare()
        path = self.config.file_path()
        # The file as it is now: a later delete or replace is noticed (`sqlite_file`).
        self._file_watch = FileWatch(path) if path is not None else None
        engine = create_async_engine(
            self.url,
            echo=self.config.options.echo,
            json_serializer=json_serializer,
            **self.config.engine_kwargs(),
        )
        self.config.install_listeners(engine)
        # `/health` has a connection of its own: a pool drained by a burst of requests
        # (or by writers queued on SQLite's lock) must not make a live server look dead.
        health_engine = create_async_engine(
            self.url,
            json_serializer=json_serializer,
            **{**self.config.engine_kwargs(), "pool_size": 1, "max_overflow": 0},
        )
        self.config.install_listeners(health_engine)
        self._engine = engine
        self._health_engine = health_engine
        self._read_sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = async_sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        if self.dialect == "postgresql" and self._listen:
            from proctor.server.database.notify import PostgresListener

            listener = PostgresListener(
                self.url, self.events, connect_timeout=self.config.options.connect_timeout
            )
            try:
                await listener.start()
            except BaseException:
                await self.dispose()
                raise
            self._listener = listener

    def lock_file(self) -> None:
        """Hold an exclusive lock on the SQLite file's lock file until `dispose`, so that
        no second server starts on it (`StartupFailed` if one holds it already). Nothing
        to do on PostgreSQL, which is made for many servers."""
        path = self.config.file_path()
        if path is None:
            return
        if self._file_lock is None:
            self._file_lock = ExclusiveFileLock(path)
        self._file_lock.acquire()

    async def dispose(self) -> None:
        """Close every connection (and the listener, and the file lock). The object can
        connect again."""
        if self._file_lock is not None:
            self._file_lock.release()
            self._file_lock = None
        if self._listener is not None:
            await self._listener.stop()
            self._listener = None
        if self._health_engine is not None:
            await self._health_engine.dispose()
            self._health_engine = None
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None
            self._read_sessions = self._write_sessions = None

    async def __aenter__(self) -> Database:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.dispose()

    # -- sessions and transactions -------------------------------------------------

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session for reads (a snapshot on SQLite); anything written is rolled back."""
        if self._read_sessions is None:
            raise RuntimeError("Database is not connected: await db.connect() first")
        async with self._read_sessions() as session:
            try:
                yield session
            except sa_exc.OperationalError as exc:
                raise self._translate(exc) from exc

    @contextlib.asynccontextmanager
    async def transaction(self, *, background: bool = False) -> AsyncIterator[AsyncSession]:
        """One write transaction, committed when the block exits without an error.

        The transaction begins at once (`BEGIN IMMEDIATE` on SQLite, retried while the
        database is busy), so the block runs holding the write lock. Events recorded with
        `record_event(session, ...)` are sent by NOTIFY inside the transaction (on
        PostgreSQL) and published on `db.events` only after the commit succeeded.

        A `background` transaction (the retention service's deletes) is not counted in
        `foreground_writes`, which such work reads to wait for a gap in the others.
        """
        if self._write_sessions is None:
            raise RuntimeError("Database is not connected: await db.connect() first")
        if self._file_watch is not None:
            self._file_watch.refuse_writes()
        counted = contextlib.nullcontext() if background else self.foreground_writes.counted()
        with counted:
            session = self._write_sessions()
            events = pending_events(session)
            try:
                try:
                    await self._begin(session)
                except sa_exc.OperationalError as exc:
                    raise self._translate(exc, stage="begin") from exc
                yield session
                # Stamped before NOTIFY so this replica recognises (and skips) its own echo.
                events[:] = [self.events.stamp(event) for event in events]
                if events:
                    await write_activity(session, events)
                await self.config.before_commit(session, events)
                await session.commit()
            except sa_exc.OperationalError as exc:
                await session.rollback()
                raise self._translate(exc) from exc
            except BaseException:
                await session.rollback()
                raise
            finally:
                session.info.pop(EVENTS_KEY, None)
                await session.close()
            if events:
                self.events.publish_many(events)

    async def _begin(self, session: AsyncSession) -> None:
        """Start the transaction. The busy timeout already waits for the lock; the few
        retries cover SQLite's immediate SQLITE_BUSY cases (e.g. a WAL recovery)."""
        for attempt in range(_BEGIN_ATTEMPTS):
            try:
                await session.connection()
                return
            except sa_exc.OperationalError as exc:
                if attempt + 1 == _BEGIN_ATTEMPTS or not self.config.is_transient_error(exc):
                    raise
                await session.rollback()
                await asyncio.sleep(0.05 * (2**attempt) * random.uniform(0.5, 1.5))

    async def run_in_transaction(
        self, work: Callable[[AsyncSession], Awaitable[T]], *, background: bool = False
    ) -> T:
        """Run `work(session)` in a write transaction, re-running it from scratch when the
        *work* hit a transient error (deadlock, serialization failure). A database that
        stayed busy past the timeout is not retried again (`Unavailable` at once). `work`
        must only touch the database through the session (it may run more than once)."""
        for attempt in range(_ATTEMPTS):
            try:
                async with self.transaction(background=background) as session:
                    return await work(session)
            except Unavailable as exc:
                if exc.details.get("stage") == "begin" or attempt + 1 == _ATTEMPTS:
                    raise
                logger.info("Retrying a transaction after a transient error: %s", exc)
            except sa_exc.DBAPIError as exc:
                if attempt + 1 == _ATTEMPTS or not self.config.is_transient_error(exc):
                    raise
                logger.info("Retrying a transaction after a transient error: %s", exc)
            await asyncio.sleep(0.02 * (2**attempt) * random.uniform(0.5, 1.5))
        raise AssertionError("unreachable")

    def _translate(self, exc: sa_exc.OperationalError, stage: str = "transaction") -> Exception:
        if self.config.is_transient_error(exc):
            return Unavailable(
                "The database is busy; the request changed nothing, retry it.",
                details={"dialect": self.dialect, "stage": stage},
            )
        return exc

    # -- migrations -------------------------------------------------------------------

    async def _migrate(self, run: Callable[[sa.Connection], None]) -> None:
        engine = self.engine.execution_options(**{WRITE_OPTION: True})
        async with engine.connect() as connection:
            await self.config.before_migrations(connection)
            try:

                def _in_transaction(sync_connection: sa.Connection) -> None:
                    with sync_connection.begin():
                        self.config.lock_for_migrations(sync_connection)
                        run(sync_connection)

                await connection.run_sync(_in_transaction)
            finally:
                await self.config.after_migrations(connection)

    async def upgrade(self, revision: str = "head", *, replay: bool = False) -> None:
        """Apply migrations up to `revision` (what the server does at start-up).

        A database already at the head revision is recognised with one query, without
        importing Alembic (most starts: it saves about half a second). A new, empty one
        is created from the models at the head in one pass, unless `replay` asks for
        every migration to run."""
        await self.connect()
        if revision == "head" and await self.revision() == migrate.head_revision():
            return
        await self._migrate(lambda conn: migrate.run_upgrade(conn, revision, replay=replay))

    async def downgrade(self, revision: str) -> None:
        """Revert migrations down to `revision` ("base" removes every table)."""
        await self.connect()
        await self._migrate(lambda conn: migrate.run_downgrade(conn, revision))

    async def reset(self) -> None:
        """Drop every table (ours or not) and migrate a fresh schema: all data is lost."""
        await self.connect()

        def _drop_all(connection: sa.Connection) -> None:
            existing = sa.MetaData()
            existing.reflect(connection)
            existing.drop_all(connection)

        await self._migrate(_drop_all)
        await self.upgrade()

    async def revision(self) -> str | None:
        """The schema revision the database is at (None before the first upgrade)."""
        async with self.engine.connect() as connection:
            return await connection.run_sync(migrate.current_revision)

    # -- observability ----------------------------------------------------------------

    def quick_health(self) -> dict[str, Any] | None:
        """What is wrong that can be told without a query (`health()`'s answer for it),
        or None: not connected, or the SQLite file deleted or replaced. Cheap enough for
        every `/health` request (a `stat`, no connection)."""
        if not self.connected:
            return {
                "database": "error",
                "dialect": self.dialect,
                "revision": None,
                "error": "NOT_CONNECTED",
            }
        gone = self._file_watch.problem() if self._file_watch is not None else None
        if gone is not None:
            return {
                "database": "error",
                "dialect": self.dialect,
                "revision": None,
                "error": DATABASE_GONE,
                "reason": gone,
            }
        return None

    async def health(self) -> dict[str, Any]:
        """`{"database": "ok", "dialect": ..., "revision": ...}`, or `"error"` with why."""
        gone = self._file_watch.problem() if self._file_watch is not None else None
        if gone is not None:
            return {
                "database": "error",
                "dialect": self.dialect,
                "revision": None,
                "error": DATABASE_GONE,
                "reason": gone,
            }
        try:
            async with (self._health_engine or self.engine).connect() as connection:
                await connection.execute(sa.text("SELECT 1"))
                revision = await connection.run_sync(migrate.current_revision)
        except (sa_exc.SQLAlchemyError, OSError, RuntimeError) as exc:
            return {
                "database": "error",
                "dialect": self.dialect,
                "revision": None,
                "error": type(exc).__name__,
            }
        return {
            "database": "ok",
            "dialect": self.dialect,
            "revision": revision,
            "head": migrate.head_revision(),
        }

    def pool_status(self) -> dict[str, int]:
        """Connection pool gauges for /metrics (empty when not connected)."""
        if self._engine is None:
            return {}
        pool: Any = self._engine.pool
        status: dict[str, int] = {}
        for name in ("size", "checkedin", "checkedout", "overflow"):
            method = getattr(pool, name, None)
            if callable(method):
                status[name] = int(method())
        return status


__all__ = ["Database"]
