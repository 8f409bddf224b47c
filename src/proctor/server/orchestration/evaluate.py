"""`evaluate`: a batch of proposed changes and the current rows in, one verdict per change
out. The one pure step every flow-run and task-run state change goes through.

The services read the rows (locked), call `evaluate`, then hand the verdicts to the
after-write effects (`proctor.server.services._transitions`). Changes are evaluated in
order against the rows as the earlier changes of the batch left them, so a batch that
moves a run Pending -> Running -> Success is judged step by step, as if sent one by one.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from proctor.server.orchestration.effects import apply_state
from proctor.server.orchestration.policy import Policy
from proctor.server.orchestration.states import ProposedState
from proctor.server.orchestration.transition import Outcome, RunKind, RunSnapshot, Transition

if TYPE_CHECKING:
    from proctor.server.orchestration.concurrency_limits import SlotLedger


class Change(Protocol):
    """A validated request to move one run (the services' `FlowChange`, `TaskChange`)."""

    @property
    def flow_run_id(self) -> uuid.UUID: ...  # the run's flow run (a task run's parent)

    @property
    def slot(self) -> Hashable: ...  # the run's key among the batch's rows

    @property
    def state(self) -> ProposedState: ...

    @property
    def version(self) -> int | None: ...

    @property
    def force(self) -> bool: ...

    @property
    def agent_id(self) -> uuid.UUID | None: ...

    @property
    def tags(self) -> tuple[str, ...] | None: ...  # a task run asking for its slots


@dataclass(slots=True)
class Verdict:
    """What became of one change.

    - `before` None: the run (a task run's flow run) does not exist; nothing decided;
    - `after` None: refused, or an exact repeat (`outcome` says which): nothing to write;
    - otherwise `after` is the row to write and `state` the state it entered (the one
      proposed, or a rule's rewrite of it).
    """

    change: Change
    slot: Hashable  # `change.slot`, computed once
    state: ProposedState  # as entered when written, else as proposed
    outcome: Outcome | None
    before: RunSnapshot | None
    after: RunSnapshot | None = None

    @property
    def written(self) -> bool:
        return self.after is not None


def evaluate(
    kind: RunKind,
    policy: Policy,
    runs: MutableMapping[Hashable, RunSnapshot],
    changes: Iterable[Change],
    parents: Mapping[uuid.UUID, str] | None = None,
    slots: SlotLedger | None = None,
) -> list[Verdict]:
    """Judge `changes` in order; `runs` (the rows by slot) is updated in place with every
    accepted change. `parents`: task runs' flow-run state names (the rules look at them);
    `slots`: the concurrency limits the changes' tags fall under, locked and counted
    (`concurrency_limits.TakeConcurrencySlots` takes slots from it)."""
    verdicts: list[Verdict] = []
    judge = policy.evaluate
    for change in changes:
        slot = change.slot
        proposed = change.state
        run = runs.get(slot)
        if run is None:
            verdicts.append(Verdict(change, slot, proposed, None, None))
            continue
        outcome = judge(
            Transition(
                kind,
                run,
                proposed,
                change.version,
                change.force,
                change.agent_id,
                None if parents is None else parents[change.flow_run_id],
                change.flow_run_id,
                change.tags,
                slots,
            )
        )
        state = outcome.state
        if state is None or outcome.kind in ("reject", "unchanged"):
            verdicts.append(Verdict(change, slot, proposed, outcome, run))
            continue
        new = apply_state(run, state, kind=kind, agent_id=change.agent_id)
        runs[slot] = new
        verdicts.append(Verdict(change, slot, state, outcome, run, new))
    return verdicts


__all__ = ["Change", "Verdict", "evaluate"]
