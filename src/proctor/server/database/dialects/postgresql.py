"""PostgreSQL (asyncpg): a real pool, row locks for claims, NOTIFY for other replicas.

Write transactions run at READ COMMITTED; services lock the rows they change with
`SELECT ... FOR UPDATE` (in id order, so two batches cannot deadlock on each other) and
claims use `FOR UPDATE SKIP LOCKED`. Committed events are also sent with `pg_notify`
*inside* the transaction, so other replicas hear about exactly the commits that happened.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from proctor.server.database.bulk import BulkSQL, BulkWrite
from proctor.server.database.dialects.base import DialectConfiguration
from proctor.server.events import Event

NOTIFY_CHANNEL = "proctor_events"
MAX_NOTIFY_BYTES = 7900  # PostgreSQL's limit is 8000 bytes per payload
MIGRATION_LOCK_KEY = 0x5052_4F43  # "PROC": one migration at a time across replicas

_TRANSIENT_SQLSTATES = {"40001", "40P01", "55P03", "57P01", "08006", "08003", "08001"}


def notify_payload(event: Event) -> str:
    """The event as NOTIFY text, its `data` dropped when too big (subscribers re-read)."""
    text = event.to_json()
    if len(text.encode()) <= MAX_NOTIFY_BYTES:
        return text
    slim = Event(
        kind=event.kind,
        tenant_id=event.tenant_id,
        flow_run_id=event.flow_run_id,
        data={"truncated": True},
        id=event.id,
        occurred=event.occurred,
        origin=event.origin,
    )
    return slim.to_json()


class PostgresConfiguration(DialectConfiguration):
    name = "postgresql"
    driver = "asyncpg"

    def engine_kwargs(self) -> dict[str, Any]:
        return {
            "pool_size": self.options.pool_size,
            "max_overflow": self.options.max_overflow,
            "pool_timeout": self.options.timeout,
            # No `pool_pre_ping`: with asyncpg it costs three round trips (BEGIN, ";",
            # ROLLBACK) before every transaction; `install_listeners` replaces it.
            # The most recently used connection first: sequential requests keep using one
            # warm connection (its prepared statements and plans) and the spare ones go
            # idle, instead of taking turns and each preparing every statement.
            "pool_use_lifo": True,
            "connect_args": {
                "timeout": self.options.connect_timeout,
                "server_settings": {"application_name": "proctor-server"},
            },
        }

    def install_listeners(self, engine: AsyncEngine) -> None:
        @event.listens_for(engine.sync_engine, "checkout")
        def _replace_closed(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
            # A connection the server ended (restart, pg_terminate_backend, idle timeout)
            # is seen closed by asyncpg as soon as the event loop read its EOF, without a
            # round trip; the pool then discards it and checks out another one.
            if dbapi_connection.driver_connection.is_closed():
                raise sa_exc.DisconnectionError("the server closed this connection")

    def is_transient_error(self, exc: BaseException) -> bool:
        original = getattr(exc, "orig", exc)
        sqlstate = getattr(original, "sqlstate", None) or getattr(
            getattr(original, "__cause__", None), "sqlstate", None
        )
        return sqlstate in _TRANSIENT_SQLSTATES

    def insert(self, table: sa.Table) -> Any:
        return postgresql.insert(table)

    bulk_mode = "arrays"
    # The server evaluates the next 250 changes while PostgreSQL stores the last 250:
    # 73 -> 66 ms per 1,000 changes in the service (measured; SQLite, whose work runs
    # in this process, got slower with it, so it keeps the default).
    pipeline_chunk = 250

    def bulk_sql(
        self, write: BulkWrite, dialect: Dialect, scalars: frozenset[int] = frozenset()
    ) -> BulkSQL:
        """One statement over `unnest()`ed arrays, one parameter per column: an array,
        or a single value for the `scalars` positions (the same in every row)."""
        quote = dialect.identifier_preparer.quote
        table = quote(write.table.name)
        layout = write.layout
        arrays: list[str] = []
        unpacked: list[str] = []
        values: dict[str, str] = {}  # column -> its value in the SELECT / SET
        for i, name in enumerate(layout, start=1):
            sql_type = write.table.c[name].type.compile(dialect=dialect)
            if i - 1 in scalars:
                values[name] = f"${i}::{sql_type}"
            else:
                arrays.append(f"${i}::{sql_type}[]")
                unpacked.append(quote(name))
                values[name] = f"v.{quote(name)}"
        rows = f"unnest({', '.join(arrays)}) AS v({', '.join(unpacked)})"
        if write.key is None:
            names = ", ".join(quote(name) for name in layout)
            selected = ", ".join(values[name] for name in layout)
            sql = f"INSERT INTO {table} ({names}) SELECT {selected} FROM {rows}"
            if write.conflict is not None:
                targets = ", ".join(quote(name) for name in write.conflict)
                sql += f" ON CONFLICT ({targets}) DO "
                sql += (
                    "UPDATE SET "
                    + ", ".join(f"{quote(n)} = EXCLUDED.{quote(n)}" for n in write.update)
                    if write.update
                    else "NOTHING"
                )
        else:
            assignments = ", ".join(f"{quote(n)} = {values[n]}" for n in write.columns)
            key = quote(write.key)
            sql = f"UPDATE {table} SET {assignments} FROM {rows} WHERE {table}.{key} = v.{key}"
        return BulkSQL(sql, "arrays", tuple(range(len(layout))), scalars)

    def in_values(self, column: Any, values: Sequence[Any]) -> sa.ColumnElement[bool]:
        # One array parameter instead of thousands of placeholders: one prepared
        # statement whatever the batch size.
        array = sa.bindparam(None, list(values), type_=postgresql.ARRAY(column.type))
        return column == sa.any_(array)  # type: ignore[no-any-return]

    def epoch_bucket(self, column: Any, seconds: int) -> sa.ColumnElement[Any]:
        epoch = sa.extract("epoch", column)
        return sa.cast(sa.func.floor(epoch / seconds), sa.BigInteger) * seconds

    def contains_ci(self, column: Any, text: str) -> sa.ColumnElement[bool]:
        return column.ilike(f"%{self.escape_like(text)}%", escape="\\")  # type: ignore[no-any-return]

    def labels_subset_of(self, column: Any, labels: Iterable[str]) -> sa.ColumnElement[bool]:
        agent_labels = sa.cast(sa.literal(list(labels), type_=postgresql.JSONB()), postgresql.JSONB)
        return column.op("<@")(agent_labels)  # type: ignore[no-any-return]

    def labels_include(self, column: Any, labels: Iterable[str]) -> sa.ColumnElement[bool]:
        wanted = sa.cast(sa.literal(list(labels), type_=postgresql.JSONB()), postgresql.JSONB)
        return column.op("@>")(wanted)  # type: ignore[no-any-return]

    def milliseconds_between(self, start: Any, end: Any) -> sa.ColumnElement[Any]:
        return sa.cast(sa.func.round(sa.extract("epoch", end - start) * 1000), sa.BigInteger)

    async def before_commit(self, session: AsyncSession, events: Sequence[Event]) -> None:
        if not events:
            return
        payloads = [notify_payload(event) for event in events]
        await session.execute(
            sa.text(
                "SELECT pg_notify(:channel, payload) "
                "FROM unnest(CAST(:payloads AS text[])) AS payload"
            ),
            {"channel": NOTIFY_CHANNEL, "payloads": payloads},
        )

    def lock_for_migrations(self, connection: Connection) -> None:
        connection.execute(sa.text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"))


__all__ = ["MAX_NOTIFY_BYTES", "NOTIFY_CHANNEL", "PostgresConfiguration", "notify_payload"]
