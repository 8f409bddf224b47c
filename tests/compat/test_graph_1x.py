"""1.x graph-building spellings: max_retries, uncalled tasks, ifelse/switch, task_args,
pipe, nout from annotations, bare Task(), positional schedule (checked against 1.4.1)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from proctor import Flow, Parameter, Task, case, task, unmapped
from proctor.compat.graph import apply_map, merge
from proctor.core.branching import ifelse, switch
from proctor.core.errors import FlowDefinitionError
from proctor.schedules import IntervalSchedule


def _by_name(state):
    return {node.name: (type(s).__name__, s.result) for node, s in state.result.items()}


@task
def rnd():
    return 7


@task
def double(x):
    return x * 2


def test_max_retries_is_retries():
    calls = []

    @task(max_retries=2, retry_delay=timedelta(seconds=0))
    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise ValueError("not yet")
        return "done"

    assert flaky.max_retries == 2 and flaky.retries == 2
    with Flow("retry") as flow:
        out = flaky()
    state = flow.run()
    assert state.result[out].result == "done"
    assert len(calls) == 3
    assert flaky.copy(max_retries=5).retries == 5
    with pytest.raises(FlowDefinitionError, match="max_retries"):
        Task(retries=1, max_retries=2)


def test_uncalled_task_as_data_and_as_upstream_runs_once():
    with Flow("uncalled") as flow:
        p = double(rnd)
        q = double(3, upstream_tasks=[rnd])
    assert sorted(node.name for node in flow.tasks) == ["double", "double", "rnd"]
    assert rnd in flow.tasks
    state = flow.run()
    assert (state.result[p].result, state.result[q].result, state.result[rnd].result) == (14, 6, 7)
    assert [n.name for n in flow.upstream_tasks(q)] == ["rnd"]


def test_task_args_and_pipe():
    with Flow("ta") as flow:
        v = rnd(task_args={"name": "other", "tags": ["x"]})
        w = v.pipe(double)
    assert sorted((n.name, tuple(sorted(n.tags))) for n in flow.tasks) == [
        ("double", ()),
        ("other", ("x",)),
    ]
    assert _by_name(flow.run()) == {"other": ("Success", 7), "double": ("Success", 14)}
    assert rnd.name == "rnd"  # the task itself is unchanged: the run used a copy
    assert w.name == "double"


def test_flow_keyword_on_a_call_outside_a_with_block():
    flow = Flow("explicit")
    out = double(4, flow=flow)
    assert flow.run().result[out].result == 8


def test_nout_from_a_tuple_annotation():
    @task
    def tup() -> tuple[int, int]:
        return 1, 2

    @task
    def lowered() -> tuple[int, str, float]:
        return 1, "a", 2.0

    assert (tup.nout, lowered.nout) == (2, 3)
    with Flow("tup") as flow:
        first, second = tup()
    state = flow.run()
    assert (state.result[first].result, state.result[second].result) == (1, 2)
    assert first.name == "tup[0]"


def test_a_task_named_task_and_a_bare_task():
    import proctor

    @proctor.task
    def task(x):  # (1.x flows do name a function `task`)
        return x

    with Flow("named task") as flow:
        k = task(4)
        nothing = Task(name="join")(upstream_tasks=[k])
    state = flow.run()
    assert state.result[k].result == 4
    assert type(state.result[nothing]).__name__ == "Success"
    assert state.result[nothing].result is None


def test_schedule_as_second_argument_and_run_on_schedule_false():
    schedule = IntervalSchedule(interval=timedelta(minutes=5))
    with Flow("scheduled", schedule) as flow:
        out = double(2)
    assert flow.schedule is schedule
    assert flow.run(run_on_schedule=False).result[out].result == 4
    with pytest.raises(FlowDefinitionError, match="register"):
        flow.run(run_on_schedule=True)


def test_ifelse_switch_and_merge_as_1x_names_them():
    @task
    def cond():
        return True

    @task
    def yes():
        return "yes"

    @task
    def no():
        return "no"

    @task
    def val():
        return "b"

    @task
    def ta():
        return "A"

    @task
    def tb():
        return "B"

    with Flow("cf") as flow:
        c = cond()
        y, n = yes(), no()
        assert ifelse(c, y, n) is None
        first = merge(y, n)
        a, b = ta(), tb()
        assert switch(val(), {"a": a, "b": b}) is None
        second = merge(a, b)
    state = flow.run()
    assert state.is_successful()
    got = {name: kind for name, (kind, _) in _by_name(state).items() if name not in ("Merge",)}
    # Prefect 1.4.1: task names and states of the same flow.
    assert got == {
        "cond": "Success",
        "as_bool": "Success",
        'CompareValue: "True"': "Success",
        'CompareValue: "False"': "Skipped",
        "yes": "Success",
        "no": "Skipped",
        "val": "Success",
        'CompareValue: "a"': "Skipped",
        'CompareValue: "b"': "Success",
        "ta": "Skipped",
        "tb": "Success",
    }
    assert (first.name, state.result[first].result) == ("Merge", "yes")
    assert (second.name, state.result[second].result) == ("Merge", "B")


def test_apply_map_maps_every_task_of_the_function():
    @task
    def inc(x):
        return x + 1

    @task
    def add(x, y):
        return x + y

    def pipeline(x, y):
        return add(inc(x), y)

    with Flow("apply_map") as flow:
        numbers = Parameter("numbers", default=[1, 2, 3])
        out = apply_map(pipeline, numbers, y=unmapped(10))
    state = flow.run()
    # Prefect 1.4.1 gives [12, 13, 14] (inc mapped, then add mapped, y passed whole).
    assert state.result[out].result == [12, 13, 14]
    assert type(state.result[out]).__name__ == "Mapped"


def test_apply_map_with_a_case_inside_maps_the_case_too():
    @task
    def is_even(x):
        return x % 2 == 0

    @task
    def half(x):
        return x // 2

    def branch(x):
        with case(is_even(x), True):
            return half(x)

    with Flow("apply_map case") as flow:
        halves = apply_map(branch, [1, 2, 4])
    state = flow.run()
    # As 1.4.1 reports it: odd elements skip their child of `half` only.
    assert [type(child).__name__ for child in state.result[halves].map_states] == [
        "Skipped",
        "Success",
        "Success",
    ]
    assert state.result[halves].result == [None, 1, 2]


def test_map_over_upstream_tasks_only_maps_over_the_upstream():
    @task
    def numbers():
        return [1, 2, 3]

    @task
    def show():
        return "shown"

    with Flow("mapup") as flow:
        shown = show.map(upstream_tasks=[numbers()])
    assert flow.run().result[shown].result == ["shown", "shown", "shown"]
