"""SQLite gives the space of pruned history back: new files are made in incremental
auto-vacuum mode and the retention pass releases their free pages; an older file (no
auto-vacuum) is vacuumed once when enough pages are free, and is incremental from then on."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tests.server.retention_data import age, finished_run, register

from proctor.server.background.retention import RetentionService, retention_totals
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.services.retention_policy import Policy


def _pragma(path: Path, name: str) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute(f"PRAGMA {name}").fetchone()[0])


def _path(url: str) -> Path:
    return Path(url.split("///", 1)[1])


def _size(path: Path) -> int:
    wal = Path(f"{path}-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


async def _fill_and_age(db: Database, runs: int = 6, lines: int = 300) -> None:
    flow = await register(db, DEFAULT_TENANT_ID, "bulky")
    for _ in range(runs):
        run = await finished_run(db, DEFAULT_TENANT_ID, flow.id, log_lines=lines, line="x" * 2000)
        await age(db, run.id, days=60)


def _service(db: Database, vacuum_free_pages: int) -> RetentionService:
    return RetentionService(
        db,
        loop_seconds=3600,
        default=Policy(days=30, log_max_bytes=0, keep_newest_runs=0),
        batch_size=500,
        vacuum_free_pages=vacuum_free_pages,
    )


async def test_a_new_database_file_is_made_in_incremental_auto_vacuum_mode(tmp_path: Path):
    path = tmp_path / "fresh.db"
    async with Database(f"sqlite+aiosqlite:///{path}") as db:
        await db.upgrade()
    assert _pragma(path, "auto_vacuum") == 2  # INCREMENTAL


async def test_a_pass_gives_the_freed_pages_back_and_the_file_shrinks(sqlite_url: str):
    path = _path(sqlite_url)
    async with Database(sqlite_url) as db:
        await _fill_and_age(db)
        full = _size(path)
        report = await _service(db, vacuum_free_pages=0).run_once()
        assert report.removed.log_lines == 6 * 300
        assert report.pages_released > 0
        assert retention_totals(db).sqlite_pages_released >= report.pages_released
    assert _pragma(path, "freelist_count") == 0
    # 3.6 MB of log messages went; what is left is the schema and a few rows.
    assert _size(path) < full - 3_000_000


def _make_legacy(path: Path) -> None:
    """Turn the file into one made before auto-vacuum was on (mode NONE)."""
    with sqlite3.connect(path, isolation_level=None) as connection:
        connection.execute("PRAGMA auto_vacuum = NONE")
        connection.execute("VACUUM")
    assert _pragma(path, "auto_vacuum") == 0


async def test_an_older_file_is_vacuumed_once_enough_pages_are_free(sqlite_url: str):
    path = _path(sqlite_url)
    _make_legacy(path)
    async with Database(sqlite_url) as db:
        await _fill_and_age(db)
        full = _size(path)
        report = await _service(db, vacuum_free_pages=100).run_once()
        assert report.pages_released > 100
    assert _pragma(path, "auto_vacuum") == 2  # incremental from now on
    assert _pragma(path, "freelist_count") == 0
    assert _size(path) < full - 3_000_000


async def test_an_older_file_below_the_threshold_keeps_its_free_pages_for_reuse(
    sqlite_url: str,
):
    path = _path(sqlite_url)
    _make_legacy(path)
    async with Database(sqlite_url) as db:
        await _fill_and_age(db)
        report = await _service(db, vacuum_free_pages=0).run_once()  # 0: never VACUUM
        assert report.removed.flow_runs == 6 and report.pages_released == 0
    assert _pragma(path, "auto_vacuum") == 0
    assert _pragma(path, "freelist_count") > 100
    assert os.path.exists(path)
