"""`evaluate`: a batch of changes judged in order against the current rows (no database)."""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from datetime import UTC, datetime, timedelta

from tests.server.orchestration_changes import Change

from proctor.server.orchestration import FLOW_RUN_POLICY, TASK_RUN_POLICY, ProposedState
from proctor.server.orchestration.evaluate import evaluate
from proctor.server.orchestration.transition import RunSnapshot

T0 = datetime(2026, 1, 1, tzinfo=UTC)
AGENT = uuid.uuid4()


def task(
    run_id: uuid.UUID,
    key: tuple[str, int],
    new: ProposedState,
    version: int | None = None,
    force: bool = False,
) -> Change:
    return Change(run_id, (run_id, key), new, version, force)


def flow(
    run_id: uuid.UUID,
    new: ProposedState,
    version: int | None = None,
    agent: uuid.UUID | None = None,
) -> Change:
    return Change(run_id, run_id, new, version, False, agent)


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def state(name: str, seconds: int, **fields: object) -> ProposedState:
    return ProposedState(name, timestamp=at(seconds), **fields)  # type: ignore[arg-type]


def pending(*slots: Hashable) -> dict[Hashable, RunSnapshot]:
    """Task runs that do not exist yet (Pending in memory), as the service reads them."""
    return {slot: RunSnapshot(uuid.uuid4(), "Pending", T0) for slot in slots}


# -- evaluate ---------------------------------------------------------------------------------


def test_a_batch_is_judged_step_by_step_against_what_the_earlier_changes_left():
    run_id = uuid.uuid4()
    slot = (run_id, ("double", 0))
    runs, parents = pending(slot), {run_id: "Running"}
    changes = [
        task(run_id, ("double", 0), state("Running", 1), None, False),
        task(run_id, ("double", 0), state("Success", 2, result_location="r/1"), None, False),
    ]
    verdicts = evaluate("task_run", TASK_RUN_POLICY, runs, changes, parents)
    assert [v.written for v in verdicts] == [True, True]
    first, second = verdicts
    assert first.before is not None and first.before.state == "Pending"
    assert second.before is first.after  # the second change saw the first one's row
    final = runs[slot]
    assert (final.state, final.version, final.run_count) == ("Success", 2, 1)
    assert (final.start_time, final.end_time, final.result_location) == (at(1), at(2), "r/1")


def test_an_unknown_run_gets_a_verdict_without_a_decision_and_the_rest_still_apply():
    known, unknown = uuid.uuid4(), uuid.uuid4()
    runs, parents = pending((known, ("a", -1))), {known: "Running"}
    changes = [
        task(unknown, ("a", -1), state("Running", 1), None, False),
        task(known, ("a", -1), state("Running", 1), None, False),
    ]
    missing, applied = evaluate("task_run", TASK_RUN_POLICY, runs, changes, parents)
    assert (missing.outcome, missing.before, missing.after) == (None, None, None)
    assert applied.written


def test_refused_and_repeated_changes_leave_the_row_as_it_was():
    run = RunSnapshot(uuid.uuid4(), "Running", at(1), version=4, run_count=1, start_time=at(1))
    runs = {run.id: run}
    stale = flow(run.id, state("Success", 2), 3, None)
    repeat = flow(run.id, state("Running", 1), None, None)
    refused, repeated = evaluate("flow_run", FLOW_RUN_POLICY, runs, [stale, repeat])
    assert refused.outcome is not None and refused.outcome.code == "STALE_VERSION"
    assert repeated.outcome is not None and repeated.outcome.kind == "unchanged"
    assert not refused.written and not repeated.written
    assert runs[run.id] is run


def test_task_runs_of_a_finished_flow_run_are_frozen_unless_forced():
    run_id = uuid.uuid4()
    slot = (run_id, ("a", -1))
    runs, parents = pending(slot), {run_id: "Failed"}
    late = task(run_id, ("a", -1), state("Running", 1), None, False)
    reset = task(run_id, ("a", -1), state("Running", 1), None, True)
    refused, forced = evaluate("task_run", TASK_RUN_POLICY, runs, [late, reset], parents)
    assert refused.outcome is not None and refused.outcome.kind == "reject"
    assert forced.written


def test_a_claim_records_the_agent_that_made_it():
    run = RunSnapshot(uuid.uuid4(), "Scheduled", at(0), version=1)
    runs = {run.id: run}
    [verdict] = evaluate(
        "flow_run",
        FLOW_RUN_POLICY,
        runs,
        [flow(run.id, state("Submitted", 1), None, AGENT)],
    )
    assert verdict.after is not None and verdict.after.agent_id == AGENT
