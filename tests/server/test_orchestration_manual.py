"""The rules of states set by hand, each alone (no database), then their policies."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from proctor.server.orchestration import ProposedState, RunSnapshot, Transition
from proctor.server.orchestration.manual import (
    MANUAL_FLOW_RUN_POLICY,
    MANUAL_TASK_RUN_POLICY,
    AlreadyInState,
    ManualCancelStopsTheProcess,
    OnlyManualStates,
    TaskRunOfIdleFlowRun,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def by_hand(current: str, proposed: str, *, kind: str = "flow_run", parent: str | None = None):
    run = RunSnapshot(id=uuid.uuid4(), state=current, state_timestamp=T0, version=2)
    return Transition(
        kind=kind,  # type: ignore[arg-type]
        current=run,
        proposed=ProposedState(proposed, "Marked by hand: why"),
        force=True,
        flow_run_state=parent,
    )


@pytest.mark.parametrize("state", ["Running", "Pending", "Scheduled", "Retrying", "Cached"])
def test_only_end_states_can_be_set_by_hand(state):
    outcome = OnlyManualStates().check(by_hand("Failed", state))
    assert outcome is not None and outcome.code == "INVALID_INPUT"


@pytest.mark.parametrize("state", ["Success", "Failed", "Cancelled", "Skipped"])
def test_the_four_end_states_pass(state):
    assert OnlyManualStates().check(by_hand("Running", state)) is None


def test_the_state_a_run_is_in_is_refused_another_of_its_family_is_not():
    refused = AlreadyInState().check(by_hand("Failed", "Failed"))
    assert refused is not None and refused.reason == "The run is already Failed."
    assert AlreadyInState().check(by_hand("TriggerFailed", "Failed")) is None
    assert AlreadyInState().check(by_hand("Success", "Skipped")) is None


@pytest.mark.parametrize(
    ("current", "expected"),
    [("Running", "Cancelling"), ("Submitted", "Cancelling"), ("Scheduled", "Cancelled"),
     ("Pending", "Cancelled"), ("Failed", "Cancelled"), ("Cancelling", "Cancelled")],
)  # fmt: skip
def test_cancelled_by_hand_asks_a_running_process_to_stop(current, expected):
    outcome = MANUAL_FLOW_RUN_POLICY.evaluate(by_hand(current, "Cancelled"))
    assert outcome.accepted and outcome.state is not None
    assert outcome.state.name == expected
    assert outcome.state.message == "Marked by hand: why"  # the reason survives a rewrite
    assert ManualCancelStopsTheProcess().applies(by_hand(current, "Cancelled")) == (
        expected == "Cancelling"
    )


@pytest.mark.parametrize(
    ("parent", "refused"),
    [("Running", True), ("Submitted", True), ("Cancelling", True), ("Failed", False),
     ("Success", False), ("Scheduled", False), ("Pending", False), ("TriggerFailed", False)],
)  # fmt: skip
def test_task_runs_are_marked_only_while_no_process_runs_their_flow_run(parent, refused):
    transition = by_hand("Success", "Failed", kind="task_run", parent=parent)
    outcome = TaskRunOfIdleFlowRun().check(transition)
    assert (outcome is not None) == refused
    assert MANUAL_TASK_RUN_POLICY.evaluate(transition).accepted is not refused


def test_a_finished_flow_run_may_be_marked_otherwise():
    for current, proposed in [
        ("Failed", "Success"),
        ("Success", "Failed"),
        ("Cancelled", "Skipped"),
    ]:
        outcome = MANUAL_FLOW_RUN_POLICY.evaluate(by_hand(current, proposed))
        assert outcome.kind == "accept", (current, proposed)
