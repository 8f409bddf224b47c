"""A proposed transition (what the rules look at) and an outcome (what they decide).

Both are plain data, so a rule is a pure function of a `Transition` and can be tested
without a database: build a `Transition`, call the rule, look at the `Outcome`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from proctor.server.orchestration.states import FAMILY_OF, FINISHED_STATES, ProposedState

if TYPE_CHECKING:
    from proctor.server.orchestration.concurrency_limits import SlotLedger

RunKind = Literal["flow_run", "task_run"]
OutcomeKind = Literal["accept", "reject", "rewrite", "unchanged"]


@dataclass(slots=True)
class RunSnapshot:
    """The current row of a flow run or task run, as far as orchestration cares."""

    id: uuid.UUID | None
    state: str
    state_timestamp: datetime | None = None
    version: int = 0
    run_count: int = 0
    start_time: datetime | None = None
    end_time: datetime | None = None
    agent_id: uuid.UUID | None = None  # flow runs: the agent that claimed it
    scheduled_start_time: datetime | None = None
    result_location: str | None = None

    @property
    def state_type(self) -> str:
        return FAMILY_OF[self.state]

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES


@dataclass(slots=True)
class Transition:
    """Run X, currently in `current`, is asked to enter `proposed` by someone."""

    kind: RunKind
    current: RunSnapshot
    proposed: ProposedState
    expected_version: int | None = None
    force: bool = False
    agent_id: uuid.UUID | None = None
    flow_run_state: str | None = None  # task runs: the parent flow run's state name
    flow_run_id: uuid.UUID | None = None  # task runs: the parent flow run
    tags: tuple[str, ...] | None = None  # task runs: the task's tags, when it asks for slots
    slots: SlotLedger | None = None  # the batch's concurrency limits, when a change has tags

    @property
    def from_type(self) -> str:
        return self.current.state_type

    @property
    def to_type(self) -> str:
        return self.proposed.type

    def with_proposed(self, proposed: ProposedState) -> Transition:
        return replace(self, proposed=proposed)


@dataclass(frozen=True, slots=True)
class Outcome:
    """A rule's (or the policy's) decision, as data.

    - accept: write `state` (the proposed one);
    - rewrite: write `state`, which a rule substituted for the proposed one;
    - unchanged: accepted, but there is nothing to write (an exact repeat);
    - reject: write nothing; `code` and `reason` say why, `rule` who.
    """

    kind: OutcomeKind
    state: ProposedState | None = None
    code: str | None = None
    reason: str | None = None
    rule: str | None = None

    @property
    def accepted(self) -> bool:
        return self.kind != "reject"

    @classmethod
    def accept(cls, state: ProposedState) -> Outcome:
        return cls("accept", state=state)

    @classmethod
    def rewrite(cls, state: ProposedState, reason: str, rule: str | None = None) -> Outcome:
        return cls("rewrite", state=state, reason=reason, rule=rule)

    @classmethod
    def unchanged(cls, reason: str, rule: str | None = None) -> Outcome:
        return cls("unchanged", reason=reason, rule=rule)

    @classmethod
    def reject(cls, code: str, reason: str, rule: str | None = None) -> Outcome:
        return cls("reject", code=code, reason=reason, rule=rule)


__all__ = ["Outcome", "OutcomeKind", "RunKind", "RunSnapshot", "Transition"]
