"""What the rules of states set by hand tell the person they refuse (docs/server.md,
"States set by hand"). `tests/server/test_orchestration_manual.py` checks which marks
pass; these check that a refusal says what may be done instead, and that a rewritten
Cancelled names the rule that rewrote it, as every rule outcome does."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest

from proctor.server.orchestration import ProposedState, RunSnapshot, Transition
from proctor.server.orchestration.manual import (
    MANUAL_FLOW_RUN_POLICY,
    MANUAL_TASK_RUN_POLICY,
    ManualCancelStopsTheProcess,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def marking(current: str, proposed: str, *, kind: str = "flow_run", parent: str | None = None):
    return Transition(
        kind=kind,  # type: ignore[arg-type]
        current=RunSnapshot(id=uuid.uuid4(), state=current, state_timestamp=T0, version=1),
        proposed=ProposedState(proposed, "Marked by hand by ana: checked"),
        force=True,
        flow_run_state=parent,
    )


@pytest.mark.parametrize("policy", [MANUAL_FLOW_RUN_POLICY, MANUAL_TASK_RUN_POLICY])
def test_a_state_that_cannot_be_set_by_hand_names_the_four_that_can(policy):
    outcome = policy.evaluate(marking("Failed", "Running", parent="Failed"))
    assert not outcome.accepted and outcome.code == "INVALID_INPUT"
    assert outcome.reason is not None
    # It names the four end states (docs/server.md), each as a word, and what was asked.
    words = set(re.findall(r"\w+", outcome.reason))
    assert {"Success", "Failed", "Cancelled", "Skipped", "Running"} <= words


@pytest.mark.parametrize("parent", ["Submitted", "Running", "Cancelling"])
def test_a_task_run_under_a_running_process_is_refused_saying_what_to_do(parent):
    outcome = MANUAL_TASK_RUN_POLICY.evaluate(
        marking("Running", "Failed", kind="task_run", parent=parent)
    )
    assert not outcome.accepted and outcome.code == "TRANSITION_REJECTED"
    assert outcome.reason is not None
    assert f"The flow run is {parent}" in outcome.reason
    assert "Mark or cancel the flow run, or wait until it ends." in outcome.reason


@pytest.mark.parametrize("current", ["Submitted", "Running"])
def test_cancelled_on_a_running_flow_run_is_rewritten_by_a_named_rule(current):
    outcome = MANUAL_FLOW_RUN_POLICY.evaluate(marking(current, "Cancelled"))
    assert outcome.accepted and outcome.state is not None
    assert outcome.state.name == "Cancelling"
    # Like every rewrite, it names the rule that made it and gives a reason.
    assert outcome.rule == ManualCancelStopsTheProcess.name
    assert outcome.reason and "stop" in outcome.reason
