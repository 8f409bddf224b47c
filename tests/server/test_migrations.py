"""Migrations: they build exactly the models, a new database created from the models
equals one built by every migration, they go down and up again, reset, and upgrade an
old database file kept in tests/server/data/."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from tests.server.conftest import connected

from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.migrate import head_revision
from proctor.server.database.models import Project, metadata
from proctor.server.services.flow_runs import list_flow_runs
from proctor.server.services.logs import list_logs
from proctor.server.services.projects import create_project, list_projects
from proctor.server.services.task_runs import list_task_runs

DATA = Path(__file__).parent / "data"
# SQLite's reflection cannot read an index on an expression (the Runs page's duration
# index, 0019) and says so; both sides of each comparison skip it alike (PostgreSQL
# reflects and compares it; test_api_runs_page checks both dialects' plans use it).
pytestmark = [
    pytest.mark.filterwarnings(
        "ignore:Skipped unsupported reflection of expression-based index:sqlalchemy.exc.SAWarning"
    ),
    pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression"),
]


async def test_migrations_match_the_models(new_database: Callable[[], str]):
    def differences(connection: sa.Connection) -> list:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)

    async with connected(new_database()) as database:
        await database.upgrade(replay=True)
        async with database.engine.connect() as connection:
            assert await connection.run_sync(differences) == []


def _schema(connection: sa.Connection) -> dict[str, Any]:
    """Everything a migration can create, per table, in a comparable form."""
    inspector = sa.inspect(connection)

    def columns(table: str) -> list[tuple[Any, ...]]:
        # Sorted: a column a later migration added comes last there, which is harmless.
        return sorted(
            (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
            for c in inspector.get_columns(table)
        )

    def indexes(table: str) -> list[tuple[Any, ...]]:
        found = [
            (i["name"], tuple(i["column_names"]), i["unique"], str(i.get("dialect_options")))
            for i in inspector.get_indexes(table)
        ]
        return sorted(found)

    def constraints(table: str) -> dict[str, Any]:
        foreign = inspector.get_foreign_keys(table)
        return {
            "pk": inspector.get_pk_constraint(table),
            "unique": sorted(
                (u["name"] or "", tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(table)
            ),
            "fk": sorted(
                (
                    f["name"] or "",
                    tuple(f["constrained_columns"]),
                    f["referred_table"],
                    tuple(f["referred_columns"]),
                    str(f.get("options")),
                )
                for f in foreign
            ),
            "check": sorted(str(c["sqltext"]) for c in inspector.get_check_constraints(table)),
        }

    return {
        table: {"columns": columns(table), "indexes": indexes(table), **constraints(table)}
        for table in sorted(inspector.get_table_names())
    }


async def _schema_and_seed(database: Database) -> tuple[dict[str, Any], list[Any]]:
    async with database.engine.connect() as connection:
        schema = await connection.run_sync(_schema)
        seed = await connection.execute(sa.text("SELECT id, name, slug, settings FROM tenant"))
        return schema, [tuple(row) for row in seed]


async def test_a_new_database_from_the_models_equals_one_built_by_every_migration(
    new_database: Callable[[], str],
):
    """A new database skips the migrations (one `create_all`, then stamped at the head):
    it must come out exactly as replaying them would build it, and still migrate down."""
    async with connected(new_database()) as replayed, connected(new_database()) as created:
        await replayed.upgrade(replay=True)
        await created.upgrade()
        assert await created.revision() == await replayed.revision() == head_revision()
        replayed_schema, replayed_seed = await _schema_and_seed(replayed)
        created_schema, created_seed = await _schema_and_seed(created)
        assert set(created_schema) == set(replayed_schema)
        for table, shape in replayed_schema.items():
            assert created_schema[table] == shape, table
        assert created_seed == replayed_seed
        assert [(name, slug) for _id, name, slug, _settings in created_seed] == [
            ("Default", "default")
        ]
        await created.downgrade("base")
        assert await created.revision() is None


def test_creating_a_new_database_does_not_import_alembic(tmp_path: Path):
    import subprocess
    import sys

    url = f"sqlite+aiosqlite:///{tmp_path / 'new.db'}"
    script = (
        "import asyncio, sys\n"
        "from proctor.server.database import Database\n"
        "async def main():\n"
        f"    async with Database({url!r}) as db:\n"
        "        await db.upgrade()\n"
        "        print(await db.revision())\n"
        "asyncio.run(main())\n"
        "print('alembic' in sys.modules)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert found.stdout.split() == [head_revision(), "False"]


async def test_downgrade_to_base_and_upgrade_again(database: Database):
    await database.downgrade("base")
    assert await database.revision() is None
    async with database.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: sa.inspect(c).get_table_names())
    assert set(tables) <= {"alembic_version"}
    await database.upgrade()
    assert await database.revision() == head_revision()
    async with database.session() as session:  # the default tenant is back
        assert await session.scalar(sa.text("SELECT count(*) FROM tenant")) == 1


async def test_reset_drops_everything_and_migrates_again(database: Database):
    await create_project(database, DEFAULT_TENANT_ID, "doomed")
    async with database.transaction() as session:
        await session.execute(sa.text("CREATE TABLE stray (id INTEGER PRIMARY KEY)"))
    await database.reset()
    async with database.session() as session:
        assert await session.scalar(sa.select(sa.func.count(Project.id))) == 0
    async with database.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: sa.inspect(c).get_table_names())
    assert "stray" not in tables and "flow_run" in tables
    assert await database.revision() == head_revision()


async def test_upgrade_is_idempotent(database: Database):
    await database.upgrade()
    await database.upgrade()
    assert await database.revision() == head_revision()


@pytest.mark.parametrize("revision", ["0001", "0002"])
async def test_an_old_database_file_upgrades_and_keeps_its_data(tmp_path: Path, revision: str):
    """`proctor-<revision>.db` was written by that revision (see data/README.md)."""
    path = tmp_path / "old.db"
    shutil.copyfile(DATA / f"proctor-{revision}.db", path)
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await db.connect()
        assert await db.revision() == revision
        await db.upgrade()
        assert await db.revision() == head_revision()
        [project] = await list_projects(db, DEFAULT_TENANT_ID)
        assert project.name == "old-project"
        page = await list_flow_runs(db, DEFAULT_TENANT_ID)
        assert [run.state for run in page.items] == ["Success"]
        tasks = await list_task_runs(db, DEFAULT_TENANT_ID, page.items[0].id)
        assert {t.state_type for t in tasks.items} == {"Success"} and tasks.total_count == 4
        logs = await list_logs(db, DEFAULT_TENANT_ID, page.items[0].id)
        assert [line.message for line in logs.items] == [f"written by revision {revision}"]
    finally:
        await db.dispose()


def test_the_head_is_read_without_alembic_and_agrees_with_it():
    from alembic.script import ScriptDirectory

    from proctor.server.database.migrate import alembic_config

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_starting_on_a_current_database_does_not_import_alembic(sqlite_url: str):
    """Importing Alembic is a quarter of the server's start-up: an up-to-date database
    is recognised with one query instead."""
    import subprocess
    import sys

    script = (
        "import asyncio, sys\n"
        "from proctor.server.database import Database\n"
        "async def main():\n"
        f"    async with Database({sqlite_url!r}) as db:\n"
        "        await db.upgrade()\n"
        "asyncio.run(main())\n"
        "print('alembic' in sys.modules)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert found.stdout.strip() == "False"
