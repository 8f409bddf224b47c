"""Triggers, one by one, on hand-made upstream states; then what the task runner does with
a trigger's answer (False, a plain exception, a PAUSE on a task with no upstream).

The expectations follow DESIGN.md's list of triggers and 1.x's documented behaviour: a
trigger that does not pass ends the task run TriggerFailed without running it.
"""

from __future__ import annotations

import pytest

from proctor import Flow, signals, task
from proctor.states import (
    Cached,
    Failed,
    Mapped,
    Paused,
    Pending,
    Running,
    Skipped,
    Success,
    TimedOut,
    TriggerFailed,
)
from proctor.triggers import (
    all_failed,
    all_finished,
    all_successful,
    always_run,
    any_failed,
    any_successful,
    manual_only,
    not_all_skipped,
    some_failed,
    some_successful,
    trigger_name,
)

OK, BAD, SKIP, WAIT = Success(), Failed(), Skipped(), Pending()


def refused(trigger, upstream, signal=signals.TRIGGERFAIL) -> str:
    """The message of the signal `trigger` raises on `upstream` (it must raise exactly it)."""
    with pytest.raises(signal) as raised:
        trigger(upstream)
    assert type(raised.value) is signal
    return raised.value.message or ""


# --- all_* -------------------------------------------------------------------------------


def test_all_successful_passes_only_when_every_upstream_succeeded():
    assert all_successful([]) is True
    assert all_successful([OK, Cached(), SKIP]) is True
    assert refused(all_successful, [OK, BAD]) == (
        "Trigger all_successful: an upstream task is Failed"
    )
    assert "Pending" in refused(all_successful, [WAIT])


def test_all_failed_passes_only_when_every_upstream_failed():
    assert all_failed([]) is True
    assert all_failed([BAD, TriggerFailed(), TimedOut()]) is True
    assert refused(all_failed, [BAD, OK]) == "Trigger all_failed: an upstream task is Success"
    assert "Skipped" in refused(all_failed, [SKIP])


def test_all_finished_waits_for_nothing_unfinished():
    assert all_finished([OK, BAD, SKIP]) is True
    assert always_run is all_finished
    assert refused(all_finished, [OK, Running()]) == (
        "Trigger all_finished: an upstream task is Running"
    )


# --- any_* -------------------------------------------------------------------------------


def test_any_successful_needs_one_success():
    assert any_successful([]) is True
    assert any_successful([BAD, OK]) is True
    assert any_successful([OK]) is True
    assert refused(any_successful, [BAD, BAD]) == (
        "Trigger any_successful: no upstream task succeeded"
    )
    refused(any_successful, [WAIT])


def test_any_failed_needs_one_failure():
    assert any_failed([]) is True
    assert any_failed([OK, BAD]) is True
    assert any_failed([BAD]) is True
    assert refused(any_failed, [OK, SKIP]) == "Trigger any_failed: no upstream task failed"
    refused(any_failed, [WAIT])


# --- not_all_skipped ---------------------------------------------------------------------


def test_not_all_skipped_skips_when_every_upstream_skipped():
    assert not_all_skipped([]) is True
    assert not_all_skipped([SKIP, OK]) is True
    assert refused(not_all_skipped, [SKIP, SKIP], signals.SKIP) == (
        "All upstream tasks were skipped"
    )


def test_not_all_skipped_fails_on_a_failed_upstream():
    assert refused(not_all_skipped, [SKIP, BAD]) == (
        "Trigger not_all_skipped: an upstream task is Failed"
    )
    assert "TimedOut" in refused(not_all_skipped, [OK, TimedOut()])


# --- manual_only -------------------------------------------------------------------------


def test_manual_only_always_pauses():
    for upstream in ([], [OK], [BAD]):
        assert refused(manual_only, upstream, signals.PAUSE) == (
            "Waiting for approval (manual_only trigger)"
        )


# --- counting triggers -------------------------------------------------------------------


def test_some_successful_counts_between_bounds():
    upstream = [OK, OK, BAD, BAD, BAD]  # 2 of 5 succeeded
    assert some_successful()(upstream) is True
    assert some_successful(at_least=2)(upstream) is True
    assert some_successful(at_most=2)(upstream) is True
    assert some_successful(at_least=2, at_most=2)(upstream) is True
    assert refused(some_successful(at_least=3), upstream) == (
        "2 upstream successful, need at least 3"
    )
    assert refused(some_successful(at_most=1), upstream) == (
        "2 upstream successful, allowed at most 1"
    )


def test_some_failed_counts_failures_not_successes():
    upstream = [OK, BAD, BAD, BAD]  # 3 of 4 failed
    assert some_failed(at_least=3)(upstream) is True
    assert some_failed(at_most=3)(upstream) is True
    assert refused(some_failed(at_least=4), upstream) == "3 upstream failed, need at least 4"
    assert refused(some_failed(at_most=2), upstream) == "3 upstream failed, allowed at most 2"


def test_a_float_between_zero_and_one_is_a_share_of_the_upstream():
    upstream = [OK, OK, OK, BAD]  # 75 % succeeded, 25 % failed
    assert some_successful(at_least=0.75)(upstream) is True
    assert some_successful(at_least=0.5, at_most=0.75)(upstream) is True
    assert some_successful(at_least=0.0)(upstream) is True
    assert refused(some_successful(at_least=0.8), upstream) == (
        "3 upstream successful, need at least 0.8"
    )
    assert refused(some_successful(at_most=0.5), upstream) == (
        "3 upstream successful, allowed at most 0.5"
    )
    # Exactly 1.0 is "all of them", still a share.
    assert some_failed(at_most=1.0)(upstream) is True
    refused(some_successful(at_least=1.0), upstream)
    assert some_successful(at_least=1.0)([OK, OK]) is True
    refused(some_failed(at_least=0.5), upstream)


def test_a_float_above_one_is_a_count():
    upstream = [OK, OK, BAD]
    assert some_successful(at_least=2.0)(upstream) is True
    assert some_successful(at_most=2.0)(upstream) is True
    refused(some_successful(at_least=2.5), upstream)
    refused(some_successful(at_most=1.5), upstream)


def test_counting_triggers_are_named_after_their_bounds():
    assert trigger_name(some_successful(at_least=2)) == "some_successful(2, None)"
    assert trigger_name(some_failed(None, 0.5)) == "some_failed(None, 0.5)"
    assert trigger_name(any_failed) == "any_failed"

    class Callable:
        def __call__(self, upstream):
            return True

    assert trigger_name(Callable()) == "Callable"


# --- a mapped upstream counts as its children ---------------------------------------------


def test_a_mapped_upstream_counts_as_its_children():
    mapped = Mapped(map_states=[OK, BAD, OK])
    assert some_successful(at_least=2, at_most=2)([mapped]) is True
    assert some_failed(at_least=1, at_most=1)([mapped]) is True
    assert any_failed([mapped]) is True
    assert "Failed" in refused(all_successful, [mapped])
    refused(all_failed, [mapped])
    # A Mapped without children is one (successful) state of its own.
    assert all_successful([Mapped()]) is True
    assert some_successful(at_least=1, at_most=1)([Mapped()]) is True


# --- what the task runner does with the answer ---------------------------------------------


def run_after_failure(trigger):
    """A failing upstream, then a task with `trigger`; returns (its state, its calls)."""
    calls = []

    @task
    def boom():
        raise ValueError("upstream broke")

    @task(trigger=trigger)
    def after():
        calls.append(1)
        return "ran"

    with Flow("trigger") as f:
        node = after(upstream_tasks=[boom()])
    return f.run().result[node], calls


def test_a_trigger_that_returns_false_ends_trigger_failed_without_running():
    def never(upstream):
        return False

    state, calls = run_after_failure(never)
    assert type(state) is TriggerFailed
    assert calls == []
    assert state.message == "Trigger never did not pass"


def test_a_trigger_that_raises_a_plain_exception_ends_trigger_failed():
    def broken(upstream):
        raise KeyError("oops")

    state, calls = run_after_failure(broken)
    assert type(state) is TriggerFailed
    assert calls == []
    assert state.message == "Trigger of task 'after' raised KeyError: 'oops'"
    assert isinstance(state.result, KeyError)


def test_a_trigger_that_returns_true_lets_the_task_run():
    state, calls = run_after_failure(lambda upstream: True)
    assert type(state) is Success
    assert state.result == "ran"
    assert calls == [1]


def test_a_trigger_signal_decides_the_state():
    def skipper(upstream):
        raise signals.SKIP("not today")

    state, calls = run_after_failure(skipper)
    assert type(state) is Skipped
    assert state.message == "not today"
    assert calls == []


def test_manual_only_on_a_root_task_pauses_until_resumed():
    calls = []

    @task(trigger=manual_only)
    def approve_me():
        calls.append(1)
        return "approved"

    with Flow("root-approval") as f:
        node = approve_me()
    first = f.run()
    assert type(first.result[node]) is Paused
    assert calls == []
    second = f.run(task_states=first.result, resume=[node])
    assert second.result[node].result == "approved"
    assert calls == [1]


def test_a_root_task_with_a_failing_custom_trigger_is_evaluated():
    # No upstream at all: only the default trigger may be skipped, any other is asked.
    asked = []

    def records(upstream):
        asked.append(list(upstream))
        return False

    @task(trigger=records)
    def root():
        return 1

    with Flow("root-trigger") as f:
        node = root()
    assert type(f.run().result[node]) is TriggerFailed
    assert asked == [[]]
