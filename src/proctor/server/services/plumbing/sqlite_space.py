"""Giving the space of deleted rows back on SQLite.

SQLite reuses the pages of deleted rows for new ones, so a database whose retention
policy applies stops growing; shrinking the file takes a vacuum. Proctor creates new
database files with `auto_vacuum = INCREMENTAL` (it can only be chosen before the first
table exists, see `dialects.sqlite`), and the retention service then releases free
pages `step` at a time, each step a short write transaction. A file made before that
(auto_vacuum NONE) can only change mode by a full `VACUUM`, which rewrites the whole file
holding the write lock: the service does it once, when at least `vacuum_free_pages`
pages are free (0: never), and the file is in incremental mode from then on.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from proctor.server.database import Database

AUTO_VACUUM_NONE = 0
AUTO_VACUUM_INCREMENTAL = 2
#: Pages released per transaction (1 MB of 4 KiB pages: a few milliseconds of lock).
STEP_PAGES = 256


@dataclass(frozen=True, slots=True)
class SpaceReport:
    auto_vacuum: int
    free_pages_before: int
    pages_released: int
    full_vacuum: bool


async def _scalar(driver: Any, sql: str) -> int:
    cursor = await driver.execute(sql)
    row = await cursor.fetchone()
    await cursor.close()
    return int(row[0]) if row else 0


async def reclaim_space(
    db: Database, *, vacuum_free_pages: int, step: int = STEP_PAGES, pause_ratio: float = 0.0
) -> SpaceReport | None:
    """Release free pages of a SQLite file (None on PostgreSQL, whose autovacuum does it),
    `step` pages per transaction, pausing `pause_ratio` times as long as each took."""
    if db.dialect != "sqlite":
        return None
    async with db.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        mode = await _scalar(driver, "PRAGMA auto_vacuum")
        free = await _scalar(driver, "PRAGMA freelist_count")
        released = 0
        full = False
        try:
            if mode == AUTO_VACUUM_INCREMENTAL:
                remaining = free
                while remaining > 0:
                    started = time.monotonic()
                    # executescript steps the pragma to completion (one page per step).
                    await driver.executescript(
                        f"BEGIN IMMEDIATE; PRAGMA incremental_vacuum({int(step)}); COMMIT;"
                    )
                    if pause_ratio > 0:
                        await asyncio.sleep((time.monotonic() - started) * pause_ratio)
                    now_free = await _scalar(driver, "PRAGMA freelist_count")
                    if now_free >= remaining:
                        break  # another writer keeps freeing/using pages: next pass
                    released += remaining - now_free
                    remaining = now_free
            elif mode == AUTO_VACUUM_NONE and 0 < vacuum_free_pages <= free:
                await driver.executescript("PRAGMA auto_vacuum = INCREMENTAL; VACUUM;")
                released, full = free, True
        except Exception:
            if driver.in_transaction:
                await driver.execute("ROLLBACK")
            raise
        if released:
            # Copy what the WAL holds into the file so that the WAL is reused from its
            # start. PASSIVE: never waits for (or blocks) the server's other connections;
            # the WAL file itself keeps its size until SQLite resets it.
            await driver.execute("PRAGMA wal_checkpoint(PASSIVE)")
    return SpaceReport(mode, free, released, full)


__all__ = ["SpaceReport", "reclaim_space"]
