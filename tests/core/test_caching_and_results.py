"""Caching (in process and across processes), result persistence and targets."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest

from proctor import Flow, Parameter, flow, task
from proctor.cache_validators import (
    all_inputs,
    all_parameters,
    never_use,
    partial_inputs_only,
    partial_parameters_only,
)
from proctor.core.runner.caching import clear_memory_cache
from proctor.results import FSSpecResult, JSONSerializer, LocalResult
from proctor.states import Cached, State


def counting_task(**options):
    calls = []

    @task(**options)
    def compute(x, y=0):
        calls.append((x, y))
        return x * 10 + y

    return compute, calls


def reused(state: State) -> bool:
    """Whether the task run took its value from the cache instead of running."""
    return isinstance(state, Cached) and state.reused


def test_cache_for_reuses_within_the_window_then_expires():
    compute, calls = counting_task(cache_for=0.3)
    with Flow("cache") as f:
        node = compute(1)
    first = f.run()
    second = f.run()
    # As in 1.x, a run that filled the cache is reported Cached too; `reused` tells them apart.
    assert isinstance(first.result[node], Cached) and not first.result[node].reused
    assert isinstance(second.result[node], Cached) and second.result[node].reused
    assert second.result[node].result == 10
    assert len(calls) == 1
    time.sleep(0.35)
    third = f.run()
    assert not reused(third.result[node])
    assert len(calls) == 2


def test_validators_compare_inputs_and_parameters():
    compute, calls = counting_task(cache_for=60, cache_validator=all_inputs)
    with Flow("inputs") as f:
        x = Parameter("x", default=1)
        node = compute(x)
    f.run(x=1)
    assert reused(f.run(x=1).result[node])
    assert not reused(f.run(x=2).result[node])
    assert len(calls) == 2

    by_param, param_calls = counting_task(cache_for=60, cache_validator=all_parameters)
    with Flow("params") as g:
        p = Parameter("p", default=1)
        q = Parameter("q", default=1)
        n = by_param(p)
        by_param(q, upstream_tasks=[])
    g.run(p=1, q=1)
    assert reused(g.run(p=1, q=1).result[n])
    assert not reused(g.run(p=1, q=2).result[n])  # any parameter change invalidates
    assert (1, 0) in param_calls

    partial, partial_calls = counting_task(
        cache_for=60, cache_validator=partial_parameters_only(["p"])
    )
    with Flow("partial-params") as h:
        p = Parameter("p", default=1)
        Parameter("unrelated", default=0)
        m = partial(p)
    h.run(p=1, unrelated=0)
    assert reused(h.run(p=1, unrelated=5).result[m])
    assert not reused(h.run(p=3, unrelated=5).result[m])
    assert partial_calls == [(1, 0), (3, 0)]

    by_input, _ = counting_task(cache_for=60, cache_validator=partial_inputs_only(["x"]))
    with Flow("partial-inputs") as k:
        r = by_input(Parameter("a", default=1), Parameter("b", default=1))
    k.run(a=1, b=1)
    assert reused(k.run(a=1, b=9).result[r])
    assert not reused(k.run(a=2, b=9).result[r])


def test_never_use_and_cache_key_shared_between_tasks():
    never, calls = counting_task(cache_for=60, cache_validator=never_use)
    with Flow("never") as f:
        never(1)
    f.run()
    f.run()
    assert len(calls) == 2

    first, first_calls = counting_task(cache_for=60, cache_key="shared-{parameters[day]}")
    second, second_calls = counting_task(cache_for=60, cache_key="shared-{parameters[day]}")
    with Flow("one") as one:
        first(1, upstream_tasks=[Parameter("day")])
    with Flow("two") as two:
        node = second(1, upstream_tasks=[Parameter("day")])
    one.run(day="mon")
    state = two.run(day="mon")
    assert reused(state.result[node]) and state.result[node].result == 10
    assert second_calls == []
    assert first_calls == [(1, 0)]
    assert not reused(two.run(day="tue").result[node])


def test_mapped_children_cache_by_index():
    compute, calls = counting_task(cache_for=60)
    with Flow("mapped-cache") as f:
        node = compute.map([1, 2, 3])
    f.run()
    again = f.run()
    assert all(reused(s) for s in again.result[node].map_states)
    assert again.result[node].result == [10, 20, 30]
    assert len(calls) == 3


def test_results_are_persisted_with_templated_locations(tmp_path):
    store = LocalResult(
        dir=tmp_path,
        location="{flow_name}/{task_name}/{parameters[day]}-{map_index}.json",
        serializer=JSONSerializer(),
    )

    @task(result=store)
    def square(x):
        return {"square": x * x}

    @flow
    def persisted(day: str = "mon"):
        square.map([2, 3])

    state = persisted.run(day="fri")
    children = state.result["square"].map_states
    assert [c.result_location for c in children] == [
        "persisted/square/fri-0.json",
        "persisted/square/fri-1.json",
    ]
    saved = json.loads((tmp_path / "persisted/square/fri-1.json").read_text())
    assert saved == {"square": 9}
    assert store.read(children[0].result_location) == {"square": 4}
    assert children[0].to_dict()["result_location"] == "persisted/square/fri-0.json"
    assert "square" not in json.dumps(children[0].to_dict()).replace("/square/", "")


def test_flow_level_result_and_checkpoint_false(tmp_path):
    @task
    def kept():
        return 1

    @task(checkpoint=False)
    def not_kept():
        return 2

    with Flow("flow-result", result=LocalResult(dir=tmp_path)) as f:
        a = kept()
        b = not_kept()
    state = f.run()
    assert state.result[a].result_location is not None
    assert (tmp_path / state.result[a].result_location).exists()
    assert state.result[b].result_location is None


def test_fsspec_result_on_a_memory_filesystem():
    store = FSSpecResult("memory://bucket/runs", location="{task_name}.pkl")

    @task(result=store)
    def make():
        return {"rows": [1, 2]}

    with Flow("fsspec") as f:
        node = make()
    state = f.run()
    location = state.result[node].result_location
    assert store.exists(location)
    assert store.read(location) == {"rows": [1, 2]}


def test_target_skips_work_when_the_output_exists(tmp_path):
    compute, calls = counting_task(
        result=LocalResult(dir=tmp_path), target="{task_name}-{parameters[day]}.pkl"
    )
    with Flow("target") as f:
        node = compute(2, upstream_tasks=[Parameter("day")])
    first = f.run(day="mon")
    assert first.result[node].result_location == "compute-mon.pkl"
    assert (tmp_path / "compute-mon.pkl").exists()
    second = f.run(day="mon")
    assert isinstance(second.result[node], Cached)
    assert second.result[node].result == 20
    assert len(calls) == 1
    f.run(day="tue")
    assert len(calls) == 2


def test_a_missing_template_name_fails_the_task_with_the_names_available(tmp_path):
    compute, _ = counting_task(result=LocalResult(dir=tmp_path), target="{nope}.pkl")
    with Flow("bad-target") as f:
        node = compute(1)
    state = f.run()
    assert state.result[node].is_failed()
    assert "nope" in state.result[node].message
    assert "task_name" in state.result[node].message


FLOW_FILE = """
import sys
from proctor import Flow, task
from proctor.results import LocalResult

@task(cache_for=3600, result=LocalResult(dir=sys.argv[1]))
def expensive(x):
    with open(sys.argv[2], "a") as log:
        log.write("ran\\n")
    return x * 2

with Flow("cross-process") as flow:
    node = expensive(21)

state = flow.run()
print(type(state.result[node]).__name__, state.result[node].result, state.result[node].reused)
"""


def test_cache_holds_across_processes_with_a_result_store(tmp_path):
    script = tmp_path / "cached_flow.py"
    script.write_text(textwrap.dedent(FLOW_FILE))
    store, log = tmp_path / "store", tmp_path / "calls.log"
    outputs = [
        subprocess.run(
            [sys.executable, str(script), str(store), str(log)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        for _ in range(2)
    ]
    assert outputs == [["Cached", "42", "False"], ["Cached", "42", "True"]]
    assert log.read_text().count("ran") == 1


VALIDATED_FLOW_FILE = """
import sys
from proctor import Flow, Parameter, task
from proctor.cache_validators import all_inputs, partial_parameters_only
from proctor.results import LocalResult

store, log, which, x, region, day = sys.argv[1:7]
validator = {"all_inputs": all_inputs, "region": partial_parameters_only(["region"])}[which]

@task(cache_for=3600, cache_validator=validator, result=LocalResult(dir=store))
def expensive(x, region, day):
    with open(log, "a") as calls:
        calls.write("ran\\n")
    return f"{x}-{region}-{day}"

with Flow("cross-process-validated") as flow:
    node = expensive(int(x), Parameter("region"), Parameter("day"))

state = flow.run(parameters={"region": region, "day": day})
print(state.result[node].result, state.result[node].reused)
"""


@pytest.mark.parametrize(
    ("validator", "runs", "expected"),
    [
        (
            "all_inputs",
            [("1", "eu", "mon"), ("1", "eu", "mon"), ("2", "eu", "mon")],
            [["1-eu-mon", "False"], ["1-eu-mon", "True"], ["2-eu-mon", "False"]],
        ),
        (
            "region",
            [("1", "eu", "mon"), ("1", "eu", "tue"), ("1", "us", "tue")],
            [["1-eu-mon", "False"], ["1-eu-mon", "True"], ["1-us-tue", "False"]],
        ),
    ],
    ids=["all_inputs", "partial_parameters_only"],
)
def test_validators_see_the_saved_inputs_and_parameters_in_another_process(
    tmp_path, validator, runs, expected
):
    # Each run is a fresh process, so the validator can only compare with what the first
    # process saved in the result store: a record that lost its fingerprints is never reused.
    script = tmp_path / "validated_flow.py"
    script.write_text(textwrap.dedent(VALIDATED_FLOW_FILE))
    store, log = tmp_path / "store", tmp_path / "calls.log"
    outputs = [
        subprocess.run(
            [sys.executable, str(script), str(store), str(log), validator, *run],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        for run in runs
    ]
    assert outputs == expected
    assert log.read_text().count("ran") == 2


def test_memory_cache_can_be_cleared():
    compute, calls = counting_task(cache_for=60)
    with Flow("clear") as f:
        compute(1)
    f.run()
    clear_memory_cache()
    f.run()
    assert len(calls) == 2


@pytest.mark.parametrize("bad", [123, object()])
def test_result_option_must_be_a_result(bad):
    from proctor.core.errors import FlowDefinitionError

    with pytest.raises(FlowDefinitionError, match="result must be a Result"):
        task(result=bad)(lambda: 1)
