"""Retries (delay, backoff, jitter, RETRY signal) and timeouts that really stop waiting.

Retry times are checked on a `FakeClock`: time moves only when the run waits, so every
delay is exact and nothing sleeps. Timeouts bound real work on real threads.
"""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from proctor import Flow, exponential_backoff, signals, task
from proctor.core.clock import FakeClock
from proctor.core.observers import RunObserver
from proctor.core.runner.flow_runner import FlowRunner
from proctor.core.runner.task_runner import retry_or_fail
from proctor.core.runner.unit import TaskRunUnit
from proctor.executors import ThreadExecutor
from proctor.states import Failed, Retrying, TimedOut
from proctor.triggers import all_finished


class RetryTimes(RunObserver):
    """(attempt, start time, the clock when the observer heard of it) of each retry."""

    def __init__(self, clock):
        self.clock = clock
        self.retries = []

    def task_run_state(self, context, change):
        if isinstance(change.state, Retrying):
            self.retries.append((change.state.run_count, change.state.start_time, self.clock.now()))


def make_flaky(failures: int, clock: FakeClock):
    attempts = []

    @task(retries=failures, retry_delay=0.05)
    def flaky():
        attempts.append(clock.now())
        if len(attempts) <= failures:
            raise ConnectionError(f"attempt {len(attempts)}")
        return len(attempts)

    return flaky, attempts


def test_retries_until_success():
    clock = FakeClock()
    start = clock.now()
    flaky, attempts = make_flaky(2, clock)
    with Flow("retry") as f:
        node = flaky()
    state = FlowRunner(f, clock=clock).run()
    assert state.is_successful()
    assert state.result[node].result == 3
    # Each attempt starts exactly its delay after the one before failed, and the run
    # waited for nothing else.
    assert attempts == pytest.approx([start, start + 0.05, start + 0.1], abs=1e-6)
    assert [b - a for a, b in clock.waits] == pytest.approx([0.05, 0.05], abs=1e-6)


def test_retries_exhausted_keep_the_last_error():
    attempts = []

    @task(retries=1, retry_delay=0)
    def always_fails():
        attempts.append(1)
        raise ConnectionError("still down")

    with Flow("exhausted") as f:
        node = always_fails()
    state = f.run()
    assert len(attempts) == 2
    assert isinstance(state.result[node], Failed)
    assert "still down" in state.result[node].message


def test_exponential_backoff_and_jitter_set_the_retry_times(monkeypatch):
    backoff = exponential_backoff(base=0.05, factor=2, max_delay=0.15)
    assert [backoff(n) for n in (1, 2, 3, 4)] == [0.05, 0.1, 0.15, 0.15]

    # The jitter drawn for each retry is recorded, so each retry time is known exactly.
    drawn = []
    real_uniform = random.uniform

    def recorded(low, high):
        drawn.append(real_uniform(low, high))
        assert (low, high) == (0, 0.02)
        return drawn[-1]

    monkeypatch.setattr(random, "uniform", recorded)
    clock = FakeClock()
    failed_at = []

    @task(retries=3, retry_delay=backoff, retry_jitter=0.02)
    def unlucky():
        failed_at.append(clock.now())
        raise OSError("no")

    with Flow("backoff") as f:
        unlucky()
    recorder = RetryTimes(clock)
    FlowRunner(f, observers=[recorder], clock=clock).run()
    assert [count for count, _, _ in recorder.retries] == [1, 2, 3]
    assert len(drawn) == 3
    expected = [delay + jitter for delay, jitter in zip([0.05, 0.1, 0.15], drawn, strict=True)]
    starts = [start for _, start, _ in recorder.retries]
    assert [start - failed for start, failed in zip(starts, failed_at, strict=False)] == (
        pytest.approx(expected, abs=1e-6)
    )
    # Each next attempt started exactly when its retry was due: the run slept to it.
    assert failed_at[1:] == pytest.approx(starts, abs=1e-6)
    assert [until for _, until in clock.waits] == pytest.approx(starts, abs=1e-6)


def test_jitter_adds_a_random_share_of_retry_jitter_to_the_delay(monkeypatch):
    # random.uniform is replaced by its upper bound, so a run without jitter (or with the
    # bounds swapped) cannot pass; the clock reading is given, so start_time is exact.
    asked = []

    def upper_bound(low, high):
        asked.append((low, high))
        return high

    monkeypatch.setattr(random, "uniform", upper_bound)

    @task(retries=2, retry_delay=timedelta(seconds=10), retry_jitter=3)
    def unlucky():
        raise OSError("no")

    for run_count, base in ((1, 10), (2, 10)):
        unit = TaskRunUnit(0, unlucky, "unlucky", {}, [], run_count=run_count)
        state = retry_or_fail(unlucky, unit, Failed("no"), now=1_000.0)
        assert isinstance(state, Retrying)
        assert state.start_time == 1_000.0 + base + 3
        assert state.run_count == run_count
        assert state.message == f"Retry {run_count} of 2 after: no"
    assert asked == [(0, 3), (0, 3)]
    last = TaskRunUnit(0, unlucky, "unlucky", {}, [], run_count=3)
    failure = Failed("no")
    assert retry_or_fail(unlucky, last, failure) is failure


def test_no_jitter_means_no_random_delay(monkeypatch):
    monkeypatch.setattr(random, "uniform", lambda low, high: pytest.fail("jitter drawn"))

    @task(retries=1, retry_delay=lambda attempt: 7 * attempt)
    def unlucky():
        raise OSError("no")

    unit = TaskRunUnit(0, unlucky, "unlucky", {}, [], run_count=1)
    assert retry_or_fail(unlucky, unit, Failed("no"), now=1_000.0).start_time == 1_007.0
    # Without a clock reading, the wall clock is the run's clock.
    before = time.time()
    state = retry_or_fail(unlucky, unit, Failed("no"))
    assert before + 7 <= state.start_time <= time.time() + 7


def test_retry_signal_start_time_is_honoured():
    # RETRY(start_time=...) reschedules at that time, given as epoch seconds or a datetime.
    clock = FakeClock()
    wanted: list[float] = []
    seen = RetryTimes(clock)
    attempts: list[float] = []

    @task
    def polls():
        attempts.append(clock.now())
        if len(attempts) == 1:
            wanted.append(clock.now() + 300)
            raise signals.RETRY("not ready", start_time=wanted[-1])
        if len(attempts) == 2:
            when = datetime.fromtimestamp(clock.now(), UTC) + timedelta(seconds=30)
            wanted.append(when.timestamp())
            raise signals.RETRY("still not ready", start_time=when)
        return "ready"

    with Flow("poll-at") as f:
        node = polls()
    assert FlowRunner(f, observers=[seen], clock=clock).run().result[node].result == "ready"
    assert [start for _, start, _ in seen.retries] == pytest.approx(wanted, abs=1e-6)
    # Each attempt after a retry starts at the time the signal asked for, not before.
    assert attempts[1:] == pytest.approx(wanted, abs=1e-6)


def test_a_retry_signal_without_a_start_time_retries_at_once():
    clock = FakeClock()
    attempts = []

    @task
    def polls():
        attempts.append(clock.now())
        if len(attempts) == 1:
            raise signals.RETRY("again")
        return "ready"

    with Flow("poll-now") as f:
        node = polls()
    assert FlowRunner(f, clock=clock).run().result[node].result == "ready"
    assert attempts == [clock.now(), clock.now()]
    assert clock.waits == []


def test_retry_waits_do_not_block_other_tasks():
    clock = FakeClock()
    order = []

    @task(retries=1, retry_delay=0.3)
    def slow_retry():
        order.append("retry-attempt")
        if order.count("retry-attempt") == 1:
            raise OSError("first")
        return 1

    @task
    def other(i):
        order.append(f"other-{i}")

    with Flow("overlap") as f:
        slow_retry()
        other.map([1, 2])
    assert FlowRunner(f, clock=clock).run().is_successful()
    assert order == ["retry-attempt", "other-1", "other-2", "retry-attempt"]
    assert [b - a for a, b in clock.waits] == pytest.approx([0.3], abs=1e-6)


def test_retry_signal_reschedules():
    clock = FakeClock()
    attempts = []

    @task
    def polls():
        attempts.append(1)
        if len(attempts) < 3:
            raise signals.RETRY("not ready", start_time=clock.now() + 0.01)
        return "ready"

    with Flow("poll") as f:
        node = polls()
    assert FlowRunner(f, clock=clock).run().result[node].result == "ready"
    assert len(attempts) == 3
    assert [b - a for a, b in clock.waits] == pytest.approx([0.01, 0.01], abs=1e-6)


@pytest.mark.parametrize("executor", [None, ThreadExecutor(2)], ids=["local", "thread"])
def test_timeout_ends_timed_out_and_downstream_goes_on(executor):
    finished: list[bool] = []
    release = threading.Event()

    @task(timeout=0.5)
    def stuck():
        # 20 s of work in small steps; `release` ends a thread left behind by the test.
        for _ in range(200):
            if release.wait(0.1):
                return
        finished.append(True)

    @task(trigger=all_finished)
    def after():
        return "went on"

    with Flow("timeout") as f:
        hung = stuck()
        next_step = after(upstream_tasks=[hung])
    try:
        state = f.run(executor=executor)
        # The run did not wait for the stuck task: it was still working when the run ended.
        assert not finished
    finally:
        release.set()
    assert isinstance(state.result[hung], TimedOut)
    assert "0.5 seconds" in state.result[hung].message
    assert state.result[next_step].result == "went on"


def test_timeout_interrupts_pure_python_loops():
    progress = []

    @task(timeout=0.2)
    def spin():
        while True:
            progress.append(1)
            time.sleep(0.01)

    with Flow("spin") as f:
        spin()
    f.run()
    time.sleep(0.1)
    count = len(progress)
    time.sleep(0.2)
    assert len(progress) == count  # the abandoned thread was stopped, not left spinning


def test_timeouts_are_retried_when_retries_remain():
    attempts = []

    @task(timeout=0.2, retries=1)
    def sometimes_slow():
        attempts.append(1)
        if len(attempts) == 1:
            time.sleep(5)
        return "fast now"

    with Flow("slow-then-fast") as f:
        node = sometimes_slow()
    assert f.run().result[node].result == "fast now"


def test_a_timed_out_state_holds_the_timeout_error_by_its_1x_name_too():
    from proctor.core.runner.timeouts import TaskTimeoutSignal, TimeoutExpired

    @task(timeout=0.2)
    def stuck():
        time.sleep(5)

    with Flow("timeout-result") as f:
        hung = stuck()
    result = f.run().result[hung].result
    assert isinstance(result, TaskTimeoutSignal) and isinstance(result, TimeoutExpired)
    assert type(result).__name__ == "TaskTimeoutSignal"


def test_handlers_see_the_failure_before_the_retry_and_may_cancel_it():
    from proctor.states import Failed, Success

    seen = []
    attempts = []

    def record(task, old, new):
        seen.append((type(old).__name__, type(new).__name__))
        if isinstance(new, Failed) and len(attempts) == 2:
            return Success("second failure forgiven", result="forgiven")
        return new

    @task(retries=3, state_handlers=[record])
    def flaky():
        attempts.append(1)
        raise RuntimeError("no")

    with Flow("handler-order") as f:
        node = flaky()
    state = f.run().result[node]
    assert state.result == "forgiven" and len(attempts) == 2
    assert seen == [
        ("Pending", "Running"),
        ("Running", "Failed"),
        ("Failed", "Retrying"),
        ("Retrying", "Running"),
        ("Running", "Failed"),
    ]
