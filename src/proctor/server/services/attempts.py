"""The attempts of a run, read from its state history.

A run has one attempt per start from scratch: the first, then one more each time it is
restarted after it finished (the only way out of a finished state). The run's row holds
the current attempt's times; the earlier attempts live on in the history, and this module
cuts the history into attempts so each keeps its own start, end and outcome (1.x showed
the same idea as a run count).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from proctor.server.orchestration.states import FINISHED_STATES
from proctor.server.services.plumbing.records import StateRecord


@dataclass(frozen=True, slots=True)
class Attempt:
    """One attempt: `number` from 1, the history versions it spans, its last state, its
    first Running (start) and the time it finished (end)."""

    number: int
    began: datetime  # its first history row: created, or restarted
    first_version: int
    last_version: int
    state: str
    state_type: str
    message: str | None
    start_time: datetime | None
    end_time: datetime | None


def _cut(history: Iterable[StateRecord]) -> list[list[StateRecord]]:
    """History rows grouped by attempt: a new group starts where a finished state is
    followed by one that is not (a restart)."""
    groups: list[list[StateRecord]] = []
    previous: StateRecord | None = None
    for row in history:
        restarted = (
            previous is not None
            and previous.state in FINISHED_STATES
            and row.state not in FINISHED_STATES
        )
        if not groups or restarted:
            groups.append([])
        groups[-1].append(row)
        previous = row
    return groups


def _attempt(number: int, rows: Sequence[StateRecord]) -> Attempt:
    started = next((row.timestamp for row in rows if row.state_type == "Running"), None)
    last = rows[-1]
    return Attempt(
        number=number,
        began=rows[0].timestamp,
        first_version=rows[0].version,
        last_version=last.version,
        state=last.state,
        state_type=last.state_type,
        message=last.message,
        start_time=started,
        end_time=last.timestamp if last.state in FINISHED_STATES else None,
    )


def attempts_of(history: Iterable[StateRecord]) -> list[Attempt]:
    """The attempts of a run from its history (oldest first), oldest first."""
    return [_attempt(number, rows) for number, rows in enumerate(_cut(history), start=1)]


__all__ = ["Attempt", "attempts_of"]
