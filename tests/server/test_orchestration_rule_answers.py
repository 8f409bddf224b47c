"""What each rule tells the caller: the reason a client shows, the rule it names, the state
it writes instead. `test_orchestration_rules.py` checks the decisions; these pin the
answers that go back to agents, the UI and the audit of a refused change, and the retry
paths of the claim rule that a claimed-by-the-caller case does not reach."""

from __future__ import annotations

from dataclasses import replace

from tests.server.test_orchestration_rules import AGENT, OTHER_AGENT, decide, transition

from proctor.server.orchestration.rules import (
    CancelUnstartedImmediately,
    IgnoreRepeatedReport,
    RequeueOnlyByClaimer,
    RunningRequiresClaim,
)
from proctor.server.orchestration.states import FAMILY_OF


def test_a_repeated_report_says_so_and_names_its_rule():
    outcome = decide(IgnoreRepeatedReport(), transition("Running", "Running", same_timestamp=True))
    assert outcome.kind == "unchanged"
    assert outcome.reason == "The run is already in this state."
    assert outcome.rule == "ignore_repeated_report"


def test_cancelling_an_unstarted_run_keeps_the_callers_message():
    t = transition("Scheduled", "Cancelling")
    asked = replace(t, proposed=replace(t.proposed, message="stopped by the night shift"))
    told = decide(CancelUnstartedImmediately(), asked)
    assert told.state.name == "Cancelled"
    assert told.state.message == "stopped by the night shift"


def test_cancelling_an_unstarted_run_without_a_message_says_why():
    outcome = decide(CancelUnstartedImmediately(), transition("Pending", "Cancelling"))
    assert outcome.kind == "rewrite" and outcome.rule == "cancel_unstarted_immediately"
    assert outcome.state.message == "Cancelled before it started."
    assert outcome.reason == "Nothing is running: cancelled at once."


def test_a_retrying_run_goes_back_to_running_without_naming_its_agent():
    # A claimed run in Retrying is restarted by the process that runs it, which may not
    # send the agent's id: allowed because it is a retry (not because of the claim).
    claimed = transition("Retrying", "Running", claimed_by=AGENT)
    assert decide(RunningRequiresClaim(), claimed) == "pass"
    # Unclaimed and never run: only "Retrying" itself says it is a retry.
    assert FAMILY_OF["Retrying"] == "Scheduled"
    unclaimed = transition("Retrying", "Running", agent=AGENT, run_count=0)
    assert decide(RunningRequiresClaim(), unclaimed) == "pass"


def test_a_first_start_of_a_scheduled_run_is_no_retry():
    claimed = transition("Scheduled", "Running", claimed_by=AGENT, run_count=0)
    assert decide(RunningRequiresClaim(), claimed).kind == "reject"
    rerun = transition("Scheduled", "Running", claimed_by=AGENT, run_count=1)
    assert decide(RunningRequiresClaim(), rerun) == "pass"


def test_a_refused_start_names_both_agents():
    t = transition("Submitted", "Running", agent=OTHER_AGENT, claimed_by=AGENT)
    outcome = decide(RunningRequiresClaim(), t)
    assert outcome.rule == "running_requires_claim"
    assert outcome.reason == f"Agent {OTHER_AGENT} cannot start this run: agent {AGENT} claimed it."


def test_a_refused_start_without_agent_names_the_claimer():
    outcome = decide(RunningRequiresClaim(), transition("Submitted", "Running", claimed_by=AGENT))
    assert outcome.code == "TRANSITION_REJECTED"
    assert outcome.reason == (
        f"Agent {AGENT} claimed this run; only it may start it (send its agent_id)."
    )


def test_an_unclaimed_start_by_an_agent_says_to_claim_first():
    outcome = decide(RunningRequiresClaim(), transition("Pending", "Running", agent=AGENT))
    assert outcome.code == "TRANSITION_REJECTED"
    assert outcome.reason == f"Agent {AGENT} has not claimed this run; claim it before starting it."


def test_a_refused_requeue_names_both_agents():
    t = transition("Running", "Scheduled", agent=OTHER_AGENT, claimed_by=AGENT, run_count=1)
    outcome = decide(RequeueOnlyByClaimer(), t)
    assert outcome.code == "FORBIDDEN" and outcome.rule == "requeue_only_by_claimer"
    assert outcome.reason == (
        f"Agent {OTHER_AGENT} cannot re-queue this run: agent {AGENT} claimed it."
    )
