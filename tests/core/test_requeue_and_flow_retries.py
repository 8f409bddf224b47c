"""Flow-level retries, stopping early for far-away retries (`max_retry_wait`), carrying on
retries an earlier process scheduled, and the file a flow was defined in."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from proctor import Flow, flow, task
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
    started = time.monotonic()
    state = f.run(observers=[observer])
    assert state.is_successful()
    assert state.result[node].result == 2
    assert calls == {"a": 1, "b": 2}
    assert time.monotonic() - started >= 0.05
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
    state = f.run()
    assert state.is_failed()
    assert len(attempts) == 3


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
    started = time.time()
    state = FlowRunner(f, max_retry_wait=60).run(run_count=2)
    assert type(state) is Retrying
    assert state.run_count == 2
    assert state.start_time == pytest.approx(started + 5, abs=2)
    assert time.time() - started < 5  # returned instead of sleeping out the 5 s delay
    # The last attempt fails for good.
    assert FlowRunner(f, max_retry_wait=60).run(run_count=3).is_failed()


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
    started = time.time()
    state = FlowRunner(f, max_retry_wait=60).run()
    assert type(state) is Scheduled
    assert state.start_time == pytest.approx(started + 3600, abs=5)
    assert time.time() - started < 5
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
    assert FlowRunner(f, max_retry_wait=60).run().is_successful()
    assert len(attempts) == 2


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
    earlier = Retrying("retry 2", start_time=time.time() - 1, run_count=2)
    state = f.run(task_states={node: earlier})
    assert seen == [3]
    assert state.result[node].is_failed()


def test_a_retry_from_an_earlier_process_waits_for_its_start_time():
    @task(retries=1, retry_delay=0)
    def flaky():
        return "ok"

    with Flow("not-yet") as f:
        node = flaky()
    earlier = Retrying("retry 1", start_time=time.time() + 3600, run_count=1)
    state = FlowRunner(f, max_retry_wait=60).run(task_states={node: earlier})
    assert type(state) is Scheduled
    assert state.start_time == pytest.approx(earlier.start_time)


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
