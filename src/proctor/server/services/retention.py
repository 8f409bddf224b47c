"""Run-history retention: delete finished runs older than a team's policy (with their
task runs, state history and logs) and trim each run's logs to the policy's size.

How a pass stays harmless to a busy server and to a second replica doing the same:

- Candidates are found by a read (ids only), then deleted by id in write transactions of
  at most `batch` rows each (children first: log lines, task-run states, task runs,
  flow-run states, then the runs), so no transaction holds SQLite's write lock or
  PostgreSQL's row locks for long, and the flow runs' cascades have nothing left to do.
- Every write transaction re-checks its runs (still finished, still older than the
  cut-off: a restart may have made one unfinished) and, on PostgreSQL, locks them
  `FOR UPDATE SKIP LOCKED`: a run restarted meanwhile is left alone, and two replicas
  work on different runs instead of waiting for each other. Deleting by id is
  idempotent, and each row is counted by the transaction that deleted it, so two
  services never report a row twice.
- A run in progress (any family but Success, Failed, Cancelled, Finished) is never a
  candidate, and each flow's `keep_newest_runs` newest finished runs (by scheduled start
  time) are kept whatever their age.

Log trimming looks at finished runs only (a running run is still writing), each once:
a watermark (state time, id) in the team's `retention_policy` row says how far it got,
so neither a restart nor a second replica reads every run's logs again. Lines are
removed oldest first until the run's messages fit in `log_max_bytes`.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from proctor.server.database import Database
from proctor.server.database.models import (
    Artifact,
    FlowRun,
    FlowRunState,
    Log,
    RetentionPolicy,
    TaskRun,
    TaskRunState,
)
from proctor.server.orchestration.states import FINISHED_FAMILIES
from proctor.server.services.retention_policy import Policy

FINISHED = sorted(FINISHED_FAMILIES)
#: Runs handled per group (their children are still deleted `batch` rows at a time).
RUNS_PER_GROUP = 200
#: Log trimming looks at runs that finished at least this long ago (see `trim_logs`).
TRIM_GRACE = timedelta(minutes=10)

Watermark = tuple[datetime, uuid.UUID]
T = TypeVar("T")


@dataclass(slots=True)
class Removed:
    """Rows deleted, by kind (`log_lines_trimmed`: lines of kept runs cut by size)."""

    flow_runs: int = 0
    task_runs: int = 0
    task_run_states: int = 0
    flow_run_states: int = 0
    log_lines: int = 0
    log_lines_trimmed: int = 0
    artifacts: int = 0

    def add(self, other: Removed) -> None:
        for name in self.as_dict():
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {item.name: int(getattr(self, item.name)) for item in fields(self)}

    @property
    def total(self) -> int:
        return sum(self.as_dict().values())


@dataclass(frozen=True, slots=True)
class Pace:
    """How hard a pass pushes: `batch` rows per write transaction, and after each one a
    pause of `pause_ratio` times as long as it took, so that the pass holds SQLite's
    write lock (or PostgreSQL's I/O) at most 1 / (1 + pause_ratio) of the time. Before
    each transaction it also waits until the server's own writes have left a gap of
    `quiet_seconds` (at most `max_wait_seconds`): a delete batch that begins while a
    running flow is writing makes that flow's next write wait for it, and the bounded
    wait makes such collisions rarer while the pass still ends under constant writes.
    0: no pauses and no waiting (tests)."""

    batch: int
    pause_ratio: float = 0.0
    quiet_seconds: float = 0.0
    max_wait_seconds: float = 0.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def _wait_for_a_gap(self, db: Database) -> None:
        waited = 0.0
        while waited < self.max_wait_seconds:
            missing = self.quiet_seconds - db.foreground_writes.quiet_for()
            if missing <= 0:
                return
            step = min(missing, self.max_wait_seconds - waited)
            await self.sleep(step)
            waited += step

    async def transaction(self, db: Database, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        if self.quiet_seconds > 0:
            await self._wait_for_a_gap(db)
        held = 0.0

        async def timed(session: AsyncSession) -> T:
            # Timed from the moment the transaction holds the lock: time spent waiting
            # for the server's own writes must not lengthen the pause.
            nonlocal held
            started = time.monotonic()
            try:
                return await work(session)
            finally:
                held = time.monotonic() - started

        result = await db.run_in_transaction(timed, background=True)
        if self.pause_ratio > 0:
            await self.sleep(held * self.pause_ratio)
        return result


@dataclass(slots=True)
class _Deletion:
    """What one transaction deleted."""

    kind: str
    count: int
    runs_locked: int = 0
    extra: dict[str, int] = field(default_factory=dict)


def _rowcount(result: Any) -> int:
    return int(cast(Any, result).rowcount or 0)


def _message_bytes(db: Database) -> sa.ColumnElement[Any]:
    """A log message's size in bytes (UTF-8), on either database."""
    if db.dialect == "sqlite":
        return sa.func.length(sa.cast(Log.message, sa.LargeBinary))
    return sa.func.octet_length(Log.message)


def _expired(tenant: uuid.UUID, cutoff: datetime) -> list[sa.ColumnElement[bool]]:
    """Conditions on `FlowRun` for a finished run older than `cutoff` (cheap: checked
    again in every delete transaction)."""
    return [
        FlowRun.tenant_id == tenant,
        FlowRun.state_type.in_(FINISHED),
        FlowRun.state_timestamp < cutoff,
    ]


def _not_among_newest(keep_newest: int) -> list[sa.ColumnElement[bool]]:
    """`FlowRun` has at least `keep_newest` newer finished runs of its flow. Read newest
    first along the (flow_group_id, scheduled_start_time) index, so each check reads
    about `keep_newest` rows however long the flow's history is."""
    if keep_newest <= 0:
        return []
    newer = aliased(FlowRun)
    at_least_n_newer = (
        sa.select(newer.id)
        .where(
            newer.flow_group_id == FlowRun.flow_group_id,
            newer.state_type.in_(FINISHED),
            sa.tuple_(newer.scheduled_start_time, newer.id)
            > sa.tuple_(FlowRun.scheduled_start_time, FlowRun.id),
        )
        .order_by(newer.scheduled_start_time.desc())
        .limit(1)
        .offset(keep_newest - 1)
    )
    return [sa.exists(at_least_n_newer)]


async def _delete_one_step(
    session: AsyncSession,
    run_ids: Sequence[uuid.UUID],
    recheck: list[sa.ColumnElement[bool]],
    batch: int,
) -> _Deletion:
    """One transaction's work: lock the runs that still qualify, then delete up to `batch`
    rows of the first kind of child they still have, or the runs themselves."""
    locked = list(
        (
            await session.scalars(
                sa.select(FlowRun.id)
                .where(FlowRun.id.in_(run_ids), *recheck)
                .with_for_update(skip_locked=True)
            )
        ).all()
    )
    if not locked:
        return _Deletion("none", 0)
    their_task_runs = sa.select(TaskRun.id).where(TaskRun.flow_run_id.in_(locked))
    steps: list[tuple[str, Any, Any]] = [
        ("log_lines", Log, sa.select(Log.id).where(Log.flow_run_id.in_(locked))),
        ("artifacts", Artifact, sa.select(Artifact.id).where(Artifact.flow_run_id.in_(locked))),
        (
            "task_run_states",
            TaskRunState,
            sa.select(TaskRunState.id).where(TaskRunState.task_run_id.in_(their_task_runs)),
        ),
        ("task_runs", TaskRun, their_task_runs),
        (
            "flow_run_states",
            FlowRunState,
            sa.select(FlowRunState.id).where(FlowRunState.flow_run_id.in_(locked)),
        ),
    ]
    for kind, model, ids in steps:
        doomed = ids.limit(batch).scalar_subquery()
        result = await session.execute(sa.delete(model).where(model.id.in_(doomed)))
        count = _rowcount(result)
        if count:
            return _Deletion(kind, count, len(locked))
    result = await session.execute(sa.delete(FlowRun).where(FlowRun.id.in_(locked)))
    return _Deletion("flow_runs", _rowcount(result), len(locked))


async def _delete_runs(
    db: Database, run_ids: Sequence[uuid.UUID], recheck: list[sa.ColumnElement[bool]], pace: Pace
) -> Removed:
    removed = Removed()
    while True:
        step = await pace.transaction(
            db, lambda session: _delete_one_step(session, run_ids, recheck, pace.batch)
        )
        if step.kind == "none":
            return removed
        setattr(removed, step.kind, getattr(removed, step.kind) + step.count)
        if step.kind == "flow_runs":
            # The rest (if any) is locked by another replica, or was not ours to delete.
            return removed


async def prune_runs(
    db: Database, tenant_id: uuid.UUID, policy: Policy, *, now: datetime, pace: Pace
) -> Removed:
    """Delete the team's finished runs older than `policy.days` (keeping each flow's
    newest `policy.keep_newest_runs`), with everything that belongs to them."""
    cutoff = now - timedelta(days=policy.days)
    expired = _expired(tenant_id, cutoff)
    # The newest-N rule is applied when candidates are chosen; the delete transactions
    # re-check only what can change meanwhile (a restart makes a run unfinished).
    candidates = [*expired, *_not_among_newest(policy.keep_newest_runs)]
    removed = Removed()
    while True:
        async with db.session() as session:
            run_ids = list(
                (
                    await session.scalars(
                        sa.select(FlowRun.id)
                        .where(*candidates)
                        .order_by(FlowRun.state_timestamp, FlowRun.id)
                        .limit(min(pace.batch, RUNS_PER_GROUP))
                    )
                ).all()
            )
        if not run_ids:
            return removed
        group = await _delete_runs(db, run_ids, expired, pace)
        removed.add(group)
        if group.flow_runs == 0:
            # Nothing of this group could be finished here (another replica holds it):
            # the next pass picks up what is left.
            return removed


async def _trim_boundary(
    db: Database, run_id: uuid.UUID, limit: int
) -> tuple[datetime, int] | None:
    """The newest line of the run that must go so that the newer ones fit in `limit`
    bytes (None: they all fit)."""
    size = _message_bytes(db)
    running = (
        sa.select(
            Log.timestamp.label("timestamp"),
            Log.id.label("id"),
            sa.func.sum(size)
            .over(order_by=(Log.timestamp.desc(), Log.id.desc()))
            .label("newer_bytes"),
        )
        .where(Log.flow_run_id == run_id)
        .subquery()
    )
    statement = (
        sa.select(running.c.timestamp, running.c.id)
        .where(running.c.newer_bytes > limit)
        .order_by(running.c.newer_bytes)
        .limit(1)
    )
    async with db.session() as session:
        row = (await session.execute(statement)).first()
    return None if row is None else (row[0], int(row[1]))


async def _trim_run(db: Database, run_id: uuid.UUID, limit: int, pace: Pace) -> int:
    boundary = await _trim_boundary(db, run_id, limit)
    if boundary is None:
        return 0
    timestamp, line_id = boundary
    older = (
        sa.select(Log.id)
        .where(
            Log.flow_run_id == run_id,
            sa.tuple_(Log.timestamp, Log.id)
            <= sa.tuple_(sa.literal(timestamp, Log.timestamp.type), sa.literal(line_id)),
        )
        .limit(pace.batch)
        .scalar_subquery()
    )
    trimmed = 0
    while True:

        async def work(session: AsyncSession) -> int:
            return _rowcount(await session.execute(sa.delete(Log).where(Log.id.in_(older))))

        count = await pace.transaction(db, work)
        trimmed += count
        if count < pace.batch:
            return trimmed


async def _watermark(db: Database, tenant_id: uuid.UUID) -> Watermark | None:
    async with db.session() as session:
        row = await session.get(RetentionPolicy, tenant_id)
    if row is None or row.logs_checked_until is None or row.logs_checked_until_id is None:
        return None
    return (row.logs_checked_until, row.logs_checked_until_id)


async def _save_watermark(db: Database, tenant_id: uuid.UUID, mark: Watermark) -> None:
    """Remember where trimming got to (creating the team's row, figures NULL, if needed).
    Two replicas may write different marks; the lower one only makes a few runs be
    checked again, which finds nothing to trim."""
    values = {"logs_checked_until": mark[0], "logs_checked_until_id": mark[1]}
    table = cast(sa.Table, RetentionPolicy.__table__)
    statement = db.config.insert(table).values(tenant_id=tenant_id, **values)
    statement = statement.on_conflict_do_update(index_elements=["tenant_id"], set_=values)

    async def work(session: AsyncSession) -> None:
        await session.execute(statement)

    await db.run_in_transaction(work)


async def trim_logs(
    db: Database, tenant_id: uuid.UUID, policy: Policy, *, now: datetime, pace: Pace
) -> int:
    """Trim the logs of the team's runs that finished since the last check (every
    finished run the first time) to `policy.log_max_bytes` each; returns the lines
    removed. Where it got to is kept in the team's `retention_policy` row.

    Only runs that finished `TRIM_GRACE` before `now` are looked at: a run's finished
    state carries the time its process set it, which may be a little older than the
    moment the server committed it, and the watermark must not pass a run that is not
    visible yet."""
    if policy.log_max_bytes <= 0:
        return 0
    after = await _watermark(db, tenant_id)
    trimmed = 0
    size = _message_bytes(db)
    while True:
        page = (
            sa.select(FlowRun.id, FlowRun.state_timestamp)
            .where(
                FlowRun.tenant_id == tenant_id,
                FlowRun.state_type.in_(FINISHED),
                FlowRun.state_timestamp < now - TRIM_GRACE,
            )
            .order_by(FlowRun.state_timestamp, FlowRun.id)
            .limit(RUNS_PER_GROUP)
        )
        if after is not None:
            page = page.where(
                sa.tuple_(FlowRun.state_timestamp, FlowRun.id)
                > sa.tuple_(
                    sa.literal(after[0], FlowRun.state_timestamp.type),
                    sa.literal(after[1], FlowRun.id.type),
                )
            )
        async with db.session() as session:
            runs = (await session.execute(page)).all()
            if not runs:
                return trimmed
            oversized = list(
                (
                    await session.scalars(
                        sa.select(Log.flow_run_id)
                        .where(Log.flow_run_id.in_([run_id for run_id, _ in runs]))
                        .group_by(Log.flow_run_id)
                        .having(sa.func.sum(size) > policy.log_max_bytes)
                    )
                ).all()
            )
        for run_id in oversized:
            trimmed += await _trim_run(db, run_id, policy.log_max_bytes, pace)
        last_id, last_time = runs[-1]
        after = (last_time, last_id)
        await _save_watermark(db, tenant_id, after)
        if len(runs) < RUNS_PER_GROUP:
            return trimmed


__all__ = ["FINISHED", "TRIM_GRACE", "Pace", "Removed", "Watermark", "prune_runs", "trim_logs"]
