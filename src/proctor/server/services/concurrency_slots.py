"""Concurrency slots (one unit of a concurrency limit) in the database: the ledger a
transaction takes slots from, the rows it writes, and giving slots back.

Called by the state-change paths, in their transaction. Kept apart from
`concurrency_limits.py` (which manages limits and answers the older slot requests)
because the task-run and flow-run state services call it on their hot path and must not
depend on the rest: a batch that carries no tags and holds no slot pays one indexed probe,
nothing more.

Taking slots: the limits' rows are locked (`FOR UPDATE`, in id order, on PostgreSQL;
`BEGIN IMMEDIATE` serialises writers on SQLite) and their slots counted into a
`SlotLedger` (`proctor.server.orchestration.concurrency_limits`); the rules take slots
from it; `write_slots` stores what they took. Two writers can never both take the last
slot. Writers that lock flow runs too lock them first, then the limits.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database.dialects import DialectConfiguration
from proctor.server.database.ids import new_id
from proctor.server.database.models import ConcurrencyLimit, ConcurrencySlot
from proctor.server.orchestration.concurrency_limits import (
    HOLDING_STATES,
    Limit,
    SlotLedger,
    Taken,
)

FLOW_LABEL = "flow_label"
TASK_TAG = "task_tag"

#: A flow run holds its label slots in these state families, a task run its tag slots;
#: entering any other state gives them back.
HOLDING_FLOW_STATES = HOLDING_STATES
HOLDING_TASK_STATES = HOLDING_STATES

SLOT_TABLE = cast(sa.Table, ConcurrencySlot.__table__)
_CHUNK = 1000


# -- taking ----------------------------------------------------------------------------------


async def locked_limits(
    session: AsyncSession, tenant: uuid.UUID, kind: str, keys: Iterable[str] | None
) -> dict[str, ConcurrencyLimit]:
    """The team's limits of `kind` (those for `keys`, or all), locked in id order so two
    writers taking slots can never wait on each other in a cycle."""
    statement = sa.select(ConcurrencyLimit).where(
        ConcurrencyLimit.tenant_id == tenant, ConcurrencyLimit.kind == kind
    )
    if keys is not None:
        statement = statement.where(ConcurrencyLimit.key.in_(sorted(set(keys))))
    rows = (await session.scalars(statement.order_by(ConcurrencyLimit.id).with_for_update())).all()
    return {row.key: row for row in rows}


async def slots_in_use(session: AsyncSession, limit_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many slots each limit has taken."""
    if not limit_ids:
        return {}
    rows = await session.execute(
        sa.select(SLOT_TABLE.c.limit_id, sa.func.count())
        .where(SLOT_TABLE.c.limit_id.in_(limit_ids))
        .group_by(SLOT_TABLE.c.limit_id)
    )
    used = dict.fromkeys(limit_ids, 0)
    used.update({limit_id: int(count) for limit_id, count in rows})
    return used


async def ledger_of(
    session: AsyncSession, tenant: uuid.UUID, kind: str, keys: Iterable[str] | None
) -> SlotLedger | None:
    """The limits of `kind` on `keys` (all when None), locked until the transaction ends,
    with their slots in use; None when no limit applies (nothing to take)."""
    limits = await locked_limits(session, tenant, kind, keys)
    if not limits:
        return None
    used = await slots_in_use(session, [row.id for row in limits.values()])
    return SlotLedger({key: Limit(row.id, key, row.limit) for key, row in limits.items()}, used)


async def task_tag_ledger(
    session: AsyncSession,
    config: DialectConfiguration,
    tenant: uuid.UUID,
    tags: Iterable[str],
    flow_run_ids: Sequence[uuid.UUID],
) -> SlotLedger | None:
    """The task-tag limits on `tags`, and which of them the task runs of `flow_run_ids`
    (flow runs the caller locked) hold already: asking again takes no second slot, and
    a task run leaving the holding states frees its slots for the next change."""
    ledger = await ledger_of(session, tenant, TASK_TAG, tags)
    if ledger is None:
        return None
    limit_ids = [limit.id for limit in ledger.limits.values()]
    held: defaultdict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for start in range(0, len(flow_run_ids), _CHUNK):
        rows = await session.execute(
            sa.select(SLOT_TABLE.c.task_run_id, SLOT_TABLE.c.limit_id).where(
                config.in_values(
                    SLOT_TABLE.c.flow_run_id, list(flow_run_ids[start : start + _CHUNK])
                ),
                SLOT_TABLE.c.task_run_id.is_not(None),
                SLOT_TABLE.c.limit_id.in_(limit_ids),
            )
        )
        for task_run_id, limit_id in rows:
            held[task_run_id].add(limit_id)
    ledger.held = dict(held)
    return ledger


async def write_slots(
    session: AsyncSession, tenant: uuid.UUID, taken: Sequence[Taken], now: datetime
) -> None:
    """Store the slots a ledger granted (task runs' with their flow run)."""
    if taken:
        await session.execute(
            sa.insert(SLOT_TABLE), [slot_row(tenant, slot, now) for slot in taken]
        )


def slot_row(tenant: uuid.UUID, slot: Taken, now: datetime) -> dict[str, Any]:
    task_run = slot.parent is not None
    return {
        "id": new_id(),
        "tenant_id": tenant,
        "limit_id": slot.limit_id,
        "flow_run_id": slot.parent if task_run else slot.holder,
        "task_run_id": slot.holder if task_run else None,
        "acquired": now,
    }


# -- giving back -----------------------------------------------------------------------------


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
    "FLOW_LABEL",
    "HOLDING_FLOW_STATES",
    "HOLDING_TASK_STATES",
    "SLOT_TABLE",
    "TASK_TAG",
    "ledger_of",
    "locked_limits",
    "release_flow_run_slots",
    "release_task_run_slots",
    "release_task_slots_of_flow_runs",
    "slot_row",
    "slots_in_use",
    "task_tag_ledger",
    "write_slots",
]
