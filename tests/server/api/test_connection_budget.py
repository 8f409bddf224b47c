"""A request holds at most its budget of database connections, and nesting never deadlocks."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from proctor.server.api.connection_budget import RequestDatabase
from proctor.server.database import Database


async def test_concurrent_resolvers_share_the_request_budget(database: Database):
    request = RequestDatabase(database, connections=2)
    open_now = most = 0

    async def resolver() -> int:
        nonlocal open_now, most
        async with request.session() as session:
            open_now += 1
            most = max(most, open_now)
            await asyncio.sleep(0.02)  # hold the connection while others try
            value = (await session.execute(sa.text("SELECT 1"))).scalar_one()
            open_now -= 1
            return int(value)

    results = await asyncio.gather(*(resolver() for _ in range(12)))
    assert results == [1] * 12
    assert most == 2


async def test_a_session_inside_a_transaction_reuses_the_slot(database: Database):
    request = RequestDatabase(database, connections=1)

    async def nested() -> int:
        async with request.transaction(), request.session() as inner:
            return int((await inner.execute(sa.text("SELECT 2"))).scalar_one())

    # With one slot, a nested session that took a second slot would wait forever.
    assert await asyncio.wait_for(nested(), timeout=30) == 2
    assert await request.run_in_transaction(_one) == 3


async def _one(session) -> int:
    return int((await session.execute(sa.text("SELECT 3"))).scalar_one())


async def test_other_attributes_reach_the_database(database: Database):
    request = RequestDatabase(database, connections=1)
    assert request.dialect == database.dialect
    assert request.unwrapped is database
