"""`write_transitions`: the one writer of flow-run and task-run state changes.

Inside the caller's transaction, with the rows already read and locked: the effects'
`before` writes are sent, then the changes are evaluated (`orchestration.evaluate`) in
chunks, each chunk's rows written while the next one is evaluated (see
`services.plumbing.write_pipeline`), then the effects' `after` steps run. The evaluation is
pure Python that never awaits, so it goes in slices of `_YIELD_EVERY` changes and lets
the chunk's writes in flight send their next statement between slices.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database.dialects import DialectConfiguration
from proctor.server.orchestration.evaluate import Change, Verdict, evaluate
from proctor.server.orchestration.policy import Policy
from proctor.server.services._transitions.batch import Batch, Effect, Write
from proctor.server.services.plumbing.records import TransitionResult
from proctor.server.services.plumbing.write_pipeline import WritePipeline

_YIELD_EVERY = 50


async def _run_writes(
    session: AsyncSession, config: DialectConfiguration, writes: Sequence[Write]
) -> None:
    for write in writes:
        await write.statement(session, config, write.rows)


async def write_transitions(
    session: AsyncSession,
    config: DialectConfiguration,
    batch: Batch,
    changes: Sequence[Change],
    policy: Policy,
    effects: Sequence[Effect],
    *,
    chunk: int | None = None,
) -> list[Verdict]:
    """Evaluate `changes` in order against `batch.runs` and write them with `effects`
    (`chunk`: changes per pipelined chunk; None: the whole batch at once)."""
    verdicts: list[Verdict] = []
    pipeline = WritePipeline()
    try:
        before = [write for effect in effects for write in effect.before(batch)]
        if before:
            await pipeline.submit(functools.partial(_run_writes, session, config, before))
        size = chunk or max(len(changes), 1)
        for first in range(0, len(changes), size):
            part: list[Verdict] = []
            for start in range(first, min(first + size, len(changes)), _YIELD_EVERY):
                stop = min(start + _YIELD_EVERY, first + size)
                part += evaluate(
                    batch.kind, policy, batch.runs, changes[start:stop], batch.parents, batch.slots
                )
                await pipeline.yield_now()
            verdicts += part
            written = batch.record(part)
            if not written:
                continue
            writes = [write for effect in effects for write in effect.chunk(batch, written)]
            await pipeline.submit(functools.partial(_run_writes, session, config, writes))
        await pipeline.drain()
    except BaseException:
        await pipeline.abandon()
        raise
    for effect in effects:
        await effect.after(session, config, batch)
    return verdicts


def results_of(verdicts: Sequence[Verdict], *, missing_id: bool) -> list[TransitionResult]:
    """One API result per verdict (`missing_id`: an unknown run's result carries the id
    asked for, as flow runs' do; task runs' carry none)."""
    results: list[TransitionResult] = []
    for verdict in verdicts:
        outcome, before, after = verdict.outcome, verdict.before, verdict.after
        if outcome is None or before is None:
            flow_run_id: uuid.UUID = verdict.change.flow_run_id
            results.append(
                TransitionResult.no_flow_run(flow_run_id, flow_run_id if missing_id else None)
            )
        elif after is None:
            results.append(TransitionResult.kept(before, outcome, before.state_type))
        else:
            results.append(TransitionResult.written(after, outcome, after.state_type))
    return results


__all__ = ["results_of", "write_transitions"]
