"""The `Database` object: connection set-up per dialect, transactions, health, metrics,
and the layering rule (the server never imports the CLI, agent or client)."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.dialects import EngineOptions, configuration_for
from proctor.server.database.models import Project, Tenant
from proctor.server.errors import Unavailable
from proctor.server.services.logs import write_logs
from proctor.server.services.plumbing.inputs import LogIn


async def test_sqlite_connections_are_configured_for_concurrency(sqlite_database: Database):
    async with sqlite_database.session() as session:
        pragma = {
            name: (await session.execute(sa.text(f"PRAGMA {name}"))).scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 1,
        "foreign_keys": 1,
        "busy_timeout": 30000,
    }


async def test_sqlite_write_transactions_take_the_write_lock_up_front(
    sqlite_database: Database, tmp_path
):
    """While one write transaction is open, a second one waits (BEGIN IMMEDIATE) instead of
    failing later with "database is locked"; a reader is never blocked (WAL)."""
    import asyncio

    order: list[str] = []
    async with sqlite_database.transaction() as first:
        first.add(Project(tenant_id=DEFAULT_TENANT_ID, name="a"))
        await first.flush()

        async def second_writer() -> None:
            async with sqlite_database.transaction() as second:
                order.append("second began")
                second.add(Project(tenant_id=DEFAULT_TENANT_ID, name="b"))

        task = asyncio.create_task(second_writer())
        await asyncio.sleep(0.3)
        async with sqlite_database.session() as reader:  # WAL: readers don't wait
            assert await reader.scalar(sa.select(sa.func.count(Project.id))) == 0
        order.append("first commits")
    await task
    assert order == ["first commits", "second began"]


async def test_a_database_busy_past_its_timeout_is_reported_as_unavailable(sqlite_url: str):
    path = sqlite_url.split("///", 1)[1]
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    db = Database(sqlite_url, timeout=0.2)
    await db.connect()
    try:
        with pytest.raises(Unavailable, match="busy") as caught:
            async with db.transaction():
                pass
        assert caught.value.code == "UNAVAILABLE"
        # Services give up as soon as BEGIN does: the blocker holds its lock until the
        # test ends, so a service that kept retrying would only hit this watchdog.
        write = write_logs(db, DEFAULT_TENANT_ID, [LogIn(uuid.uuid4(), "x")])
        with pytest.raises(Unavailable, match="busy"):
            await asyncio.wait_for(write, 60)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        await db.dispose()


async def test_transaction_commits_and_rolls_back(database: Database):
    async with database.transaction() as session:
        session.add(Project(tenant_id=DEFAULT_TENANT_ID, name="kept"))
    with pytest.raises(ZeroDivisionError):
        async with database.transaction() as session:
            session.add(Project(tenant_id=DEFAULT_TENANT_ID, name="lost"))
            await session.flush()
            _ = 1 / 0
    async with database.session() as session:
        names = (await session.scalars(sa.select(Project.name))).all()
    assert names == ["kept"]


async def test_health_and_pool_status(database: Database):
    health = await database.health()
    assert health["database"] == "ok"
    assert health["dialect"] == database.dialect
    assert health["revision"] == health["head"]
    status = database.pool_status()
    assert status["checkedout"] == 0 and status["size"] >= 1


async def test_health_answers_while_every_pooled_connection_is_taken(database_url: str):
    """`/health` has a connection of its own: a pool drained by busy requests must not
    make a live server look dead (the check would otherwise wait for the pool)."""
    db = Database(database_url, timeout=0.5, listen=False)
    await db.connect()
    held: list[AsyncConnection] = []
    try:
        with pytest.raises(sa.exc.TimeoutError):
            while True:  # take every connection the pool will give, overflow included
                held.append(await db.engine.connect())
        assert held and db.pool_status()["checkedout"] == len(held)
        health = await db.health()
    finally:
        for connection in held:
            await connection.close()
        await db.dispose()
    assert health["database"] == "ok", health


async def test_health_of_an_unreachable_database_is_an_error_not_an_exception():
    db = Database("postgresql+asyncpg://nobody@127.0.0.1:1/none", connect_timeout=1, listen=False)
    await db.connect()
    try:
        health = await db.health()
    finally:
        await db.dispose()
    assert health["database"] == "error" and "nobody" not in str(health)


def test_urls_get_their_async_driver_and_sqlite_must_be_a_file():
    assert Database("sqlite:///x.db").url.drivername == "sqlite+aiosqlite"
    assert Database("postgresql://u@h/d").url.drivername == "postgresql+asyncpg"
    assert Database("postgresql://u@h/d").dialect == "postgresql"
    with pytest.raises(ValueError, match="Unsupported database"):
        Database("mysql://u@h/d")


async def test_in_memory_sqlite_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="SQLite \\*file\\*"):
        await Database("sqlite+aiosqlite:///:memory:").connect()


async def test_default_tenant_exists(database: Database):
    async with database.session() as session:
        tenants = (await session.scalars(sa.select(Tenant.slug))).all()
    assert tenants == ["default"]


def test_the_server_imports_no_cli_agent_or_client():
    code = (
        "import sys, proctor.server.services, proctor.server.database, proctor.server.events;"
        "bad = [m for m in sys.modules if m.split('.')[:2] in "
        "(['proctor','cli'], ['proctor','agent'], ['proctor','client'])];"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        self.sqlstate = sqlstate


def test_which_errors_are_worth_retrying():
    sqlite = configuration_for("sqlite:///x.db", EngineOptions())
    assert sqlite.is_transient_error(sqlite3.OperationalError("database is locked"))
    assert not sqlite.is_transient_error(sqlite3.OperationalError("no such table: x"))
    postgres = configuration_for("postgresql://u@h/d", EngineOptions())
    assert postgres.is_transient_error(_PgError("40P01"))  # deadlock
    assert postgres.is_transient_error(_PgError("40001"))  # serialization failure
    assert not postgres.is_transient_error(_PgError("23505"))  # unique violation


def test_from_settings_follows_the_settings(tmp_path):
    from proctor.settings import temporary_settings

    with temporary_settings(home=tmp_path, server_database_timeout=3):
        db = Database.from_settings(listen=False)
    assert db.dialect == "sqlite" and db.url.database == str(tmp_path / "proctor.db")
    assert db.config.options.timeout == 3
