"""Comparing two runs, decided alone (no database): what makes a task differ."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from proctor.server.services.run_compare import TaskSide, durations_differ, task_differences


def test_compared_tasks_differ_by_state_presence_of_a_result_children_and_long_gaps():
    t0 = datetime(2026, 1, 1, tzinfo=UTC)

    def side(state="Success", seconds=1.0, location="file:///a", children=None):
        end = t0 + timedelta(seconds=seconds)
        return TaskSide(None, state, None, t0, end, location, 1, dict(children or {}))

    assert task_differences(side(), side(location="file:///b")) == []  # each run its own
    assert task_differences(side(), side(location=None)) == ["result"]
    assert task_differences(side(), side(state="Failed", location=None)) == ["state", "result"]
    assert task_differences(side(children={"Success": 3}), side(children={"Success": 2})) == [
        "children"
    ]
    assert task_differences(side(), None) == ["missing"]
    assert durations_differ(1.0, 2.0) is True  # twice as long, a second apart
    assert durations_differ(0.1, 0.9) is False  # under a second apart
    assert durations_differ(10.0, 14.0) is False  # under half again
    assert durations_differ(None, 3.0) is True
