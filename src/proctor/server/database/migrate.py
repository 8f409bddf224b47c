"""Alembic, driven from code: the migrations ship inside the package, no alembic.ini.

`Database.upgrade()/downgrade()/reset()` call these on a live connection. For writing a
new migration during development:

    python -m proctor.server.database.migrate revision -m "add x"   # autogenerate
    python -m proctor.server.database.migrate heads
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic `Config` pointing at the packaged migrations (and a live connection)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def run_upgrade(connection: Connection, revision: str = "head") -> None:
    command.upgrade(alembic_config(connection), revision)


def run_downgrade(connection: Connection, revision: str) -> None:
    command.downgrade(alembic_config(connection), revision)


def _next_revision_id() -> str:
    script = ScriptDirectory.from_config(alembic_config())
    numbers = [int(rev.revision) for rev in script.walk_revisions() if rev.revision.isdigit()]
    return f"{max(numbers, default=0) + 1:04d}"


def _autogenerate(message: str) -> None:
    """Compare the models with a scratch SQLite database at head; write the difference."""
    import sqlalchemy as sa

    with tempfile.TemporaryDirectory() as scratch:
        engine = sa.create_engine(f"sqlite:///{scratch}/scratch.db")
        with engine.begin() as connection:
            run_upgrade(connection)
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
    "alembic_config",
    "current_revision",
    "head_revision",
    "run_downgrade",
    "run_upgrade",
]
