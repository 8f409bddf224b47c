"""Flow-level retries, stopping early for far-away retries (`max_retry_wait`), carrying on
retries an earlier process scheduled, and the file a flow was defined in.

Times are checked on a `FakeClock`: what the run waited for is exact, and a run that
returns instead of waiting shows no wait at all."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from proctor import Flow, flow, task
from proctor.core.clock import FakeClock
from proctor.core.errors import FlowDefinitionError
from proctor.core.observers import RunObserver
from proctor.core.runner.flow_runner import FlowRunner
from proctor.executors import ThreadExecutor
from proctor.states import Mapped, Pending, Retrying, Scheduled, Success


class FlowStates(RunObserver):
    def __init__(self):
        self.states = []

    def flow_run_state(self, context, state):
        self.states.append(state)


def test_flow_retry_reruns_only_what_failed():
    calls = {"a": 0, "b": 0}

    @task
    def a():
        calls["a"] += 1
        return 1

    @task
    def b(x):
        calls["b"] += 1
        if calls["b"] == 1:
            raise ValueError("first time")
        return x + 1

    with Flow("retried", retries=1, retry_delay=0.05) as f:
        node = b(a())
    observer = FlowStates()
    clock = FakeClock()
    started = clock.now()
    state = FlowRunner(f, observers=[observer], clock=clock).run()
    assert state.is_successful()
    assert state.result[node].result == 2
    assert calls == {"a": 1, "b": 2}
    # The run slept out the flow's retry delay, once.
    assert clock.waits == [(started, started + 0.05)]
    # Observers see one Running and one final state: an in-process retry is not a new run.
    assert [s.name for s in observer.states] == ["Running", "Success"]


def test_flow_retries_exhausted_end_failed():
    attempts = []

    @task
    def boom():
        attempts.append(1)
        raise RuntimeError("always")

    with Flow("exhausted", retries=2, retry_delay=timedelta(0)) as f:
        boom()
    clock = FakeClock()
    state = FlowRunner(f, clock=clock).run()
    assert state.is_failed()
    assert len(attempts) == 3
    assert clock.waits == []


def test_a_cancelled_run_does_not_retry_the_flow():
    attempts = []

    @task
    def boom():
        attempts.append(1)
        raise RuntimeError("always")

    with Flow("cancelled", retries=2, retry_delay=60) as f:
        boom()
    clock = FakeClock()
    runner = FlowRunner(f, clock=clock)

    class CancelOnRetry(RunObserver):
        def flow_run_retrying(self, context, failed):
            runner.cancel()

    runner.observers.append(CancelOnRetry())
    state = runner.run()
    assert state.is_cancelled()
    assert len(attempts) == 1
    assert clock.waits == []


def test_flow_retry_delay_may_depend_on_the_attempt():
    f = Flow("backoff", retries=3, retry_delay=lambda attempt: timedelta(seconds=attempt))
    assert [f.retry_delay_for(n) for n in (1, 2, 3)] == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_flow_retries_must_be_a_whole_number(bad):
    with pytest.raises(FlowDefinitionError, match="retries"):
        Flow("bad", retries=bad)


def test_negative_flow_retry_delay_is_refused():
    with pytest.raises(FlowDefinitionError, match="retry_delay"):
        Flow("bad", retry_delay=-1)


def test_a_requeueable_run_returns_retrying_instead_of_retrying_the_flow_itself():
    @task
    def boom():
        raise RuntimeError("down")

    with Flow("far", retries=2, retry_delay=5) as f:
        boom()
    clock = FakeClock()
    started = clock.now()
    state = FlowRunner(f, max_retry_wait=60, clock=clock).run(run_count=2)
    assert type(state) is Retrying
    assert state.run_count == 2
    assert state.start_time == started + 5
    assert clock.waits == []  # returned instead of sleeping out the 5 s delay
    # The last attempt fails for good.
    assert FlowRunner(f, max_retry_wait=60, clock=clock).run(run_count=3).is_failed()
    assert clock.waits == []


def test_an_in_process_flow_retry_tells_observers_what_runs_again():
    calls = []

    @task
    def ok():
        return 1

    @task
    def flaky(x):
        calls.append(x)
        if len(calls) == 1:
            raise ValueError("once")
        return x

    class Retries(RunObserver):
        def __init__(self):
            self.failed = []

        def flow_run_retrying(self, context, failed):
            self.failed.append({node.slug: s.name for node, s in failed.result.items()})

    with Flow("told", retries=1) as f:
        flaky(ok())
    observer = Retries()
    assert f.run(observers=[observer]).is_successful()
    assert observer.failed == [{"ok": "Success", "flaky": "Failed"}]


def test_far_task_retry_stops_the_walk_with_a_scheduled_state():
    ran = []

    @task(retries=2, retry_delay=3600)
    def flaky():
        raise ConnectionError("later")

    @task
    def independent():
        ran.append("independent")
        return "done"

    with Flow("requeue") as f:
        retry_node = flaky()
        other = independent()
    clock = FakeClock()
    started = clock.now()
    state = FlowRunner(f, max_retry_wait=60, clock=clock).run()
    assert type(state) is Scheduled
    assert state.start_time == started + 3600
    assert clock.waits == []  # stopped instead of waiting an hour
    # Work that did not wait for the retry was done first.
    assert ran == ["independent"]
    assert state.result[other].is_successful()
    assert isinstance(state.result[retry_node], Retrying)
    assert state.result[retry_node].run_count == 1


def test_near_task_retry_still_waits_in_process():
    attempts = []

    @task(retries=1, retry_delay=0.05)
    def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionError("once")
        return "ok"

    with Flow("near") as f:
        flaky()
    clock = FakeClock()
    started = clock.now()
    assert FlowRunner(f, max_retry_wait=60, clock=clock).run().is_successful()
    assert len(attempts) == 2
    assert clock.waits == [(started, started + 0.05)]


def test_a_retry_at_exactly_the_longest_wait_is_waited_for_in_process():
    attempts = []

    @task(retries=1, retry_delay=60)
    def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionError("once")
        return "ok"

    with Flow("edge") as f:
        flaky()
    clock = FakeClock()
    started = clock.now()
    assert FlowRunner(f, max_retry_wait=60, clock=clock).run().is_successful()
    assert clock.waits == [(started, started + 60)]


def test_a_retry_from_an_earlier_process_keeps_its_attempt_count():
    seen = []

    @task(retries=2, retry_delay=0)
    def flaky():
        from proctor.core.context import get_task_run_context

        context = get_task_run_context()
        assert context is not None
        seen.append(context.run_count)
        raise ConnectionError("still down")

    with Flow("carry-on") as f:
        node = flaky()
    # The earlier process ran attempts 1 and 2; only attempt 3 is left.
    clock = FakeClock()
    earlier = Retrying("retry 2", start_time=clock.now() - 1, run_count=2)
    state = FlowRunner(f, clock=clock).run(task_states={node: earlier})
    assert seen == [3]
    assert state.result[node].is_failed()
    assert clock.waits == []  # it was due already


def test_a_retry_from_an_earlier_process_waits_for_its_start_time():
    @task(retries=1, retry_delay=0)
    def flaky():
        return "ok"

    with Flow("not-yet") as f:
        node = flaky()
    clock = FakeClock()
    earlier = Retrying("retry 1", start_time=clock.now() + 3600, run_count=1)
    state = FlowRunner(f, max_retry_wait=60, clock=clock).run(task_states={node: earlier})
    assert type(state) is Scheduled
    assert state.start_time == earlier.start_time
    # Without max_retry_wait the run waits for it in process, then runs it.
    assert FlowRunner(f, clock=clock).run(task_states={node: earlier}).is_successful()
    assert clock.waits == [(earlier.start_time - 3600, earlier.start_time)]


def test_mapped_children_reuse_successes_and_carry_on_retries():
    runs = []

    @task
    def numbers():
        return [1, 2, 3]

    @task(retries=3, retry_delay=0)
    def double(x):
        from proctor.core.context import get_task_run_context

        runs.append((x, get_task_run_context().run_count))
        return 2 * x

    with Flow("mapped-restart") as f:
        doubled = double.map(numbers())
    earlier = Mapped(
        map_states=[
            Success(result=20),
            Retrying(start_time=time.time() - 1, run_count=2),
            Pending(),
        ]
    )
    state = f.run(task_states={doubled: earlier}, executor=ThreadExecutor(2))
    assert state.is_successful()
    assert state.result[doubled].result == [20, 4, 6]
    assert sorted(runs) == [(2, 3), (3, 1)]


def test_flows_remember_the_file_that_defined_them():
    with Flow("block") as built_in_block:
        pass

    @flow
    def decorated():
        pass

    assert built_in_block.source_file == __file__
    assert decorated.source_file == __file__


def test_registering_a_flow_without_a_file_needs_a_storage():
    namespace: dict[str, object] = {}
    exec("from proctor import Flow\nf = Flow('typed-in')", namespace)
    typed_in = namespace["f"]
    assert typed_in.source_file is None
    with pytest.raises(FlowDefinitionError, match="storage="):
        typed_in.register("project")
