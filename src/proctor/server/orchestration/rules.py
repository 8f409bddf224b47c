"""The orchestration rules: small checks, each declaring which transitions it looks at.

A rule says which run kinds (`applies_to`) and which from/to state families
(`from_types`, `to_types`; None = any) it applies to, and `check()` returns an `Outcome`
(reject, rewrite, unchanged) or None for "no objection". Rules with
`bypassed_by_force = True` step aside for an explicit restart (`force=True`).

Rules never touch the database: the service loads a `RunSnapshot`, the policy
(`policy.py`) runs the rules in order, and the service writes what was accepted.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from proctor.server.orchestration.states import FAMILIES, FINISHED_FAMILIES, FINISHED_STATES
from proctor.server.orchestration.transition import Outcome, RunKind, Transition

ANY_KIND: frozenset[RunKind] = frozenset({"flow_run", "task_run"})
NOT_FINISHED = FAMILIES - FINISHED_FAMILIES


class Rule(ABC):
    """Base of every rule; subclasses set the class attributes and `check()`."""

    name: ClassVar[str]
    applies_to: ClassVar[frozenset[RunKind]] = ANY_KIND
    from_types: ClassVar[frozenset[str] | None] = None
    to_types: ClassVar[frozenset[str] | None] = None
    bypassed_by_force: ClassVar[bool] = False
    #: Judges against the batch's concurrency-limit ledger (`Transition.slots`): nothing
    #: to do, and not run, when the batch has none.
    needs_slots: ClassVar[bool] = False

    def applies(self, transition: Transition) -> bool:
        return (
            transition.kind in self.applies_to
            and (self.from_types is None or transition.from_type in self.from_types)
            and (self.to_types is None or transition.to_type in self.to_types)
        )

    @abstractmethod
    def check(self, transition: Transition) -> Outcome | None:
        """None to let the transition through, or an outcome (reject, rewrite, ...)."""

    def reject(self, reason: str, code: str = "TRANSITION_REJECTED") -> Outcome:
        return Outcome.reject(code, reason, rule=self.name)

    def __repr__(self) -> str:
        return f"<rule {self.name}>"


class IgnoreRepeatedReport(Rule):
    """The exact state the run is in (same name, same timestamp) is a repeated report,
    e.g. a client re-sending a batch whose response it lost: accept it, write nothing.
    This keeps retried flushes idempotent even though their versions are now stale."""

    name = "ignore_repeated_report"

    def check(self, transition: Transition) -> Outcome | None:
        current = transition.current
        proposed = transition.proposed
        if current.state == proposed.name and current.state_timestamp == proposed.timestamp:
            return Outcome.unchanged("The run is already in this state.", rule=self.name)
        return None


class RejectStaleVersion(Rule):
    """Optimistic concurrency: a caller that says which version it last saw is refused
    if the run has changed since (it must re-read and decide again)."""

    name = "reject_stale_version"

    def check(self, transition: Transition) -> Outcome | None:
        expected = transition.expected_version
        current = transition.current
        if expected is not None and expected != current.version:
            return self.reject(
                f"Version {expected} is stale: the run is at version {current.version} "
                f"({current.state}). Re-read it and try again.",
                code="STALE_VERSION",
            )
        return None


class FinishedIsFinal(Rule):
    """A finished run stays finished; only an explicit restart (`force`) reopens it."""

    name = "finished_is_final"
    from_types = FINISHED_FAMILIES
    bypassed_by_force = True

    def check(self, transition: Transition) -> Outcome | None:
        state = transition.current.state
        return self.reject(
            f"The run already finished ({state}); only a restart can change its state."
        )


class CancellingOnlyEnds(Rule):
    """A run being cancelled may only end: Cancelled, or another finished state (it may
    complete or fail before the cancellation reaches it)."""

    name = "cancelling_only_ends"
    from_types = frozenset({"Cancelling"})
    to_types = NOT_FINISHED
    bypassed_by_force = True

    def check(self, transition: Transition) -> Outcome | None:
        return self.reject(
            f"The run is being cancelled; it can only finish, not become "
            f"{transition.proposed.name}."
        )


class CancelUnstartedImmediately(Rule):
    """Cancelling a flow run that is not running (nothing to stop) cancels it at once."""

    name = "cancel_unstarted_immediately"
    applies_to = frozenset({"flow_run"})
    from_types = frozenset({"Pending", "Scheduled", "Paused"})
    to_types = frozenset({"Cancelling"})

    def check(self, transition: Transition) -> Outcome | None:
        cancelled = transition.proposed.with_name(
            "Cancelled", transition.proposed.message or "Cancelled before it started."
        )
        return Outcome.rewrite(cancelled, "Nothing is running: cancelled at once.", self.name)


class RunningRequiresClaim(Rule):
    """A flow run is started only by the agent that claimed it.

    - Claimed run (`agent_id` set by the claim, state Submitted): only that agent may set
      Running; it identifies itself with `agent_id` in the change.
    - Unclaimed run: a caller that is not an agent (a flow run started directly, e.g.
      `proctor run` of a registered flow) may set Running; an agent may not (it must
      claim the run first, so two agents never start the same run).
    - Retries (Retrying, or Scheduled again after having run) may go back to Running by
      the process that runs them, agent or not, unless another agent holds the claim.
    """

    name = "running_requires_claim"
    applies_to = frozenset({"flow_run"})
    from_types = NOT_FINISHED
    to_types = frozenset({"Running"})

    def check(self, transition: Transition) -> Outcome | None:
        current = transition.current
        claimed = current.agent_id
        caller = transition.agent_id
        retry = current.state == "Retrying" or (
            current.state_type == "Scheduled" and current.run_count > 0
        )
        if claimed is not None and caller is not None and caller != claimed:
            return self.reject(
                f"Agent {caller} cannot start this run: agent {claimed} claimed it.",
                code="FORBIDDEN",
            )
        if claimed is not None:
            if caller is None and not retry:
                return self.reject(
                    f"Agent {claimed} claimed this run; only it may start it (send its agent_id)."
                )
            return None
        if caller is not None and not retry:
            return self.reject(
                f"Agent {caller} has not claimed this run; claim it before starting it."
            )
        return None


class RequeueOnlyByClaimer(Rule):
    """A claimed flow run goes back to the queue (Scheduled: a flow-level retry, a task
    retry delayed too long to wait in the process, an agent handing back runs it will
    not start) only at the request of the agent that claimed it, or of the server
    (Lazarus, an API user: callers that are not agents). Another agent may not take a
    run away from its claimer. The claim is cleared by the change (see effects.py)."""

    name = "requeue_only_by_claimer"
    applies_to = frozenset({"flow_run"})
    from_types = frozenset({"Submitted", "Running", "Paused"})
    to_types = frozenset({"Scheduled", "Pending"})

    def check(self, transition: Transition) -> Outcome | None:
        claimed = transition.current.agent_id
        caller = transition.agent_id
        if claimed is not None and caller is not None and caller != claimed:
            return self.reject(
                f"Agent {caller} cannot re-queue this run: agent {claimed} claimed it.",
                code="FORBIDDEN",
            )
        return None


class TaskRunNeedsActiveFlowRun(Rule):
    """Task runs of a finished flow run are frozen (a late report from a dead process
    must not rewrite history); a restart (`force`) may reset them."""

    name = "task_run_needs_active_flow_run"
    applies_to = frozenset({"task_run"})
    bypassed_by_force = True

    def check(self, transition: Transition) -> Outcome | None:
        parent = transition.flow_run_state
        if parent in FINISHED_STATES:
            return self.reject(f"The flow run already finished ({parent}).")
        return None


__all__ = [
    "CancelUnstartedImmediately",
    "CancellingOnlyEnds",
    "FinishedIsFinal",
    "IgnoreRepeatedReport",
    "RejectStaleVersion",
    "RequeueOnlyByClaimer",
    "Rule",
    "RunningRequiresClaim",
    "TaskRunNeedsActiveFlowRun",
]
