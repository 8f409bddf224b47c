"""`Batch`: what one call of the transition engine knows, for its effects; `Effect`: one
thing an accepted change does besides its verdict (a history row, a slot given back...).

An effect's hooks take the batch and return plain rows (`Write`), so what an effect
writes is tested without a database; the writer runs them in the caller's transaction.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database.dialects import DialectConfiguration
from proctor.server.orchestration.concurrency_limits import SlotLedger
from proctor.server.orchestration.evaluate import Verdict
from proctor.server.orchestration.transition import RunKind, RunSnapshot

Row = tuple[Any, ...]
Statement = Callable[[AsyncSession, DialectConfiguration, Sequence[Row]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Write:
    """`statement(session, config, rows)`: a `BulkWrite`, or a function of that shape."""

    statement: Statement
    rows: list[Row]


@dataclass(slots=True)
class Batch:
    """One call's runs as evaluated so far, and what was accepted."""

    kind: RunKind
    tenant: uuid.UUID
    now: datetime
    #: Every run the batch names, by slot (flow run id, or (flow run id, (slug, index))).
    runs: dict[Hashable, RunSnapshot]
    #: The flow runs the batch touches (a task run's parents), sorted: locked in this order.
    flow_run_ids: list[uuid.UUID]
    #: Task runs: their flow runs' state names (the rules look at them).
    parents: Mapping[uuid.UUID, str] | None = None
    #: The concurrency limits the batch's tags fall under, locked and counted (None
    #: when no change carries tags, or none of them is limited).
    slots: SlotLedger | None = None
    #: False for the server's own changes (the zombie killer): not a sign of life.
    touch_heartbeat: bool = True
    #: Task runs not in the database yet (in-memory Pending snapshots), in index order.
    new_slots: list[Hashable] = field(default_factory=list)
    #: Slots whose row is in the database (found, or written by an earlier chunk).
    stored: set[Hashable] = field(default_factory=set)
    #: Task runs created per flow run (for the event).
    created: dict[uuid.UUID, int] = field(default_factory=dict)
    #: The last accepted verdict per run id, in the order runs were first changed.
    written: dict[uuid.UUID, Verdict] = field(default_factory=dict)
    #: Accepted changes per flow run.
    accepted: defaultdict[uuid.UUID, int] = field(default_factory=lambda: defaultdict(int))

    def record(self, verdicts: Sequence[Verdict]) -> list[Verdict]:
        """Note the accepted ones among `verdicts` (in order); return them."""
        taken = []
        for verdict in verdicts:
            after = verdict.after
            if after is None:
                continue
            assert after.id is not None
            self.written[after.id] = verdict
            self.accepted[verdict.change.flow_run_id] += 1
            taken.append(verdict)
        return taken


class Effect:
    """Hooks with do-nothing defaults, called in the order the effects are listed:

    - `before`: writes sent before the changes are evaluated (it runs meanwhile);
    - `chunk`: rows for a chunk's accepted changes (`written`, in order, never empty);
    - `after`: once every chunk is written, still inside the transaction.
    """

    name: ClassVar[str] = "effect"

    def before(self, batch: Batch) -> list[Write]:
        return []

    def chunk(self, batch: Batch, written: Sequence[Verdict]) -> list[Write]:
        return []

    async def after(
        self, session: AsyncSession, config: DialectConfiguration, batch: Batch
    ) -> None:
        return None

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


__all__ = ["Batch", "Effect", "Row", "Statement", "Write"]
