"""Concurrency limits as a rule: may this run take a slot of each limit it falls under?

One unit of a limit is a *slot*. `SlotLedger` is what a transaction locked and counted
(the limits, the slots in use of each, and which of them each holder already holds);
`SlotLedger.take` is the one decision every path that takes slots makes: a task run
entering Submitted or Running with its tags (the `TakeConcurrencySlots` rule of the task
run policy), the older `acquireTaskRunSlots` request, and an agent's claim of flow runs
with limited labels. All or nothing per holder: a run under two limits gets a slot of
each or waits for both.

Pure and in memory, so it is tested from hand-made ledgers; the services lock the limit
rows, count, build the ledger, and write the slots it took (`SlotLedger.taken`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from proctor.server.orchestration.rules import Rule
from proctor.server.orchestration.states import FAMILIES
from proctor.server.orchestration.transition import Outcome, Transition

#: A run holds its slots in these state families; entering any other gives them back.
HOLDING_STATES = frozenset({"Submitted", "Running", "Cancelling"})
#: The families a task run asks for its slots on (Cancelling only follows one of them).
TAKING_STATES = frozenset({"Submitted", "Running"})
#: Prefix of the message of a run that waits for a slot (its Queued state's message).
WAITING = "Waiting for a concurrency slot: "


@dataclass(frozen=True, slots=True)
class Limit:
    """One concurrency limit: at most `limit` slots of `key` are held at once."""

    id: uuid.UUID
    key: str
    limit: int


@dataclass(frozen=True, slots=True)
class Taken:
    """A slot the ledger granted: `holder` (a task run, or a flow run when `parent` is
    None) took one of limit `limit_id`; `parent` is a task run's flow run."""

    holder: uuid.UUID
    parent: uuid.UUID | None
    limit_id: uuid.UUID


@dataclass(slots=True)
class SlotLedger:
    """The locked limits by key, the slots in use of each (by limit id), and the limits
    each holder already holds a slot of. `take` and `give_back` keep all three current,
    so a batch is judged change by change as if each were sent alone."""

    limits: Mapping[str, Limit]
    in_use: dict[uuid.UUID, int]
    held: dict[uuid.UUID, set[uuid.UUID]] = field(default_factory=dict)
    #: Slots granted by this ledger and not given back since: what the caller writes.
    taken: list[Taken] = field(default_factory=list)

    def take(
        self, holder: uuid.UUID, keys: Iterable[str], parent: uuid.UUID | None = None
    ) -> str | None:
        """Grant `holder` a slot of each limit among `keys` it does not hold yet: None
        when granted (or nothing to take), else the waiting message naming the full ones."""
        limits, in_use = self.limits, self.in_use
        held = self.held.get(holder, ())
        missing = [limits[key] for key in dict.fromkeys(keys) if key in limits]
        missing = [limit for limit in missing if limit.id not in held]
        if not missing:
            return None
        full = [limit for limit in missing if in_use[limit.id] >= limit.limit]
        if full:
            return waiting_message((limit.key, in_use[limit.id], limit.limit) for limit in full)
        mine = self.held.setdefault(holder, set())
        for limit in missing:
            in_use[limit.id] += 1
            mine.add(limit.id)
            self.taken.append(Taken(holder, parent, limit.id))
        return None

    def give_back(self, holder: uuid.UUID) -> None:
        """`holder` left the holding states: its slots are free for the next change."""
        mine = self.held.pop(holder, None)
        if not mine:
            return
        for limit_id in mine:
            self.in_use[limit_id] -= 1
        self.taken = [slot for slot in self.taken if slot.holder != holder]


def waiting_message(full: Iterable[tuple[str, int, int]]) -> str:
    """'Waiting for a concurrency slot: db (2 of 2 in use)' for (key, in use, limit)s."""
    return WAITING + ", ".join(f"{key} ({used} of {limit} in use)" for key, used, limit in full)


class TakeConcurrencySlots(Rule):
    """A task run entering Submitted or Running with its tags takes a slot of each of
    its limited tags; when one is full the change becomes `Queued` with the reason (or,
    already Queued, stays so: nothing written, the reason answered). A change without
    tags (a run process of an older version, which asked `acquireTaskRunSlots` first)
    or without a ledger (no tag of the batch is limited) is let through as it is.

    Last in the task-run policy: a slot is taken only for a change that is written."""

    name = "take_concurrency_slots"
    applies_to = frozenset({"task_run"})
    needs_slots = True
    to_types = TAKING_STATES

    def check(self, transition: Transition) -> Outcome | None:
        ledger, tags, run_id = transition.slots, transition.tags, transition.current.id
        if ledger is None or not tags or run_id is None:
            return None
        waiting = ledger.take(run_id, tags, transition.flow_run_id)
        if waiting is None:
            return None
        if transition.current.state == "Queued":
            return Outcome.unchanged(waiting, rule=self.name)
        queued = transition.proposed.with_name("Queued", waiting)
        return Outcome.rewrite(queued, waiting, rule=self.name)


class GiveBackConcurrencySlots(Rule):
    """A task run leaving the holding states gives its slots back to the ledger, so a
    later change of the same batch may take them (the rows go in `SlotRelease`)."""

    name = "give_back_concurrency_slots"
    applies_to = frozenset({"task_run"})
    needs_slots = True
    to_types = FAMILIES - HOLDING_STATES

    def check(self, transition: Transition) -> Outcome | None:
        ledger, run_id = transition.slots, transition.current.id
        if ledger is not None and run_id is not None:
            ledger.give_back(run_id)
        return None


__all__ = [
    "HOLDING_STATES",
    "TAKING_STATES",
    "GiveBackConcurrencySlots",
    "Limit",
    "SlotLedger",
    "TakeConcurrencySlots",
    "Taken",
    "waiting_message",
]
