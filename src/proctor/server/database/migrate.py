"""Alembic, driven from code: the migrations ship inside the package, no alembic.ini.

`Database.upgrade()/downgrade()/reset()` call these on a live connection. Importing
Alembic costs about half a second, which is a quarter of the server's start-up, while
almost every start finds the schema already current: so this module reads the current
revision with one plain SQL query and the head revision from the migration files' text,
and imports Alembic only when there is something to migrate. A new, empty database is
not migrated step by step either: it gets the head schema from the models in one pass
and is stamped at the head (the same tables, indexes and seed rows; a test compares the
two ways on both dialects). For writing a new migration during development:

    python -m proctor.server.database.migrate revision -m "add x"   # autogenerate
    python -m proctor.server.database.migrate heads
"""

from __future__ import annotations

import argparse
import functools
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"

_REVISION = re.compile(r"^revision(?:\s*:\s*[^=]+)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(
    r"^down_revision(?:\s*:\s*[^=]+)?\s*=\s*(?:['\"]([^'\"]+)['\"]|None)", re.MULTILINE
)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic `Config` pointing at the packaged migrations (and a live connection)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


@functools.cache
def head_revision() -> str:
    """The newest revision, read from the migration files without importing Alembic
    (the history is linear: exactly one revision is nobody's `down_revision`)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found = _REVISION.search(text)
        if found is None:
            continue
        revisions.add(found.group(1))
        down = _DOWN_REVISION.search(text)
        if down is not None and down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"Expected one head migration, found {sorted(heads)}")
    return heads.pop()


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None before the first migration): one query."""
    if not sa.inspect(connection).has_table(VERSION_TABLE):
        return None
    found = connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
    versions = list(found)
    return versions[0] if len(versions) == 1 else None


def is_empty(connection: Connection) -> bool:
    """True for a database without any table (a new one)."""
    return not sa.inspect(connection).get_table_names()


def create_schema_at_head(connection: Connection) -> None:
    """Build the head schema of a new database from the models, seed what the
    migrations seed, and record the head revision where Alembic keeps it."""
    from proctor.server.database.models import DEFAULT_TENANT_ID, metadata

    metadata.create_all(connection)
    now = datetime.now(UTC)
    tenant = metadata.tables["tenant"]
    connection.execute(
        tenant.insert().values(
            id=DEFAULT_TENANT_ID,
            name="Default",
            slug="default",
            settings={},
            created=now,
            updated=now,
        )
    )
    version = sa.Table(
        VERSION_TABLE,
        sa.MetaData(),
        sa.Column("version_num", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("version_num", name=f"{VERSION_TABLE}_pkc"),
    )
    version.create(connection)
    connection.execute(version.insert().values(version_num=head_revision()))


def run_upgrade(connection: Connection, revision: str = "head", *, replay: bool = False) -> None:
    """Migrate to `revision`; a new database goes straight to the head unless `replay`
    asks for every migration to run (how the tests check the two agree)."""
    if revision == "head" and not replay and is_empty(connection):
        create_schema_at_head(connection)
        return
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


def run_downgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(connection), revision)


def _next_revision_id() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    numbers = [int(rev.revision) for rev in script.walk_revisions() if rev.revision.isdigit()]
    return f"{max(numbers, default=0) + 1:04d}"


def _autogenerate(message: str) -> None:
    """Compare the models with a scratch SQLite database at head; write the difference."""
    from alembic import command

    with tempfile.TemporaryDirectory() as scratch:
        engine = sa.create_engine(f"sqlite:///{scratch}/scratch.db")
        with engine.begin() as connection:
            run_upgrade(connection, replay=True)
            command.revision(
                alembic_config(connection),
                message=message,
                autogenerate=True,
                rev_id=_next_revision_id(),
            )
        engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m proctor.server.database.migrate")
    sub = parser.add_subparsers(dest="command", required=True)
    revision = sub.add_parser("revision", help="autogenerate a new migration")
    revision.add_argument("-m", "--message", required=True)
    sub.add_parser("heads", help="print the head revision")
    args = parser.parse_args(argv)
    if args.command == "revision":
        _autogenerate(args.message)
    else:
        print(head_revision())


if __name__ == "__main__":
    main()

__all__ = [
    "MIGRATIONS_DIR",
    "VERSION_TABLE",
    "alembic_config",
    "create_schema_at_head",
    "current_revision",
    "head_revision",
    "is_empty",
    "run_downgrade",
    "run_upgrade",
]
