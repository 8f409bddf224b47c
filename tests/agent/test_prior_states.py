"""Earlier attempts of a run, as the server describes them: what is reused, what reopened."""

from __future__ import annotations

from datetime import UTC, datetime

from proctor import Flow, Parameter, task
from proctor.agent.prior_states import (
    failed_attempt_task_runs,
    prior_task_states,
    task_runs_to_reopen,
)
from proctor.client import TaskRunSummary
from proctor.core.states import Mapped, Pending, Retrying
from proctor.results import LocalResult

FAMILY = {"Success": "Success", "Mapped": "Success", "Failed": "Failed", "Retrying": "Scheduled"}


def row(slug: str, state: str, index: int = -1, location: str | None = None, runs: int = 1):
    return TaskRunSummary(
        id=f"{slug}-{index}",
        task_slug=slug,
        map_index=index,
        state=state,
        state_type=FAMILY.get(state, state),
        version=2,
        state_timestamp=datetime(2026, 1, 1, tzinfo=UTC),
        run_count=runs,
        result_location=location,
    )


@task
def numbers(n: int) -> list[int]:
    return list(range(n))


@task
def double(x: int) -> int:
    return 2 * x


@task
def total(values: list[int]) -> int:
    return sum(values)


def build(tmp_path):
    store = LocalResult(dir=tmp_path)
    with Flow("earlier", result=store) as flow:
        total(double.map(numbers(Parameter("n", default=3))))
    return flow, store


def test_successes_with_a_readable_result_are_reused_with_their_values(tmp_path):
    flow, store = build(tmp_path)
    numbers_at = store.write([0, 1, 2], flow_name="earlier", flow_run_id="r", task_slug="numbers")
    child_at = store.write(2, flow_name="earlier", flow_run_id="r", task_slug="double-1")
    rows = [
        row("n", "Success"),
        row("numbers", "Success", location=numbers_at),
        row("double", "Mapped"),
        row("double", "Success", 0),  # no result location: runs again
        row("double", "Success", 1, location=child_at),
        row("double", "Retrying", 2, runs=2),
        row("total", "Failed"),
    ]
    prior = prior_task_states(flow, rows)
    assert set(prior) == {"numbers", "double"}
    assert prior["numbers"].result == [0, 1, 2]
    assert prior["numbers"].timestamp == datetime(2026, 1, 1, tzinfo=UTC)
    kids = prior["double"]
    assert isinstance(kids, Mapped)
    assert isinstance(kids.map_states[0], Pending)
    assert kids.map_states[1].is_successful() and kids.map_states[1].result == 2
    assert isinstance(kids.map_states[2], Retrying) and kids.map_states[2].run_count == 2
    # Finished but not reused: reopened before the next attempt runs them again.
    assert sorted(task_runs_to_reopen(flow, rows, prior)) == [
        ("double", -1),
        ("double", 0),
        ("total", -1),
    ]


def test_a_result_that_cannot_be_read_is_computed_again(tmp_path):
    flow, _ = build(tmp_path)
    rows = [row("numbers", "Success", location="gone.pickle")]
    assert prior_task_states(flow, rows) == {}
    assert task_runs_to_reopen(flow, rows, {}) == [("numbers", -1)]


def test_a_failed_attempt_names_what_runs_again():
    @task
    def flaky(x: int) -> int:
        if x == 1:
            raise ValueError("one")
        return x

    with Flow("attempt") as failing:
        total(flaky.map(numbers(3)))
    state = failing.run()
    assert state.is_failed()
    assert sorted(failed_attempt_task_runs(state)) == [
        ("flaky", -1),
        ("flaky", 1),
        ("total", -1),
    ]
