"""Login throttling: a login attempt is *reserved* against each of its counters in the
database before its password is checked, and refused (429) when a counter is over its
limit. Checking first and counting after would let a burst through: every request of
the burst would read the count before any of them wrote it.

    reserve(limits)   one statement per login: INSERT ... ON CONFLICT (key) DO UPDATE
                      adds 1 to every counter (a new window once the old one ended) and
                      RETURNS the counts; the database serialises concurrent upserts of
                      a row, so the n-th concurrent attempt sees n
    release(...)      takes an attempt back: a refused attempt (so attempts refused
                      while throttled never count against any other counter) and a
                      successful login (it was not a failure)

A reservation that is not released is a counted failure. Counts live in the
`login_throttle` table, so replicas behind a load balancer share them. Which counters a
login has, and why, is the login route's business (`web/auth_routes.py`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database
from proctor.server.database.models import LoginThrottle
from proctor.server.database.types import utcnow

_TABLE = cast(sa.Table, LoginThrottle.__table__)


@dataclass(frozen=True, slots=True)
class Limit:
    key: str  # e.g. "account:<email>", "ip:<address>"
    attempts: int


@dataclass(frozen=True, slots=True)
class Reservation:
    """One attempt counted against each key: the window it was counted in, and the wait
    (seconds) before logins may be tried again when a counter went over its limit."""

    windows: dict[str, datetime]
    retry_after: int | None

    @property
    def refused(self) -> bool:
        return self.retry_after is not None


class Throttle:
    def __init__(self, db: Database, window_seconds: float) -> None:
        self.db = db
        self.window = timedelta(seconds=window_seconds)

    async def reserve(self, limits: list[Limit]) -> Reservation:
        """Count one attempt against every key, atomically, and say whether it is within
        every limit. A refused reservation is already given back when this returns."""
        now = utcnow()
        by_key = {limit.key: limit for limit in limits}

        async def work(session: AsyncSession) -> list[Any]:
            return list(await session.execute(self._upsert(sorted(by_key), now)))

        rows = await self.db.run_in_transaction(work)
        windows = {row.key: row.window_start for row in rows}
        waits = [
            self._remaining(row.window_start, now)
            for row in rows
            if row.failures > by_key[row.key].attempts
        ]
        if not waits:
            return Reservation(windows, None)
        await self.release(Reservation(windows, None))
        return Reservation(windows, max(waits))

    def _upsert(self, keys: list[str], now: datetime) -> Any:
        # Keys in a fixed order: two logins sharing counters lock their rows in the same
        # order, so they queue instead of deadlocking (PostgreSQL).
        expired = _TABLE.c.window_start <= now - self.window
        statement = self.db.config.insert(_TABLE).values(
            [{"key": key, "window_start": now, "failures": 1} for key in keys]
        )
        return statement.on_conflict_do_update(
            index_elements=["key"],
            set_={
                "failures": sa.case((expired, 1), else_=_TABLE.c.failures + 1),
                "window_start": sa.case((expired, now), else_=_TABLE.c.window_start),
            },
        ).returning(_TABLE.c.key, _TABLE.c.failures, _TABLE.c.window_start)

    def _remaining(self, start: datetime, now: datetime) -> int:
        return max(1, math.ceil((start + self.window - now).total_seconds()))

    async def release(self, reservation: Reservation) -> None:
        """Give a reservation back: one attempt less on each key, unless its window has
        been restarted since (the attempt belonged to the old window)."""

        async def work(session: AsyncSession) -> None:
            for key in sorted(reservation.windows):
                await session.execute(
                    sa.update(_TABLE)
                    .where(
                        _TABLE.c.key == key,
                        _TABLE.c.window_start == reservation.windows[key],
                        _TABLE.c.failures > 0,
                    )
                    .values(failures=_TABLE.c.failures - 1)
                )

        await self.db.run_in_transaction(work)

    async def clear(self, key: str) -> None:
        """Forget a key's failures (e.g. the typos of someone who then logged in)."""
        async with self.db.transaction() as session:
            await session.execute(sa.delete(_TABLE).where(_TABLE.c.key == key))


__all__ = ["Limit", "Reservation", "Throttle"]
