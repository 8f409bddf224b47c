"""Each orchestration rule alone (no database), then the policies that order them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from proctor.server.errors import InvalidInput
from proctor.server.orchestration import (
    FLOW_RUN_POLICY,
    TASK_RUN_POLICY,
    ProposedState,
    RunSnapshot,
    Transition,
    apply_state,
    parse_state,
)
from proctor.server.orchestration.rules import (
    CancellingOnlyEnds,
    CancelUnstartedImmediately,
    FinishedIsFinal,
    IgnoreRepeatedReport,
    RejectStaleVersion,
    RequeueOnlyByClaimer,
    RunningRequiresClaim,
    TaskRunNeedsActiveFlowRun,
)
from proctor.server.orchestration.states import FAMILY_OF

AGENT = uuid.uuid4()
OTHER_AGENT = uuid.uuid4()
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def transition(
    current: str,
    proposed: str,
    *,
    kind: str = "flow_run",
    version: int = 3,
    expected: int | None = None,
    force: bool = False,
    agent: uuid.UUID | None = None,
    claimed_by: uuid.UUID | None = None,
    run_count: int = 0,
    flow_run_state: str | None = "Running",
    same_timestamp: bool = False,
) -> Transition:
    """A proposed transition, as the service would build it from a row."""
    snapshot = RunSnapshot(
        id=uuid.uuid4(),
        state=current,
        state_timestamp=T0,
        version=version,
        run_count=run_count,
        agent_id=claimed_by,
    )
    stamp = T0 if same_timestamp else T0 + timedelta(seconds=1)
    return Transition(
        kind=kind,  # type: ignore[arg-type]
        current=snapshot,
        proposed=ProposedState(proposed, timestamp=stamp),
        expected_version=expected,
        force=force,
        agent_id=agent,
        flow_run_state=flow_run_state if kind == "task_run" else None,
    )


def decide(rule, t: Transition):
    """What the rule says, or "n/a" when it does not apply to this transition."""
    if not rule.applies(t):
        return "n/a"
    outcome = rule.check(t)
    return "pass" if outcome is None else outcome


# -- IgnoreRepeatedReport ------------------------------------------------------------------


def test_repeated_report_is_accepted_without_writing():
    outcome = decide(IgnoreRepeatedReport(), transition("Success", "Success", same_timestamp=True))
    assert outcome.kind == "unchanged" and outcome.accepted


def test_same_state_at_another_time_is_not_a_repeat():
    assert decide(IgnoreRepeatedReport(), transition("Running", "Running")) == "pass"


# -- RejectStaleVersion ------------------------------------------------------------------


def test_stale_version_is_rejected_with_its_own_code():
    outcome = decide(RejectStaleVersion(), transition("Running", "Success", version=4, expected=3))
    assert outcome.kind == "reject"
    assert outcome.code == "STALE_VERSION"
    assert "version 4" in outcome.reason


@pytest.mark.parametrize("expected", [None, 4])
def test_current_or_unstated_version_passes(expected):
    assert (
        decide(RejectStaleVersion(), transition("Running", "Success", version=4, expected=expected))
        == "pass"
    )


# -- FinishedIsFinal ------------------------------------------------------------------


@pytest.mark.parametrize(
    "finished", ["Success", "Failed", "Cancelled", "TimedOut", "Mapped", "Skipped"]
)
@pytest.mark.parametrize("kind", ["flow_run", "task_run"])
def test_leaving_a_finished_state_is_rejected(finished, kind):
    outcome = decide(FinishedIsFinal(), transition(finished, "Running", kind=kind))
    assert outcome.kind == "reject" and outcome.code == "TRANSITION_REJECTED"
    assert finished in outcome.reason


def test_finished_is_final_does_not_apply_to_unfinished_runs():
    assert decide(FinishedIsFinal(), transition("Running", "Success")) == "n/a"


def test_a_restart_forces_its_way_out_of_a_finished_state():
    t = transition("Failed", "Scheduled", force=True)
    assert FinishedIsFinal.bypassed_by_force
    assert FLOW_RUN_POLICY.evaluate(t).kind == "accept"
    assert FLOW_RUN_POLICY.evaluate(transition("Failed", "Scheduled")).kind == "reject"


# -- CancellingOnlyEnds ------------------------------------------------------------------


@pytest.mark.parametrize("target", ["Cancelled", "Success", "Failed", "TimedOut"])
def test_cancelling_may_end(target):
    assert decide(CancellingOnlyEnds(), transition("Cancelling", target)) == "n/a"


@pytest.mark.parametrize("target", ["Running", "Scheduled", "Pending", "Paused", "Cancelling"])
def test_cancelling_may_not_go_back(target):
    outcome = decide(CancellingOnlyEnds(), transition("Cancelling", target))
    assert outcome.kind == "reject" and "being cancelled" in outcome.reason


# -- CancelUnstartedImmediately -------------------------------------------------------------


@pytest.mark.parametrize("current", ["Pending", "Scheduled", "Retrying", "Paused"])
def test_cancelling_a_run_that_is_not_running_cancels_it_at_once(current):
    outcome = decide(CancelUnstartedImmediately(), transition(current, "Cancelling"))
    assert outcome.kind == "rewrite"
    assert outcome.state.name == "Cancelled"


@pytest.mark.parametrize("current", ["Submitted", "Running"])
def test_cancelling_a_run_that_may_be_running_waits_for_it(current):
    assert decide(CancelUnstartedImmediately(), transition(current, "Cancelling")) == "n/a"


def test_cancel_rewrite_is_only_for_flow_runs():
    t = transition("Scheduled", "Cancelling", kind="task_run")
    assert decide(CancelUnstartedImmediately(), t) == "n/a"


# -- RunningRequiresClaim ------------------------------------------------------------------


def test_the_claiming_agent_starts_its_submitted_run():
    t = transition("Submitted", "Running", agent=AGENT, claimed_by=AGENT)
    assert decide(RunningRequiresClaim(), t) == "pass"


def test_another_agent_cannot_start_a_claimed_run():
    t = transition("Submitted", "Running", agent=OTHER_AGENT, claimed_by=AGENT)
    outcome = decide(RunningRequiresClaim(), t)
    assert outcome.kind == "reject" and outcome.code == "FORBIDDEN"


def test_a_claimed_run_is_not_started_anonymously():
    outcome = decide(RunningRequiresClaim(), transition("Submitted", "Running", claimed_by=AGENT))
    assert outcome.kind == "reject" and "only it may start it" in outcome.reason


def test_an_agent_must_claim_before_starting():
    outcome = decide(RunningRequiresClaim(), transition("Scheduled", "Running", agent=AGENT))
    assert outcome.kind == "reject" and "claim it" in outcome.reason


@pytest.mark.parametrize("current", ["Pending", "Scheduled"])
def test_a_direct_run_without_agent_may_start(current):
    assert decide(RunningRequiresClaim(), transition(current, "Running")) == "pass"


def test_retries_go_back_to_running():
    retrying = transition("Retrying", "Running", agent=AGENT, claimed_by=AGENT, run_count=1)
    assert decide(RunningRequiresClaim(), retrying) == "pass"
    rescheduled = transition("Scheduled", "Running", run_count=1, agent=AGENT)
    assert decide(RunningRequiresClaim(), rescheduled) == "pass"
    stolen = transition("Retrying", "Running", agent=OTHER_AGENT, claimed_by=AGENT)
    assert decide(RunningRequiresClaim(), stolen).kind == "reject"


def test_running_claim_rule_is_for_flow_runs_only():
    assert (
        decide(RunningRequiresClaim(), transition("Pending", "Running", kind="task_run")) == "n/a"
    )


# -- RequeueOnlyByClaimer ------------------------------------------------------------------


@pytest.mark.parametrize("caller", [AGENT, None])
@pytest.mark.parametrize("current", ["Submitted", "Running"])
def test_the_claimer_or_the_server_may_requeue_a_claimed_run(current, caller):
    t = transition(current, "Scheduled", agent=caller, claimed_by=AGENT, run_count=1)
    assert decide(RequeueOnlyByClaimer(), t) == "pass"
    assert FLOW_RUN_POLICY.evaluate(t).kind == "accept"


def test_another_agent_cannot_requeue_a_claimed_run():
    t = transition("Running", "Retrying", agent=OTHER_AGENT, claimed_by=AGENT, run_count=1)
    outcome = FLOW_RUN_POLICY.evaluate(t)
    assert outcome.kind == "reject" and outcome.code == "FORBIDDEN"
    assert outcome.rule == "requeue_only_by_claimer"


def test_requeue_rule_is_for_flow_runs_leaving_flight_only():
    assert decide(RequeueOnlyByClaimer(), transition("Scheduled", "Scheduled")) == "n/a"
    assert decide(RequeueOnlyByClaimer(), transition("Running", "Failed")) == "n/a"
    t = transition("Running", "Scheduled", kind="task_run")
    assert decide(RequeueOnlyByClaimer(), t) == "n/a"


# -- TaskRunNeedsActiveFlowRun ------------------------------------------------------------


@pytest.mark.parametrize("parent", ["Success", "Failed", "Cancelled"])
def test_task_runs_of_a_finished_flow_run_are_frozen(parent):
    t = transition("Running", "Success", kind="task_run", flow_run_state=parent)
    outcome = decide(TaskRunNeedsActiveFlowRun(), t)
    assert outcome.kind == "reject" and parent in outcome.reason


@pytest.mark.parametrize("parent", ["Scheduled", "Running", "Cancelling"])
def test_task_runs_of_an_active_flow_run_may_change(parent):
    t = transition("Running", "Success", kind="task_run", flow_run_state=parent)
    assert decide(TaskRunNeedsActiveFlowRun(), t) == "pass"


# -- policies -----------------------------------------------------------------------------


def test_policy_reports_which_rule_rejected():
    outcome = TASK_RUN_POLICY.evaluate(
        transition("Running", "Success", kind="task_run", flow_run_state="Failed")
    )
    assert (outcome.kind, outcome.rule) == ("reject", "task_run_needs_active_flow_run")


def test_policy_judges_a_rewritten_state_with_the_remaining_rules():
    outcome = FLOW_RUN_POLICY.evaluate(transition("Scheduled", "Cancelling"))
    assert outcome.kind == "rewrite" and outcome.state.name == "Cancelled"
    assert outcome.rule == "cancel_unstarted_immediately"


def test_a_repeat_is_accepted_even_with_a_stale_version():
    t = transition("Success", "Success", same_timestamp=True, version=5, expected=4)
    assert FLOW_RUN_POLICY.evaluate(t).kind == "unchanged"


def test_force_does_not_bypass_optimistic_concurrency():
    t = transition("Failed", "Scheduled", force=True, version=5, expected=4)
    assert FLOW_RUN_POLICY.evaluate(t).code == "STALE_VERSION"


# -- effects ------------------------------------------------------------------------------


def test_effects_track_version_times_run_count_and_claim():
    run = RunSnapshot(id=uuid.uuid4(), state="Scheduled", state_timestamp=T0, version=1)
    submitted = apply_state(
        run, ProposedState("Submitted", timestamp=T0), kind="flow_run", agent_id=AGENT
    )
    assert (submitted.version, submitted.agent_id) == (2, AGENT)
    running = apply_state(submitted, ProposedState("Running", timestamp=T0), kind="flow_run")
    assert (running.run_count, running.start_time, running.end_time) == (1, T0, None)
    done_at = T0 + timedelta(minutes=1)
    done = apply_state(running, ProposedState("Success", timestamp=done_at), kind="flow_run")
    assert (done.version, done.end_time, done.start_time) == (4, done_at, T0)
    restarted = apply_state(done, ProposedState("Scheduled", start_time=done_at), kind="flow_run")
    assert restarted.end_time is None and restarted.agent_id is None
    assert restarted.scheduled_start_time == done_at


@pytest.mark.parametrize("current", ["Submitted", "Running"])
def test_requeued_run_loses_its_claim(current):
    run = RunSnapshot(id=uuid.uuid4(), state=current, agent_id=AGENT, version=2)
    later = T0 + timedelta(hours=1)
    requeued = apply_state(run, ProposedState("Scheduled", start_time=later), kind="flow_run")
    assert (requeued.agent_id, requeued.scheduled_start_time) == (None, later)


# -- parsing what clients send -------------------------------------------------------------


def test_states_from_the_engine_parse():
    from proctor.core.states import Retrying

    state = parse_state(Retrying("again", start_time=T0.timestamp(), run_count=2).to_dict())
    assert (state.name, state.type, state.run_count, state.start_time) == (
        "Retrying",
        "Scheduled",
        2,
        T0,
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"type": "Exploded"}, "type must be one of"),
        ({"type": "Running", "timestamp": "yesterday"}, "ISO-8601"),
        ({"type": "Running", "message": 3}, "message must be a string"),
        ({"type": "Retrying", "run_count": -1}, "run_count"),
        ("Running", "must be an object"),
    ],
)
def test_malformed_states_are_refused_with_the_field_named(raw, message):
    with pytest.raises(InvalidInput, match=message):
        parse_state(raw)


def test_every_engine_state_has_a_family():
    assert FAMILY_OF["TimedOut"] == "Failed"
    assert FAMILY_OF["Mapped"] == "Success"
    assert FAMILY_OF["Retrying"] == "Scheduled"
    assert FAMILY_OF["Cancelling"] == "Cancelling"


@pytest.mark.parametrize("bad_type", [["Running"], {"a": 1}, 3, None])
def test_parse_state_rejects_a_type_that_is_not_a_state_name(bad_type):
    with pytest.raises(InvalidInput, match=r"state\.type must be one of"):
        parse_state({"type": bad_type})
