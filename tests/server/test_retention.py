"""Run-history retention on SQLite and PostgreSQL: finished runs past the policy go with
every row that belongs to them; runs in progress and each flow's newest runs stay; a
team's own policy wins over the server's; logs are cut to size; two services at once
remove each row once. Runs are aged by moving their timestamps into the past."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from tests.server.retention_data import (
    add_team,
    age,
    finished_run,
    log_messages,
    register,
    rows_of,
    started_run,
)

from proctor.server.background.retention import AUDIT_ACTION, RetentionService, retention_totals
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import AuditEvent, RetentionPolicy
from proctor.server.errors import InvalidInput
from proctor.server.services.flow_runs import create_flow_run, list_flow_runs
from proctor.server.services.logs import write_logs
from proctor.server.services.plumbing.inputs import LogIn
from proctor.server.services.retention import TRIM_GRACE, Pace, prune_runs
from proctor.server.services.retention_policy import (
    Policy,
    PolicyOverride,
    get_team_policy,
    set_team_policy,
)

GONE = {"flow_run": 0, "task_run": 0, "task_run_state": 0, "flow_run_state": 0, "log": 0}


def service(
    db: Database,
    days: float = 30,
    keep: int = 0,
    log_max_bytes: int = 0,
    batch: int = 3,
) -> RetentionService:
    # A small batch: every deletion takes several transactions, as it does at scale.
    return RetentionService(
        db,
        loop_seconds=3600,
        default=Policy(days=days, log_max_bytes=log_max_bytes, keep_newest_runs=keep),
        batch_size=batch,
        vacuum_free_pages=0,
    )


async def test_old_finished_runs_go_with_all_their_rows(database: Database):
    flow = await register(database, DEFAULT_TENANT_ID, "etl")
    old = [
        await finished_run(database, DEFAULT_TENANT_ID, flow.id, final=final)
        for final in ("Success", "Failed", "Cancelled")
    ]
    for run in old:
        await age(database, run.id, days=31)
    recent = await finished_run(database, DEFAULT_TENANT_ID, flow.id)
    await age(database, recent.id, days=29)
    before = {run.id: await rows_of(database, run.id) for run in old}
    recent_before = await rows_of(database, recent.id)
    assert all(counts["log"] == 3 and counts["task_run_state"] > 0 for counts in before.values())

    report = await service(database).run_once()

    for run in old:
        assert await rows_of(database, run.id) == GONE
    assert await rows_of(database, recent.id) == recent_before
    removed = report.by_team[DEFAULT_TENANT_ID]
    assert removed.flow_runs == 3
    assert removed.task_runs == sum(c["task_run"] for c in before.values())
    assert removed.task_run_states == sum(c["task_run_state"] for c in before.values())
    assert removed.flow_run_states == sum(c["flow_run_state"] for c in before.values())
    assert removed.log_lines == sum(c["log"] for c in before.values())
    # The runs' API answers agree: they are gone.
    page = await list_flow_runs(database, DEFAULT_TENANT_ID)
    assert [r.id for r in page.items] == [recent.id]
    # A second pass finds nothing more to do.
    assert (await service(database).run_once()).by_team == {}


async def test_runs_in_progress_are_never_touched(database: Database):
    flow = await register(database, DEFAULT_TENANT_ID, "etl")
    running = await started_run(database, DEFAULT_TENANT_ID, flow.id)
    scheduled = await create_flow_run(database, DEFAULT_TENANT_ID, flow_id=flow.id)
    await write_logs(database, DEFAULT_TENANT_ID, [LogIn(running, "still working")])
    for run_id in (running, scheduled.id):
        await age(database, run_id, days=400)
    before = {run_id: await rows_of(database, run_id) for run_id in (running, scheduled.id)}

    report = await service(database, days=1, log_max_bytes=1).run_once()

    assert report.by_team == {}
    assert {run_id: await rows_of(database, run_id) for run_id in before} == before


async def test_each_flows_newest_finished_runs_are_kept(database: Database):
    nightly = await register(database, DEFAULT_TENANT_ID, "nightly")
    hourly = await register(database, DEFAULT_TENANT_ID, "hourly")
    nightly_runs = [await finished_run(database, DEFAULT_TENANT_ID, nightly.id) for _ in range(5)]
    hourly_runs = [await finished_run(database, DEFAULT_TENANT_ID, hourly.id) for _ in range(2)]
    # Ages 50, 49, ... days: the last made is the newest.
    for index, run in enumerate(nightly_runs + hourly_runs):
        await age(database, run.id, days=50 - index)
    # A newer run still in progress does not count among the newest finished ones.
    in_progress = await started_run(database, DEFAULT_TENANT_ID, nightly.id)

    report = await service(database, keep=3).run_once()

    assert report.by_team[DEFAULT_TENANT_ID].flow_runs == 2
    for run in nightly_runs[:2]:
        assert await rows_of(database, run.id) == GONE
    for run in nightly_runs[2:] + hourly_runs:
        assert (await rows_of(database, run.id))["flow_run"] == 1
    assert (await rows_of(database, in_progress))["flow_run"] == 1


async def test_a_teams_own_policy_wins_over_the_servers(database: Database):
    strict = await add_team(database, "strict")
    default = Policy(days=30, log_max_bytes=0, keep_newest_runs=0)
    await set_team_policy(database, strict, PolicyOverride(days=1), default)
    strict_flow = await register(database, strict, "etl")
    relaxed_flow = await register(database, DEFAULT_TENANT_ID, "etl")
    strict_run = await finished_run(database, strict, strict_flow.id)
    relaxed_run = await finished_run(database, DEFAULT_TENANT_ID, relaxed_flow.id)
    for run in (strict_run, relaxed_run):
        await age(database, run.id, days=3)

    report = await service(database, days=30).run_once()

    assert set(report.by_team) == {strict}
    assert await rows_of(database, strict_run.id) == GONE
    assert (await rows_of(database, relaxed_run.id))["flow_run"] == 1
    # The figures the team did not set follow the server's default.
    policy = await get_team_policy(database, strict, default)
    assert policy.effective == Policy(days=1, log_max_bytes=0, keep_newest_runs=0)
    assert policy.team == PolicyOverride(days=1)


async def test_a_policy_out_of_range_is_refused_and_nothing_is_written(database: Database):
    default = Policy(days=30, log_max_bytes=0, keep_newest_runs=0)
    for bad, field in (
        (PolicyOverride(days=0), "days"),
        (PolicyOverride(days=-3), "days"),
        (PolicyOverride(log_max_bytes=-1), "logMaxBytes"),
        (PolicyOverride(keep_newest_runs=-1), "keepNewestRuns"),
    ):
        with pytest.raises(InvalidInput, match=field):
            await set_team_policy(database, DEFAULT_TENANT_ID, bad, default)
    async with database.session() as session:
        assert await session.scalar(sa.select(sa.func.count()).select_from(RetentionPolicy)) == 0


async def _chatty_run(db: Database, flow_id, lines: list[str]):
    run = await finished_run(db, DEFAULT_TENANT_ID, flow_id, log_lines=0)
    for start in range(0, len(lines), 10):
        await write_logs(
            db,
            DEFAULT_TENANT_ID,
            [
                LogIn(run.id, line, timestamp=datetime(2030, 1, 1, 0, 0, i, tzinfo=UTC))
                for i, line in enumerate(lines[start : start + 10], start)
            ],
        )
    return run


async def test_logs_beyond_the_size_limit_are_trimmed_oldest_first(database: Database):
    flow = await register(database, DEFAULT_TENANT_ID, "chatty")
    # 40 lines of exactly 10 bytes; "é" is 2 bytes in UTF-8, so the limit is counted in
    # bytes, not characters.
    lines = [f"line {i:02d} é" for i in range(40)]
    assert {len(line.encode()) for line in lines} == {10}
    chatty = await _chatty_run(database, flow.id, lines)
    quiet = await finished_run(database, DEFAULT_TENANT_ID, flow.id, log_lines=2)
    quiet_before = await log_messages(database, quiet.id)
    default = Policy(days=30, log_max_bytes=125, keep_newest_runs=0)

    retention = service(database, log_max_bytes=125)
    # Runs that finished moments ago are not looked at yet (their finished state may
    # still be on its way to the database in another transaction).
    assert (await retention.run_once()).by_team == {}
    later = datetime.now(UTC) + TRIM_GRACE + timedelta(seconds=1)
    report = await retention.run_once(now=later)

    assert report.by_team[DEFAULT_TENANT_ID].log_lines_trimmed == 28
    assert await log_messages(database, chatty.id) == lines[28:]  # the newest 120 bytes
    assert await log_messages(database, quiet.id) == quiet_before
    # The runs themselves (young) are kept.
    assert (await rows_of(database, chatty.id))["task_run"] == 2
    # Each run is looked at once: where trimming got to is in the database, so another
    # service (another replica, or after a restart) starts from there.
    assert (await service(database, log_max_bytes=125).run_once(now=later)).by_team == {}
    # ... and that bookkeeping is no policy of the team's own.
    policy = await get_team_policy(database, DEFAULT_TENANT_ID, default)
    assert policy.team == PolicyOverride() and policy.updated is None
    # A run that finishes afterwards is trimmed by the next pass.
    newer = await _chatty_run(database, flow.id, lines)
    report = await service(database, log_max_bytes=125).run_once(
        now=later + TRIM_GRACE + timedelta(minutes=1)
    )
    assert report.by_team[DEFAULT_TENANT_ID].log_lines_trimmed == 28
    assert await log_messages(database, newer.id) == lines[28:]
    assert await log_messages(database, chatty.id) == lines[28:]


async def test_two_services_at_once_remove_each_row_once(database: Database, database_url: str):
    flow = await register(database, DEFAULT_TENANT_ID, "etl")
    runs = [
        await finished_run(database, DEFAULT_TENANT_ID, flow.id, log_lines=7) for _ in range(12)
    ]
    for run in runs:
        await age(database, run.id, days=90)
    counts = [await rows_of(database, run.id) for run in runs]
    other = Database(database_url)
    await other.connect()
    try:
        first, second = await asyncio.gather(
            service(database, batch=4).run_once(), service(other, batch=4).run_once()
        )
    finally:
        await other.dispose()
    for run in runs:
        assert await rows_of(database, run.id) == GONE
    together = first.removed
    together.add(second.removed)
    assert together.flow_runs == 12
    assert together.log_lines == sum(c["log"] for c in counts)
    assert together.task_runs == sum(c["task_run"] for c in counts)
    assert together.task_run_states == sum(c["task_run_state"] for c in counts)
    assert together.flow_run_states == sum(c["flow_run_state"] for c in counts)


async def test_a_pass_that_removed_something_is_audited_and_counted(database: Database):
    flow = await register(database, DEFAULT_TENANT_ID, "etl")
    run = await finished_run(database, DEFAULT_TENANT_ID, flow.id, log_lines=4)
    await age(database, run.id, days=40)
    totals_before = retention_totals(database).removed.as_dict()

    retention = service(database)
    await retention.run_once()
    await retention.run_once()  # nothing left: no second audit event

    async with database.session() as session:
        events = (
            await session.scalars(sa.select(AuditEvent).where(AuditEvent.action == AUDIT_ACTION))
        ).all()
    [event] = events
    assert event.tenant_id == DEFAULT_TENANT_ID
    assert event.actor_kind == "system"
    assert event.details["flow_runs"] == 1 and event.details["log_lines"] == 4
    assert event.details["days"] == 30
    totals = retention_totals(database).removed.as_dict()
    assert totals["flow_runs"] - totals_before["flow_runs"] == 1
    assert totals["log_lines"] - totals_before["log_lines"] == 4


async def test_a_paced_pass_pauses_after_every_write_transaction(database: Database):
    """Each delete transaction is followed by a pause `pause_ratio` times as long as the
    transaction held the database (the pause itself is recorded, not slept)."""
    flow = await register(database, DEFAULT_TENANT_ID, "etl")
    run = await finished_run(database, DEFAULT_TENANT_ID, flow.id, log_lines=6)
    await age(database, run.id, days=40)
    pauses: list[float] = []

    async def record(seconds: float) -> None:
        pauses.append(seconds)

    removed = await prune_runs(
        database,
        DEFAULT_TENANT_ID,
        Policy(days=30, log_max_bytes=0, keep_newest_runs=0),
        now=datetime.now(UTC),
        pace=Pace(batch=4, pause_ratio=3.0, sleep=record),
    )
    # 6 lines in 2 transactions, 4 task-run states, 2 task runs, 4 flow-run states in
    # 1 each, then the run: one pause after each of the 6 transactions.
    assert (removed.log_lines, removed.task_run_states, removed.task_runs) == (6, 4, 2)
    assert (removed.flow_run_states, removed.flow_runs) == (4, 1)
    assert len(pauses) == 6 and all(pause > 0 for pause in pauses)
