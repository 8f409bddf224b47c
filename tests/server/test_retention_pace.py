"""The retention pass gives way to the server's own writes: before each delete
transaction it waits for a gap in them (bounded), and its own transactions do not count
as such writes. Time is a fake clock that the recorded sleeps move forward."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.server.retention_data import age, finished_run, register

from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.foreground_writes import ForegroundWrites
from proctor.server.services.retention import Pace, prune_runs
from proctor.server.services.retention_policy import Policy

POLICY = Policy(days=30, log_max_bytes=0, keep_newest_runs=0)


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_a_write_in_progress_leaves_no_gap_and_one_that_ended_leaves_its_age() -> None:
    time = FakeTime()
    writes = ForegroundWrites(clock=time.clock)
    assert writes.quiet_for() > 1e9  # none yet: as quiet as can be
    with writes.counted():
        with writes.counted():
            time.now += 5
            assert writes.quiet_for() == 0.0
        # One still in progress.
        assert writes.quiet_for() == 0.0
    time.now += 0.25
    assert writes.quiet_for() == 0.25


async def test_a_foreground_transaction_is_counted_and_a_background_one_is_not(
    database: Database,
) -> None:
    time = FakeTime()
    database.foreground_writes = ForegroundWrites(clock=time.clock)
    async with database.transaction():
        assert database.foreground_writes.quiet_for() == 0.0
    time.now += 2
    assert database.foreground_writes.quiet_for() == 2.0
    async with database.transaction(background=True):
        assert database.foreground_writes.quiet_for() == 2.0
    time.now += 1
    assert database.foreground_writes.quiet_for() == 3.0


async def _old_run(database: Database) -> None:
    flow = await register(database, DEFAULT_TENANT_ID, "etl")
    run = await finished_run(database, DEFAULT_TENANT_ID, flow.id, log_lines=2)
    await age(database, run.id, days=40)


# Fractions of a power of two: the fake clock's sums are exact.
GAP = 0.0625
LONGEST = 0.25
# finished_run's rows at batch 100: log lines, task-run states, task runs, flow-run
# states, then the run: five delete transactions.
TRANSACTIONS = 5


async def test_the_pass_waits_for_the_rest_of_a_gap_after_a_write(database: Database) -> None:
    await _old_run(database)
    time = FakeTime()
    database.foreground_writes = ForegroundWrites(clock=time.clock)
    with database.foreground_writes.counted():
        pass  # a write that ended just now
    time.now += 0.015625
    pace = Pace(batch=100, quiet_seconds=GAP, max_wait_seconds=LONGEST, sleep=time.sleep)
    removed = await prune_runs(
        database, DEFAULT_TENANT_ID, POLICY, now=datetime.now(UTC), pace=pace
    )
    assert (removed.flow_runs, removed.log_lines, removed.task_runs) == (1, 2, 2)
    # The first transaction waits what the gap lacks; the pass's own transactions leave
    # the gap as it was, so the next ones do not wait.
    assert time.sleeps == [GAP - 0.015625]


async def test_under_constant_writes_the_pass_waits_its_longest_then_deletes(
    database: Database,
) -> None:
    await _old_run(database)
    time = FakeTime()
    database.foreground_writes = ForegroundWrites(clock=time.clock)
    pace = Pace(batch=100, quiet_seconds=GAP, max_wait_seconds=LONGEST, sleep=time.sleep)
    with database.foreground_writes.counted():  # a write that does not end
        removed = await prune_runs(
            database, DEFAULT_TENANT_ID, POLICY, now=datetime.now(UTC), pace=pace
        )
    assert (removed.flow_runs, removed.log_lines, removed.task_runs) == (1, 2, 2)
    # Each transaction waited its longest, a gap's length at a time, then went ahead.
    assert time.sleeps == [GAP] * int(LONGEST / GAP) * TRANSACTIONS


async def test_a_pace_without_a_gap_to_wait_for_never_waits(database: Database) -> None:
    await _old_run(database)
    time = FakeTime()
    database.foreground_writes = ForegroundWrites(clock=time.clock)
    pace = Pace(batch=100, quiet_seconds=0.0, max_wait_seconds=LONGEST, sleep=time.sleep)
    with database.foreground_writes.counted():
        removed = await prune_runs(
            database, DEFAULT_TENANT_ID, POLICY, now=datetime.now(UTC), pace=pace
        )
    assert removed.flow_runs == 1
    assert time.sleeps == []
