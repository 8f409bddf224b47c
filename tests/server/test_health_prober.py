"""`/health` answers from a background check of the database (`web.health_prober`).

The database is real (SQLite and PostgreSQL); only time is the test's: the prober's clock
is a list the test advances, so staleness is tested without sleeping.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from proctor.server.app import create_app
from proctor.server.database import Database
from proctor.server.web.health_prober import HealthProber
from proctor.settings import get_settings


class Counted:
    """`Database.health`, counting how often it ran."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.calls = 0

    async def __call__(self) -> dict[str, Any]:
        self.calls += 1
        return await self.database.health()


async def test_health_answers_from_the_last_check_not_one_per_request(database: Database):
    check = Counted(database)
    prober = HealthProber(check, interval=3600)
    await prober.start()
    try:
        assert check.calls == 1  # the check at start-up, so the first answer has one
        verdicts = await asyncio.gather(*(prober.verdict() for _ in range(50)))
        assert all(verdict.healthy for verdict in verdicts)
        assert check.calls == 1
        assert verdicts[0].detail is not None and verdicts[0].detail["database"] == "ok"
    finally:
        await prober.stop()


async def test_the_background_task_keeps_checking(database: Database):
    check = Counted(database)
    prober = HealthProber(check, interval=0.01)
    await prober.start()
    try:
        async with asyncio.timeout(60):  # only a hang would reach it
            while check.calls < 3:
                await asyncio.sleep(0.01)
    finally:
        await prober.stop()
    calls = check.calls
    await asyncio.sleep(0.05)
    assert check.calls == calls  # stopped means stopped


async def test_a_failed_check_is_checked_again_by_health_once_for_all_callers(
    database: Database,
):
    check = Counted(database)
    prober = HealthProber(check, interval=3600)
    await prober.start()
    try:
        await database.dispose()
        await prober.probe(5)  # what the background task would find
        down = await prober.verdict()
        assert not down.healthy and down.detail is not None
        assert down.detail["database"] == "error"
        await database.connect()
        before = check.calls
        # The record says down; `/health` checks again (once, whoever asks) and sees
        # the database back at once, not a second later.
        verdicts = await asyncio.gather(*(prober.verdict() for _ in range(20)))
        assert all(verdict.healthy for verdict in verdicts)
        assert check.calls == before + 1
    finally:
        await prober.stop()


async def test_no_recent_check_means_down(database: Database):
    now = [1000.0]
    prober = HealthProber(database.health, interval=3600, stale_after=15, clock=lambda: now[0])
    await prober.start()
    try:
        now[0] += 14
        assert (await prober.verdict()).healthy
        now[0] += 2  # 16 s since the last check finished: the server is not answering
        stale = await prober.verdict()
        assert not stale.healthy
        assert stale.error is not None and "no database check has finished for 16 s" in stale.error
        await prober.probe(5)
        assert (await prober.verdict()).healthy
    finally:
        await prober.stop()


async def test_a_check_that_hangs_is_a_failure_with_its_reason():
    never = asyncio.Event()

    async def hangs() -> dict[str, Any]:
        await never.wait()
        return {"database": "ok"}

    prober = HealthProber(hangs, interval=3600, timeout=0.05, inline_timeout=0.05)
    await prober.start()
    try:
        verdict = await prober.verdict()
        assert not verdict.healthy and verdict.error == "TimeoutError"
    finally:
        await prober.stop()


async def test_health_route_answers_with_the_record_and_its_age(database: Database):
    app = create_app(get_settings(), database=database, background=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            up = await http.get("/health")
            path = database.config.file_path()
            if path is not None:  # SQLite: a deleted file is seen by the next request
                path.unlink()
                gone = await http.get("/health")
                assert gone.status_code == 503
                assert gone.json()["details"]["error"] == "DATABASE_GONE"
        await app.state.warm_up
    assert up.status_code == 200
    body = up.json()
    assert (body["status"], body["database"]) == ("ok", "up")
    assert body["details"]["revision"] == body["details"]["head"]
    assert body["checked_ms_ago"] >= 0 and body["latency_ms"] >= 0
