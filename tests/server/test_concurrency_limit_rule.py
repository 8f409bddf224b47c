"""The concurrency-limit rule from hand-made ledgers: no database, no server.

`SlotLedger.take` is the one decision behind a task run's Submitted/Running report with
tags, `acquireTaskRunSlots` and an agent's claim of labelled flow runs; the task-run
policy applies it through `TakeConcurrencySlots` and `GiveBackConcurrencySlots`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from proctor.server.orchestration import TASK_RUN_POLICY, RunSnapshot, evaluate
from proctor.server.orchestration.concurrency_limits import Limit, SlotLedger, Taken
from proctor.server.orchestration.states import parse_state

DB = Limit(uuid.UUID(int=1), "db", 2)
GPU = Limit(uuid.UUID(int=2), "gpu", 1)
FLOW_RUN = uuid.UUID(int=100)


def _ledger(used_db: int = 0, used_gpu: int = 0, held=None) -> SlotLedger:
    return SlotLedger({"db": DB, "gpu": GPU}, {DB.id: used_db, GPU.id: used_gpu}, dict(held or {}))


def _run(n: int) -> uuid.UUID:
    return uuid.UUID(int=1000 + n)


def test_slots_are_granted_up_to_the_limit_then_refused_with_the_usage() -> None:
    ledger = _ledger()
    assert ledger.take(_run(1), ["db"], FLOW_RUN) is None
    assert ledger.take(_run(2), ["db", "untracked"], FLOW_RUN) is None
    assert ledger.take(_run(3), ["db"], FLOW_RUN) == (
        "Waiting for a concurrency slot: db (2 of 2 in use)"
    )
    assert ledger.in_use[DB.id] == 2
    assert ledger.taken == [Taken(_run(1), FLOW_RUN, DB.id), Taken(_run(2), FLOW_RUN, DB.id)]


def test_two_limits_are_taken_together_or_not_at_all() -> None:
    ledger = _ledger(used_gpu=1)
    message = ledger.take(_run(1), ["gpu", "db"])
    assert message == "Waiting for a concurrency slot: gpu (1 of 1 in use)"
    assert ledger.in_use == {DB.id: 0, GPU.id: 1} and ledger.taken == []
    ledger = _ledger(used_db=2, used_gpu=1)
    assert ledger.take(_run(1), ["db", "gpu"]) == (
        "Waiting for a concurrency slot: db (2 of 2 in use), gpu (1 of 1 in use)"
    )


def test_a_holder_asking_again_keeps_its_slot_and_takes_no_other() -> None:
    ledger = _ledger(used_db=2, held={_run(1): {DB.id}})
    assert ledger.take(_run(1), ["db"]) is None
    assert ledger.in_use[DB.id] == 2 and ledger.taken == []


def test_a_limit_of_zero_holds_everything_and_no_limit_holds_nothing() -> None:
    zero = SlotLedger({"db": Limit(DB.id, "db", 0)}, {DB.id: 0})
    assert zero.take(_run(1), ["db"]) == "Waiting for a concurrency slot: db (0 of 0 in use)"
    assert zero.take(_run(2), ["other"]) is None and zero.taken == []


def test_a_slot_given_back_is_free_for_the_next_one_and_not_written() -> None:
    ledger = _ledger(used_db=1, held={_run(9): {DB.id}})
    assert ledger.take(_run(1), ["db"]) is None
    ledger.give_back(_run(1))  # taken, then left the holding states: nothing to write
    ledger.give_back(_run(9))  # held before: its row goes, its slot is free now
    ledger.give_back(_run(5))  # held nothing
    assert ledger.taken == [] and ledger.in_use[DB.id] == 0


# -- through the task-run policy ------------------------------------------------------------


class _Change:
    def __init__(self, key: str, state: str, tags: tuple[str, ...] | None = None) -> None:
        self.flow_run_id = FLOW_RUN
        self.slot = key
        self.state = parse_state({"type": state, "timestamp": datetime.now(UTC).isoformat()})
        self.version = None
        self.force = False
        self.agent_id = None
        self.tags = tags


def _runs(*states: tuple[str, str]) -> dict:
    return {key: RunSnapshot(id=_run(i), state=state) for i, (key, state) in enumerate(states)}


def test_a_change_to_running_with_tags_takes_a_slot_or_becomes_queued() -> None:
    runs = _runs(("a", "Pending"), ("b", "Pending"), ("c", "Pending"))
    ledger = _ledger(used_db=1)
    changes = [
        _Change("a", "Submitted", ("db",)),
        _Change("b", "Running", ("db",)),
        _Change("c", "Running"),  # no tags: an older run process; let through
    ]
    verdicts = evaluate("task_run", TASK_RUN_POLICY, runs, changes, {FLOW_RUN: "Running"}, ledger)
    assert [v.state.name for v in verdicts] == ["Submitted", "Queued", "Running"]
    queued = verdicts[1]
    assert queued.outcome is not None and queued.outcome.kind == "rewrite"
    assert queued.state.message == "Waiting for a concurrency slot: db (2 of 2 in use)"
    assert queued.outcome.rule == "take_concurrency_slots"
    assert runs["b"].state == "Queued"
    assert ledger.taken == [Taken(_run(0), FLOW_RUN, DB.id)]


def test_a_queued_task_run_refused_again_is_not_written_again() -> None:
    runs = _runs(("a", "Queued"))
    ledger = _ledger(used_db=2)
    [verdict] = evaluate(
        "task_run",
        TASK_RUN_POLICY,
        runs,
        [_Change("a", "Submitted", ("db",))],
        {FLOW_RUN: "Running"},
        ledger,
    )
    assert verdict.after is None and verdict.outcome is not None
    assert verdict.outcome.kind == "unchanged" and verdict.outcome.accepted
    assert verdict.outcome.reason == "Waiting for a concurrency slot: db (2 of 2 in use)"


def test_a_slot_freed_earlier_in_the_batch_goes_to_a_later_change() -> None:
    runs = _runs(("a", "Running"), ("b", "Queued"), ("c", "Pending"))
    ledger = _ledger(used_db=2, held={_run(0): {DB.id}, uuid.UUID(int=7): {DB.id}})
    changes = [
        _Change("c", "Submitted", ("db",)),  # still full: Queued
        _Change("a", "Success"),  # gives its slot back
        _Change("b", "Submitted", ("db",)),  # takes it
    ]
    verdicts = evaluate("task_run", TASK_RUN_POLICY, runs, changes, {FLOW_RUN: "Running"}, ledger)
    assert [v.state.name for v in verdicts] == ["Queued", "Success", "Submitted"]
    assert ledger.taken == [Taken(_run(1), FLOW_RUN, DB.id)] and ledger.in_use[DB.id] == 2


def test_a_refused_change_takes_no_slot() -> None:
    runs = _runs(("a", "Pending"))
    ledger = _ledger()
    [verdict] = evaluate(
        "task_run",
        TASK_RUN_POLICY,
        runs,
        [_Change("a", "Running", ("db",))],
        {FLOW_RUN: "Failed"},  # the flow run finished: refused before the slot rule
        ledger,
    )
    assert verdict.outcome is not None and not verdict.outcome.accepted
    assert ledger.taken == [] and ledger.in_use[DB.id] == 0


def test_the_slot_rules_end_the_task_run_policy_and_need_a_ledger() -> None:
    names = [rule.name for rule in TASK_RUN_POLICY.rules]
    assert names[-2:] == ["take_concurrency_slots", "give_back_concurrency_slots"]
    runs = _runs(("a", "Pending"))
    # No ledger: no tag of the batch is limited (or none was sent); nothing is judged.
    [verdict] = evaluate(
        "task_run", TASK_RUN_POLICY, runs, [_Change("a", "Running", ("db",))], {FLOW_RUN: "Running"}
    )
    assert verdict.state.name == "Running" and verdict.outcome is not None
    assert verdict.outcome.kind == "accept"
