"""Policies: the ordered lists of rules every flow-run and task-run state change goes
through. This is the one checkpoint: the API, agents and the background services all
change states via `proctor.server.services`, which evaluates these policies."""

from __future__ import annotations

from collections.abc import Sequence

from proctor.server.orchestration.concurrency_limits import (
    GiveBackConcurrencySlots,
    TakeConcurrencySlots,
)
from proctor.server.orchestration.rules import (
    CancellingOnlyEnds,
    CancelUnstartedImmediately,
    FinishedIsFinal,
    IgnoreRepeatedReport,
    RejectStaleVersion,
    RequeueOnlyByClaimer,
    Rule,
    RunningRequiresClaim,
    TaskRunNeedsActiveFlowRun,
)
from proctor.server.orchestration.transition import Outcome, Transition


class Policy:
    """Run the rules in order. The first rejection (or "unchanged") decides; a rewrite
    replaces the proposed state and the remaining rules judge the replacement."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        # Most batches carry no tags, hence no slot ledger: they skip the rules that
        # judge against one rather than pay for asking each of them per change.
        self._without_slots = tuple(rule for rule in self.rules if not rule.needs_slots)

    def evaluate(self, transition: Transition) -> Outcome:
        rewritten: Outcome | None = None
        for rule in self.rules if transition.slots is not None else self._without_slots:
            if transition.force and rule.bypassed_by_force:
                continue
            if not rule.applies(transition):
                continue
            outcome = rule.check(transition)
            if outcome is None or outcome.kind == "accept":
                continue
            if outcome.kind == "rewrite":
                assert outcome.state is not None
                transition = transition.with_proposed(outcome.state)
                rewritten = outcome
                continue
            return outcome
        if rewritten is not None:
            return Outcome.rewrite(transition.proposed, rewritten.reason or "", rewritten.rule)
        return Outcome.accept(transition.proposed)

    def __repr__(self) -> str:
        return f"Policy({', '.join(rule.name for rule in self.rules)})"


FLOW_RUN_POLICY = Policy(
    [
        IgnoreRepeatedReport(),
        RejectStaleVersion(),
        FinishedIsFinal(),
        CancellingOnlyEnds(),
        CancelUnstartedImmediately(),
        RunningRequiresClaim(),
        RequeueOnlyByClaimer(),
    ]
)

TASK_RUN_POLICY = Policy(
    [
        IgnoreRepeatedReport(),
        RejectStaleVersion(),
        TaskRunNeedsActiveFlowRun(),
        FinishedIsFinal(),
        CancellingOnlyEnds(),
        # Last: they change the batch's slot ledger, so only for a change that is written.
        TakeConcurrencySlots(),
        GiveBackConcurrencySlots(),
    ]
)


def policy_for(kind: str) -> Policy:
    return FLOW_RUN_POLICY if kind == "flow_run" else TASK_RUN_POLICY


__all__ = ["FLOW_RUN_POLICY", "TASK_RUN_POLICY", "Policy", "policy_for"]
