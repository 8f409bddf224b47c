"""Observers hear of each finished task run as it finishes, and a cancelled run reports
every unfinished task run (mapped children included) as Cancelled."""

from __future__ import annotations

import time

from proctor import Flow, task
from proctor.core.observers import RunObserver
from proctor.core.runner.flow_runner import FlowRunner


class Changes(RunObserver):
    def __init__(self, on_change=None):
        self.changes = []
        self.on_change = on_change

    def task_run_state(self, context, change):
        self.changes.append((change.task_slug, change.map_index, change.state.name))
        if self.on_change is not None:
            self.on_change(self)


@task
def numbers(n: int) -> list[int]:
    return list(range(n))


@task
def slow(x: int) -> int:
    time.sleep(0.06)
    return x


def test_local_map_children_are_reported_as_they_finish():
    with Flow("progress") as flow:
        slow.map(numbers(4))
    observer = Changes()
    assert flow.run(observers=[observer]).is_successful()
    children = [(index, name) for slug, index, name in observer.changes if index is not None]
    # The first child's success is heard before the last child starts.
    assert children.index((0, "Success")) < children.index((3, "Running"))


def test_a_cancelled_local_map_stops_between_children_and_reports_the_rest():
    with Flow("cancel-map") as flow:
        slow.map(numbers(50))
    runner = FlowRunner(flow)

    def cancel_after_three(observer: Changes) -> None:
        done = sum(
            1 for _, index, name in observer.changes if index is not None and name == "Success"
        )
        if done == 3:
            runner.cancel()

    observer = Changes(cancel_after_three)
    runner.observers = [observer]
    state = runner.run()
    assert state.is_cancelled()
    final = {}
    for slug, index, name in observer.changes:
        final[(slug, index)] = name
    children = {index: name for (slug, index), name in final.items() if index is not None}
    assert len(children) == 50
    assert sum(1 for name in children.values() if name == "Success") >= 3
    assert set(children.values()) == {"Success", "Cancelled"}
    assert final[("slow", None)] == "Cancelled"
