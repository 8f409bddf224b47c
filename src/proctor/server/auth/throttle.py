"""Login throttling: at most N failed logins per account and per client address in a
fixed window; while a key is over its limit, every login for it is refused (the correct
password too, or the limit would only slow guessing down, not stop it).

Counts live in the `login_throttle` table, so replicas behind a load balancer share them.
A successful login clears the account's count (not the address's).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from proctor.server.database import Database
from proctor.server.database.models import LoginThrottle
from proctor.server.database.types import utcnow


@dataclass(frozen=True, slots=True)
class Limit:
    key: str  # "account:<email>" or "ip:<address>"
    attempts: int


class Throttle:
    def __init__(self, db: Database, window_seconds: float) -> None:
        self.db = db
        self.window = timedelta(seconds=window_seconds)

    async def retry_after(self, limits: list[Limit]) -> int | None:
        """Seconds until a login may be tried again, or None if it may be tried now."""
        now = utcnow()
        async with self.db.session() as session:
            rows = {
                row.key: row
                for row in await session.scalars(
                    sa.select(LoginThrottle).where(
                        LoginThrottle.key.in_([limit.key for limit in limits])
                    )
                )
            }
        waits = [
            self._remaining(rows[limit.key].window_start, now)
            for limit in limits
            if limit.key in rows
            and rows[limit.key].failures >= limit.attempts
            and now < rows[limit.key].window_start + self.window
        ]
        return max(waits) if waits else None

    def _remaining(self, start: datetime, now: datetime) -> int:
        return max(1, math.ceil((start + self.window - now).total_seconds()))

    async def failed(self, limits: list[Limit]) -> None:
        """Count one failed login against every key (a new window if the old one ended)."""
        for attempt in range(3):
            try:
                await self._count(limits)
                return
            except sa_exc.IntegrityError:  # another replica inserted the row first
                if attempt == 2:
                    raise

    async def _count(self, limits: list[Limit]) -> None:
        now = utcnow()
        async with self.db.transaction() as session:
            for limit in limits:
                row = await session.get(LoginThrottle, limit.key, with_for_update=True)
                if row is None:
                    session.add(LoginThrottle(key=limit.key, window_start=now, failures=1))
                elif now >= row.window_start + self.window:
                    row.window_start, row.failures = now, 1
                else:
                    row.failures += 1
            await session.flush()

    async def succeeded(self, key: str) -> None:
        async with self.db.transaction() as session:
            await session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key == key))


__all__ = ["Limit", "Throttle"]
