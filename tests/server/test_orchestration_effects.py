"""The after-write effects of state changes: the rows, events and slot choices they make
from a batch's verdicts, without a database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from tests.server.orchestration_changes import Change

from proctor.server.orchestration import FLOW_RUN_POLICY, TASK_RUN_POLICY, ProposedState
from proctor.server.orchestration.evaluate import Verdict, evaluate
from proctor.server.orchestration.transition import RunSnapshot
from proctor.server.services._transitions import FLOW_RUN_EFFECTS, TASK_RUN_EFFECTS, Batch
from proctor.server.services._transitions.effects import (
    FlowRunHistory,
    FlowRunRows,
    Heartbeat,
    SlotRelease,
    StateEvents,
    TaskRunHistory,
    TaskRunRows,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TENANT = uuid.uuid4()
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


def task_batch(*slots: tuple[uuid.UUID, tuple[str, int]], parents: dict[uuid.UUID, str]) -> Batch:
    """Task runs that do not exist yet (Pending in memory), as `read_batch` leaves them."""
    runs = {slot: RunSnapshot(uuid.uuid4(), "Pending", T0) for slot in slots}
    return Batch(
        "task_run",
        TENANT,
        at(100),
        dict(runs),
        sorted(parents),
        parents=parents,
        new_slots=list(slots),
        created={run_id: sum(1 for s in slots if s[0] == run_id) for run_id in parents},
    )


def flow_batch(*runs: RunSnapshot) -> Batch:
    table = {run.id: run for run in runs}
    return Batch("flow_run", TENANT, at(100), dict(table), sorted(table), stored=set(table))


# -- effects ----------------------------------------------------------------------------------


def run_task_changes(batch: Batch, *changes: Change) -> list[Verdict]:
    verdicts = evaluate("task_run", TASK_RUN_POLICY, batch.runs, changes, batch.parents)
    return batch.record(verdicts)


def test_effects_are_declared_once_per_kind_in_writing_order():
    assert [e.name for e in TASK_RUN_EFFECTS] == [
        "heartbeat",
        "rows",
        "history",
        "slots_taken",
        "slots",
        "events",
    ]
    assert [e.name for e in FLOW_RUN_EFFECTS] == ["rows", "history", "slots", "events"]


def test_a_new_task_run_is_inserted_once_then_updated_and_one_never_changed_stays_pending():
    run_id = uuid.uuid4()
    a, b = (run_id, ("a", 0)), (run_id, ("a", 1))
    batch = task_batch(a, b, parents={run_id: "Running"})
    rows = TaskRunRows()
    first = run_task_changes(batch, task(run_id, ("a", 0), state("Running", 1), None, False))
    inserted, updated = rows.chunk(batch, first)
    assert [(r[3], r[4], r[6], r[10]) for r in inserted.rows] == [("a", 0, "Running", 1)]
    assert updated.rows == []
    second = run_task_changes(
        batch, task(run_id, ("a", 0), state("Success", 2, message="done"), None, False)
    )
    inserted, updated = rows.chunk(batch, second)
    assert inserted.rows == []
    assert [(r[6], r[8], r[10]) for r in updated.rows] == [("Success", "done", 2)]
    # ("a", 1) was named but never changed: stored Pending at the end, version 0.
    assert [(r[4], r[6], r[10]) for r in rows.unwritten(batch)] == [(1, "Pending", 0)]


def test_history_has_one_row_per_accepted_change_with_the_version_it_made():
    run_id = uuid.uuid4()
    batch = task_batch((run_id, ("a", -1)), parents={run_id: "Running"})
    written = run_task_changes(
        batch,
        task(run_id, ("a", -1), state("Running", 1), None, False),
        task(run_id, ("a", -1), state("Running", 1), None, False),  # a repeat: no row
        task(run_id, ("a", -1), state("Failed", 2, message="boom"), None, False),
    )
    [write] = TaskRunHistory().chunk(batch, written)
    # task_run_id, flow_run_id, state, message, version, run_count
    assert [(r[3], r[4], r[6], r[10], r[11]) for r in write.rows] == [
        (run_id, "Running", None, 1, 1),
        (run_id, "Failed", "boom", 2, 1),
    ]
    assert len({r[0] for r in write.rows}) == 2  # each row its own id


def test_a_flow_run_row_stamps_its_heartbeat_and_keeps_the_last_message():
    run = RunSnapshot(uuid.uuid4(), "Submitted", at(0), version=2, agent_id=AGENT)
    batch = flow_batch(run)
    changes = [
        flow(run.id, state("Running", 1, message="go"), None, AGENT),
        flow(run.id, state("Success", 2, message="fine"), None, AGENT),
    ]
    written = batch.record(evaluate("flow_run", FLOW_RUN_POLICY, batch.runs, changes))
    [update] = FlowRunRows().chunk(batch, written)
    [row] = update.rows
    assert (row[0], row[1], row[3], row[5]) == (run.id, "Success", "fine", 4)
    assert row[-2:] == (batch.now, batch.now)  # heartbeat, updated
    [history] = FlowRunHistory().chunk(batch, written)
    assert [(r[3], r[9]) for r in history.rows] == [("Running", 3), ("Success", 4)]


def test_only_runs_that_stopped_holding_give_their_slots_back():
    running, done = uuid.uuid4(), uuid.uuid4()
    batch = task_batch(
        (running, ("a", -1)), (done, ("a", -1)), parents={running: "Running", done: "Running"}
    )
    run_task_changes(
        batch,
        task(running, ("a", -1), state("Running", 1), None, False),
        task(done, ("a", -1), state("Running", 1), None, False),
        task(done, ("a", -1), state("Success", 2), None, False),
    )
    stopped = SlotRelease("task_run").stopped(batch)
    assert stopped == [batch.runs[(done, ("a", -1))].id]

    paused = RunSnapshot(uuid.uuid4(), "Running", at(0), version=1, run_count=1)
    flows = flow_batch(paused)
    flows.record(
        evaluate(
            "flow_run",
            FLOW_RUN_POLICY,
            flows.runs,
            [flow(paused.id, state("Paused", 1), None, None)],
        )
    )
    assert SlotRelease("flow_run").stopped(flows) == [paused.id]


def test_task_run_events_count_per_flow_run_and_skip_quiet_ones():
    busy, created_only, quiet = sorted(uuid.uuid4() for _ in range(3))
    batch = task_batch(
        (busy, ("a", -1)),
        (created_only, ("b", -1)),
        parents={busy: "Running", created_only: "Running", quiet: "Running"},
    )
    run_task_changes(
        batch,
        task(busy, ("a", -1), state("Running", 1), None, False),
        task(created_only, ("b", -1), state("Running", 1), 7, False),  # stale: refused
    )
    events = StateEvents("task_run").events(batch)
    assert [(e.kind, e.flow_run_id, e.data) for e in events] == [
        ("task_runs.state", str(busy), {"accepted": 1, "created": 1}),
        ("task_runs.state", str(created_only), {"accepted": 0, "created": 1}),
    ]


def test_flow_run_events_carry_the_final_state_once_per_run():
    run = RunSnapshot(uuid.uuid4(), "Scheduled", at(0), version=1)
    batch = flow_batch(run)
    changes = [
        flow(run.id, state("Submitted", 1), None, AGENT),
        flow(run.id, state("Running", 2), None, AGENT),
    ]
    batch.record(evaluate("flow_run", FLOW_RUN_POLICY, batch.runs, changes))
    [event] = StateEvents("flow_run").events(batch)
    assert (event.kind, event.flow_run_id) == ("flow_run.state", str(run.id))
    assert event.data == {"state": "Running", "state_type": "Running", "version": 3}


def test_the_server_s_own_changes_do_not_refresh_heartbeats():
    run_id = uuid.uuid4()
    batch = task_batch((run_id, ("a", -1)), parents={run_id: "Running"})
    [write] = Heartbeat().before(batch)
    assert write.rows == [(run_id, batch.now)]
    batch.touch_heartbeat = False
    assert Heartbeat().before(batch) == []
