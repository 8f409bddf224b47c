"""Alembic environment for Proctor: runs on the connection `Database` hands over.

Migrations never open their own connection and never read an alembic.ini: the server
builds the Alembic config in code (`proctor.server.database.migrate`) and runs them at
start-up on both SQLite and PostgreSQL (`render_as_batch` makes SQLite ALTERs work).
"""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa
from alembic import context

from proctor.server.database.models import metadata
from proctor.server.database.types import Timestamp


def render_item(kind: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Render our column types as plain SQLAlchemy types, so migrations never depend on
    application code that may change after they were written."""
    if kind != "type":
        return False
    if isinstance(obj, Timestamp):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, sa.JSON) and obj._variant_mapping:
        return "JSON"
    if isinstance(obj, sa.BigInteger) and obj._variant_mapping:
        return "BIGINT_ID"
    return False


config = context.config
connection = config.attributes.get("connection")

if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()
elif connection is None:
    raise RuntimeError(
        "Proctor migrations run through Database.upgrade() "
        "(or `proctor server database upgrade`), which provide the connection."
    )
else:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
