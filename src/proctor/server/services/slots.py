"""Giving concurrency slots back: called by the state-change paths, in their transaction.

Kept apart from `concurrency.py` (which takes slots and manages limits) because the
task-run and flow-run state services call it on their hot path and must not depend on
the rest: a run that holds no slot pays one indexed probe per batch, nothing more.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database.dialects import DialectConfiguration
from proctor.server.database.models import ConcurrencySlot

#: A flow run holds its label slots in these state families, a task run its tag slots;
#: entering any other state gives them back.
HOLDING_FLOW_STATES = frozenset({"Submitted", "Running", "Cancelling"})
HOLDING_TASK_STATES = frozenset({"Submitted", "Running", "Cancelling"})

SLOT_TABLE = cast(sa.Table, ConcurrencySlot.__table__)
_CHUNK = 1000


async def release_task_run_slots(
    session: AsyncSession,
    config: DialectConfiguration,
    flow_run_ids: Iterable[uuid.UUID],
    task_run_ids: Sequence[uuid.UUID],
) -> None:
    """Free the slots of `task_run_ids` (task runs of `flow_run_ids` that just left the
    holding states). Looks first whether any task run of these flow runs holds a slot at
    all: usually none does, and then nothing else is done."""
    if not task_run_ids:
        return
    runs = sorted(set(flow_run_ids))
    holding = await session.scalar(
        sa.select(SLOT_TABLE.c.id)
        .where(
            config.in_values(SLOT_TABLE.c.flow_run_id, runs),
            SLOT_TABLE.c.task_run_id.is_not(None),
        )
        .limit(1)
    )
    if holding is None:
        return
    for start in range(0, len(task_run_ids), _CHUNK):
        chunk = task_run_ids[start : start + _CHUNK]
        await session.execute(
            sa.delete(SLOT_TABLE).where(config.in_values(SLOT_TABLE.c.task_run_id, chunk))
        )


async def release_flow_run_slots(
    session: AsyncSession, config: DialectConfiguration, flow_run_ids: Sequence[uuid.UUID]
) -> None:
    """Free every slot of these flow runs and of their task runs (the runs stopped: they
    finished, were re-queued or paused, and their process is gone or going)."""
    if flow_run_ids:
        await session.execute(
            sa.delete(SLOT_TABLE).where(
                config.in_values(SLOT_TABLE.c.flow_run_id, list(flow_run_ids))
            )
        )


async def release_task_slots_of_flow_runs(
    session: AsyncSession, config: DialectConfiguration, flow_run_ids: Sequence[uuid.UUID]
) -> None:
    """Free the slots every task run of these flow runs holds (their process is gone:
    none of them is running any more), keeping the flow runs' own label slots."""
    if flow_run_ids:
        await session.execute(
            sa.delete(SLOT_TABLE).where(
                config.in_values(SLOT_TABLE.c.flow_run_id, list(flow_run_ids)),
                SLOT_TABLE.c.task_run_id.is_not(None),
            )
        )


__all__ = [
    "HOLDING_FLOW_STATES",
    "HOLDING_TASK_STATES",
    "SLOT_TABLE",
    "release_flow_run_slots",
    "release_task_run_slots",
    "release_task_slots_of_flow_runs",
]
