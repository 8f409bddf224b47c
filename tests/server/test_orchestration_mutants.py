"""The transition engine's edges as a caller sees them, without a database: the state a
run is left in, its run count, times and claim, the history rows, the reasons given,
and the errors a malformed state gets.

Each test pins down one decision the mutation run (`benchmarks/mutation.py --suite
orchestration`) found unchecked."""

from __future__ import annotations

import time
import uuid
from collections.abc import Hashable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from tests.server.orchestration_changes import Change

from proctor.server.errors import InvalidInput
from proctor.server.orchestration import (
    FLOW_RUN_POLICY,
    TASK_RUN_POLICY,
    Outcome,
    ProposedState,
    RunSnapshot,
    Transition,
    evaluate,
)
from proctor.server.orchestration.concurrency_limits import (
    GiveBackConcurrencySlots,
    Limit,
    SlotLedger,
    Taken,
)
from proctor.server.orchestration.policy import Policy, policy_for
from proctor.server.orchestration.rules import FinishedIsFinal, Rule
from proctor.server.orchestration.states import is_finished, parse_state
from proctor.server.services._transitions import Batch
from proctor.server.services._transitions.effects import FlowRunHistory, TaskRunHistory

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TENANT = uuid.UUID(int=1)
AGENT = uuid.UUID(int=2)
FLOW_RUN = uuid.UUID(int=3)
DB = Limit(uuid.UUID(int=4), "db", 1)


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def state(name: str, seconds: int, **fields: object) -> ProposedState:
    return ProposedState(name, timestamp=at(seconds), **fields)


def move_flow_run(run: RunSnapshot, *changes: Change) -> RunSnapshot:
    """The flow run after `changes` (each of which must be written)."""
    runs: dict[Hashable, RunSnapshot] = {run.id: run}
    verdicts = evaluate("flow_run", FLOW_RUN_POLICY, runs, changes)
    assert [v.written for v in verdicts] == [True] * len(changes)
    return runs[run.id]


def to(run: RunSnapshot, new: ProposedState, agent: uuid.UUID | None = None) -> Change:
    assert run.id is not None
    return Change(run.id, run.id, new, agent_id=agent)


# -- parsing what clients send ----------------------------------------------------------------


def refusal(raw: object, where: str = "state") -> dict[str, object]:
    with pytest.raises(InvalidInput) as caught:
        parse_state(raw, where=where)
    return caught.value.to_dict()


def test_an_unknown_state_type_is_refused_listing_the_known_ones_and_naming_the_field():
    assert refusal({"type": "Done"}, where="states[2]") == {
        "code": "INVALID_INPUT",
        "message": "states[2].type must be one of Cached, Cancelled, Cancelling, Failed, "
        "Finished, Mapped, Paused, Pending, Queued, Retrying, Running, Scheduled, Skipped, "
        "Submitted, Success, TimedOut, TriggerFailed; got 'Done'",
        "details": {"field": "states[2].type"},
    }


def test_a_message_is_kept_up_to_ten_thousand_characters_and_cut_with_an_ellipsis_after():
    assert parse_state({"type": "Failed", "message": "boom"}).message == "boom"
    exact = "x" * 10_000
    assert parse_state({"type": "Failed", "message": exact}).message == exact
    cut = parse_state({"type": "Failed", "message": "y" * 9_999 + "zz"}).message
    assert cut == "y" * 9_999 + "…"


def test_a_result_location_that_is_not_text_is_refused():
    assert refusal({"type": "Success", "result_location": 7})["message"] == (
        "state.result_location must be a string"
    )


@pytest.mark.parametrize("run_count", ["3", True, -1, 2.0])
def test_a_run_count_must_be_a_non_negative_integer(run_count: object):
    assert refusal({"type": "Running", "run_count": run_count})["message"] == (
        "state.run_count must be a non-negative integer"
    )


def test_a_run_count_of_zero_is_accepted():
    assert parse_state({"type": "Pending", "run_count": 0}).run_count == 0


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"timestamp": "yesterday"},
            "state.timestamp is not an ISO-8601 timestamp: 'yesterday'",
        ),
        ({"timestamp": [1]}, "state.timestamp must be a timestamp, got list"),
        ({"timestamp": True}, "state.timestamp must be a timestamp, got bool"),
        ({"start_time": 1e20}, "state.start_time is out of range: 1e+20"),
        ({"start_time": "soon"}, "state.start_time is not an ISO-8601 timestamp: 'soon'"),
    ],
)
def test_a_timestamp_that_cannot_be_read_is_refused_naming_the_field_and_the_value(
    raw: dict[str, object], message: str
):
    assert refusal({"type": "Scheduled", **raw})["message"] == message


@pytest.fixture
def server_in_india(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The server's local time zone is UTC+05:30 (a POSIX rule: no time zone database)."""
    monkeypatch.setenv("TZ", "IST-5:30")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("server_in_india")
@pytest.mark.parametrize(
    ("sent", "read"),
    [
        (1_767_225_600, "2026-01-01T00:00:00+00:00"),  # epoch seconds
        (1_767_225_600.5, "2026-01-01T00:00:00.500000+00:00"),
        ("2026-01-01T12:00:00+02:00", "2026-01-01T10:00:00+00:00"),
        ("2026-01-01T12:00:00", "2026-01-01T12:00:00+00:00"),  # no offset: UTC
        (datetime(2026, 1, 1, 12, tzinfo=UTC), "2026-01-01T12:00:00+00:00"),
    ],
)
def test_timestamps_are_read_as_utc_whatever_the_servers_time_zone(sent: object, read: str):
    parsed = parse_state({"type": "Scheduled", "timestamp": sent, "start_time": sent})
    assert parsed.timestamp.isoformat() == read
    assert parsed.start_time is not None and parsed.start_time.isoformat() == read


def test_a_state_sent_without_a_timestamp_is_stamped_now_in_utc():
    before = datetime.now(UTC)
    parsed = parse_state({"type": "Running"})
    after = datetime.now(UTC)
    assert before <= parsed.timestamp <= after
    assert parsed.timestamp.utcoffset() == timedelta(0)


def test_finished_names_and_families_are_told_from_the_others():
    assert [is_finished(name) for name in ("Success", "Cached", "TimedOut", "Finished")] == [
        True,
        True,
        True,
        True,
    ]
    assert [is_finished(name) for name in ("Running", "Queued", "Cancelling", None)] == [
        False,
        False,
        False,
        False,
    ]


# -- what an accepted change does to the row ----------------------------------------------------


def test_a_task_run_takes_the_attempt_number_its_process_reports():
    slot = (FLOW_RUN, ("train", -1))
    run = RunSnapshot(uuid.UUID(int=10), "Pending", T0)
    batch = Batch(
        "task_run", TENANT, at(100), {slot: run}, [FLOW_RUN], parents={FLOW_RUN: "Running"}
    )
    change = Change(FLOW_RUN, slot, state("Running", 1, run_count=3))
    written = batch.record(
        evaluate("task_run", TASK_RUN_POLICY, batch.runs, [change], batch.parents)
    )
    assert batch.runs[slot].run_count == 3
    [write] = TaskRunHistory().chunk(batch, written)
    # state, run count, history data
    assert [(r[4], r[11], r[12]) for r in write.rows] == [("Running", 3, {"run_count": 3})]


def test_reporting_running_again_or_resuming_keeps_the_attempt_and_its_start():
    run = RunSnapshot(uuid.UUID(int=11), "Running", at(1), version=1, run_count=1, start_time=at(1))
    after = move_flow_run(
        run,
        to(run, state("Running", 2, message="still going")),
        to(run, state("Paused", 3)),
        to(run, state("Running", 4)),
    )
    assert (after.state, after.run_count, after.start_time, after.end_time) == (
        "Running",
        1,
        at(1),
        None,
    )


def test_a_retry_starts_the_next_attempt():
    run = RunSnapshot(
        uuid.UUID(int=12), "Retrying", at(5), version=4, run_count=2, start_time=at(1)
    )
    after = move_flow_run(run, to(run, state("Running", 6)))
    assert (after.run_count, after.start_time) == (3, at(1))


def test_a_run_not_started_has_no_start_time():
    run = RunSnapshot(uuid.UUID(int=13), "Scheduled", at(0), version=1)
    after = move_flow_run(run, to(run, state("Pending", 1)), to(run, state("Submitted", 2)))
    assert (after.state, after.start_time, after.run_count) == ("Submitted", None, 0)


def test_a_restarted_run_starts_a_new_attempt_unclaimed():
    run = RunSnapshot(
        uuid.UUID(int=14),
        "Failed",
        at(3),
        version=5,
        run_count=1,
        start_time=at(1),
        end_time=at(3),
        agent_id=AGENT,
    )
    restart = Change(run.id, run.id, state("Running", 10), force=True)
    after = move_flow_run(run, restart)
    assert (after.state, after.run_count, after.start_time, after.end_time, after.agent_id) == (
        "Running",
        2,
        at(10),
        None,
        None,
    )


def test_the_claim_stays_while_the_agent_runs_it_and_goes_when_it_hands_the_run_back():
    run = RunSnapshot(uuid.UUID(int=15), "Submitted", at(1), version=2, agent_id=AGENT)
    running = move_flow_run(run, to(run, state("Running", 2), AGENT))
    assert (running.state, running.agent_id) == ("Running", AGENT)
    for back in ("Pending", "Scheduled"):
        after = move_flow_run(running, to(running, state(back, 3), AGENT))
        assert (after.state, after.agent_id) == (back, None)


# -- rewrites keep what was sent ----------------------------------------------------------------


def test_a_cancel_rewritten_to_cancelled_keeps_the_time_and_fields_it_was_sent_with():
    run = RunSnapshot(uuid.UUID(int=16), "Scheduled", at(0), version=1)
    batch = Batch("flow_run", TENANT, at(100), {run.id: run}, [run.id], stored={run.id})
    cancel = state(
        "Cancelling",
        5,
        start_time=at(7),
        result_location="results/16",
        run_count=0,
        extra={"origin": "ui"},
    )
    verdicts = evaluate("flow_run", FLOW_RUN_POLICY, batch.runs, [to(run, cancel)])
    written = batch.record(verdicts)
    after = batch.runs[run.id]
    assert (after.state, after.state_timestamp, after.end_time, after.result_location) == (
        "Cancelled",
        at(5),
        at(5),
        "results/16",
    )
    [write] = FlowRunHistory().chunk(batch, written)
    # name, timestamp, start time, result location, data
    assert [(r[3], r[6], r[7], r[8], r[10]) for r in write.rows] == [
        ("Cancelled", at(5), at(7), "results/16", {"origin": "ui", "run_count": 0})
    ]


# -- the policy -------------------------------------------------------------------------------


class Answers(Rule):
    """A rule answering what it is built with, for any transition."""

    name = "fixed"

    def __init__(self, name: str, answer: str, *, needs_slots: bool = False) -> None:
        self.name = name
        self.answer = answer
        self.needs_slots = needs_slots

    def check(self, transition: Transition) -> Outcome | None:
        if self.answer == "accept":
            return Outcome.accept(transition.proposed)
        if self.answer == "cancel":
            return Outcome.rewrite(
                transition.proposed.with_name("Cancelled"), "cancelled", self.name
            )
        if self.answer == "only cancelled" and transition.proposed.name == "Cancelled":
            return None
        return self.reject(f"{self.name} says no")


def judge(policy: Policy, slots: SlotLedger | None = None) -> Outcome:
    run = RunSnapshot(uuid.UUID(int=17), "Running", at(0), version=1)
    transition = Transition("task_run", run, state("Success", 1), slots=slots)
    return policy.evaluate(transition)


def test_a_policy_runs_its_rules_and_skips_those_needing_a_ledger_when_there_is_none():
    finished = RunSnapshot(uuid.UUID(int=18), "Failed", at(0), version=1)
    policy = Policy([FinishedIsFinal(), GiveBackConcurrencySlots()])
    outcome = policy.evaluate(Transition("task_run", finished, state("Running", 1)))
    assert (outcome.kind, outcome.rule) == ("reject", "finished_is_final")

    ledger_only = Policy([Answers("ledger_rule", "reject", needs_slots=True)])
    assert judge(ledger_only).kind == "accept"
    assert judge(ledger_only, SlotLedger({}, {})).reason == "ledger_rule says no"


def test_a_rules_accept_does_not_stop_the_later_rules():
    outcome = judge(Policy([Answers("first", "accept"), Answers("second", "reject")]))
    assert (outcome.kind, outcome.rule) == ("reject", "second")


def test_the_later_rules_judge_a_rewrite():
    refused = judge(Policy([Answers("canceller", "cancel"), Answers("guard", "reject")]))
    assert (refused.kind, refused.rule) == ("reject", "guard")
    kept = judge(Policy([Answers("canceller", "cancel"), Answers("guard", "only cancelled")]))
    assert kept.kind == "rewrite" and kept.state is not None
    assert (kept.state.name, kept.reason, kept.rule) == ("Cancelled", "cancelled", "canceller")


def test_force_steps_over_the_rules_it_bypasses_only():
    run = RunSnapshot(uuid.UUID(int=19), "Scheduled", at(0), version=1)
    forced = Change(run.id, run.id, state("Cancelling", 1), force=True)
    after = move_flow_run(run, forced)
    assert (after.state, after.end_time) == ("Cancelled", at(1))


def test_policies_show_their_rules_in_order_and_are_found_by_run_kind():
    assert repr(Policy([FinishedIsFinal(), GiveBackConcurrencySlots()])) == (
        "Policy(finished_is_final, give_back_concurrency_slots)"
    )
    assert policy_for("flow_run") is FLOW_RUN_POLICY
    assert policy_for("task_run") is TASK_RUN_POLICY


# -- verdicts ---------------------------------------------------------------------------------


def test_a_verdict_names_the_change_the_run_and_the_state_asked_even_when_nothing_is_written():
    run = RunSnapshot(uuid.UUID(int=20), "Running", at(1), version=4)
    unknown = uuid.UUID(int=21)
    stale = Change(run.id, run.id, state("Success", 2), version=3)
    lost = Change(unknown, unknown, state("Success", 2))
    refused, missing = evaluate("flow_run", FLOW_RUN_POLICY, {run.id: run}, [stale, lost])
    assert (refused.change, refused.slot, refused.state, refused.written) == (
        stale,
        run.id,
        stale.state,
        False,
    )
    assert (missing.change, missing.slot, missing.state, missing.outcome) == (
        lost,
        unknown,
        lost.state,
        None,
    )


# -- concurrency slots ------------------------------------------------------------------------


def task_runs(*names: str) -> dict[Hashable, RunSnapshot]:
    return {
        name: RunSnapshot(uuid.UUID(int=100 + i), "Pending", T0) for i, name in enumerate(names)
    }


def test_a_run_that_finishes_gives_back_only_its_own_slots():
    runs = task_runs("a", "b")
    ledger = SlotLedger({"db": Limit(DB.id, "db", 2)}, {DB.id: 0})
    changes = [
        Change(FLOW_RUN, "a", state("Running", 1), tags=("db",)),
        Change(FLOW_RUN, "b", state("Running", 1), tags=("db",)),
        Change(FLOW_RUN, "a", state("Success", 2)),
    ]
    evaluate("task_run", TASK_RUN_POLICY, runs, changes, {FLOW_RUN: "Running"}, ledger)
    assert ledger.taken == [Taken(uuid.UUID(int=101), FLOW_RUN, DB.id)]
    assert ledger.in_use == {DB.id: 1}


def test_a_queued_run_still_waiting_is_told_which_rule_kept_it():
    runs = {"a": RunSnapshot(uuid.UUID(int=100), "Queued", T0)}
    ledger = SlotLedger({"db": DB}, {DB.id: 1})
    change = Change(FLOW_RUN, "a", state("Running", 1), tags=("db",))
    [verdict] = evaluate("task_run", TASK_RUN_POLICY, runs, [change], {FLOW_RUN: "Running"}, ledger)
    assert verdict.outcome == Outcome(
        "unchanged",
        reason="Waiting for a concurrency slot: db (1 of 1 in use)",
        rule="take_concurrency_slots",
    )


def test_giving_back_without_a_ledger_does_nothing():
    run = RunSnapshot(uuid.UUID(int=22), "Running", at(0), version=1)
    assert (
        GiveBackConcurrencySlots().check(Transition("task_run", run, state("Success", 1))) is None
    )
