"""Edges of the walk and of its loop that mutation testing found unpinned
(benchmarks/mutation-engine.md).

The walk's tests play the executor, as tests/core/test_walk.py does: they hand back the
states they choose and read the walk's next decision. The loop's tests run on a `FakeClock`, so
nothing waits in real time.
"""

from __future__ import annotations

from proctor import Flow, task
from proctor.core.clock import FakeClock
from proctor.core.concurrency_limits import Admission, LocalTaskGate, TaskGate
from proctor.core.context import FlowRunContext
from proctor.core.executors import LocalExecutor
from proctor.core.observers import RunObserver, TaskRunChange
from proctor.core.runner.flow_runner import FlowRunner
from proctor.core.runner.plan import compile_plan
from proctor.core.runner.unit import TaskRunUnit
from proctor.core.runner.walk import DONE, Decision, Requeue, Submit, Wait, Walk
from proctor.states import Cancelled, Success


@task
def numbers() -> list[int]:
    return [1, 2, 3]


@task
def double(x: int) -> int:
    return 2 * x


class Recorder(RunObserver):
    def __init__(self) -> None:
        self.changes: list[TaskRunChange] = []

    def task_run_state(self, context: FlowRunContext, change: TaskRunChange) -> None:
        self.changes.append(change)


def submitted(decision: Decision) -> list[TaskRunUnit]:
    assert type(decision) is Submit, decision
    return decision.units


def test_cancel_reports_the_children_of_a_map_after_one_that_finished() -> None:
    with Flow("two maps") as flow:
        double.map(double.map(numbers()))
    recorder = Recorder()
    walk = Walk(compile_plan(flow), FlowRunContext(flow.name, "run-id", {}), [recorder])
    [source] = submitted(walk.step(0.0))
    walk.completed(source, Success(result=[1, 2, 3]))
    for child in submitted(walk.step(0.0)):
        walk.completed(child, Success(result=2 * child.inputs["x"]))
    # The first map is done; the second's three children are out when the run is cancelled.
    second = submitted(walk.step(0.0))
    assert [child.inputs["x"] for child in second] == [2, 4, 6]
    walk.completed(second[1], Success(result=8))
    recorder.changes.clear()
    walk.cancel()
    cancelled_children = [
        change.map_index
        for change in recorder.changes
        if change.map_index is not None and type(change.state) is Cancelled
    ]
    assert cancelled_children == [0, 2]


def test_decisions_read_as_what_they_decide() -> None:
    # Assertion messages about a wrong decision print it.
    assert [repr(decision) for decision in (DONE, Wait(None), Requeue(5.0))] == [
        "DONE",
        "Wait(until=None)",
        "Requeue(at=5.0)",
    ]


# -- the loop with a gate ------------------------------------------------------------------


@task(tags=["db"])
def query() -> str:
    return "query"


@task
def plain() -> str:
    return "plain"


class StartsUnreported(LocalExecutor):
    """A local executor that, like a process pool, leaves reporting starts to the walk."""

    reports_start = False

    def start(self, flow_context, on_start) -> None:  # type: ignore[no-untyped-def]
        super().start(flow_context, None)


class Announcing(LocalTaskGate):
    """A gate that reports the task runs it admits Submitted itself, as the server's does."""

    announces = True


class LateAnswer(LocalTaskGate):
    """A gate whose "wait" answer comes one poll after the request, and whose slot one
    poll after that, as a server's answers arrive while the run waits."""

    def __init__(self) -> None:
        super().__init__({"db": 1})
        self.polls = 0

    def poll(self, timeout: float) -> Admission:
        self.polls += 1
        if self.polls == 1:
            return [], []
        if self.polls == 2:
            return [], [(unit, "Waiting for the server") for unit in self._waiting]
        return super().poll(timeout)


def states_heard(gate: TaskGate) -> dict[str, list[str]]:
    with Flow("gated") as flow:
        query()
        plain()
    recorder = Recorder()
    runner = FlowRunner(
        flow, executor=StartsUnreported(), observers=[recorder], gate=gate, clock=FakeClock()
    )
    final = runner.run()
    assert final.is_successful(), final.message
    heard: dict[str, list[str]] = {"query": [], "plain": []}
    for change in recorder.changes:
        heard[change.task_slug].append(change.state.name)
    return heard


def test_a_task_run_the_gate_admits_at_once_is_reported_submitted_by_the_walk() -> None:
    assert states_heard(LocalTaskGate({"db": 1})) == {
        "query": ["Submitted", "Running", "Success"],
        "plain": ["Submitted", "Running", "Success"],
    }


def test_a_gate_that_announces_admissions_is_not_echoed_by_the_walk() -> None:
    assert states_heard(Announcing({"db": 1})) == {
        "query": ["Running", "Success"],
        "plain": ["Submitted", "Running", "Success"],
    }


def test_a_hold_back_answered_while_the_run_waits_is_reported_queued() -> None:
    gate = LateAnswer()
    assert states_heard(gate) == {
        "query": ["Queued", "Submitted", "Running", "Success"],
        "plain": ["Submitted", "Running", "Success"],
    }
    assert gate.polls >= 3
