"""Cache validators and the cache record they judge, called directly; then a record
reloaded from a result store in this process (the path another process takes).

Expectations follow DESIGN.md's list (`never_use`, `duration_only`, `all_inputs`,
`all_parameters`, `partial_inputs_only`, `partial_parameters_only`) and 1.x's meaning of
each: the entry must be unexpired, and the named values equal to those it was made from.
"""

from __future__ import annotations

import time

import pytest

from proctor import Flow, Parameter, task
from proctor.cache_validators import (
    CacheRecord,
    all_inputs,
    all_parameters,
    duration_only,
    never_use,
    partial_inputs_only,
    partial_parameters_only,
)
from proctor.core.runner.caching import clear_memory_cache
from proctor.core.runner.fingerprint import fingerprints
from proctor.results import LocalResult

NOW = 1_000_000.0


@pytest.fixture
def clock(monkeypatch):
    """time.time() fixed at NOW, as the validators read it."""
    monkeypatch.setattr(time, "time", lambda: NOW)
    return NOW


def record(expires=None, inputs=None, parameters=None) -> CacheRecord:
    return CacheRecord("value", expires, fingerprints(inputs or {}), fingerprints(parameters or {}))


def test_duration_only_reuses_until_the_expiry_itself(clock):
    assert duration_only(record(expires=None), {}, {}) is True
    assert duration_only(record(expires=NOW + 0.001), {}, {}) is True
    # Expired at the very moment of expiry, not a moment later.
    assert duration_only(record(expires=NOW), {}, {}) is False
    assert duration_only(record(expires=NOW - 1), {}, {}) is False


def test_never_use_refuses_even_a_fresh_entry():
    assert never_use(record(), {}, {}) is False


@pytest.mark.parametrize(
    ("validator", "same", "other"),
    [
        (all_inputs, ({"x": 1, "y": 2}, {"p": 1}), ({"x": 1, "y": 3}, {"p": 1})),
        (all_parameters, ({"x": 9}, {"p": 1, "q": 2}), ({"x": 1}, {"p": 1, "q": 3})),
        (partial_inputs_only(["x"]), ({"x": 1, "y": 9}, {"p": 9}), ({"x": 2, "y": 2}, {"p": 1})),
        (
            partial_parameters_only(["p"]),
            ({"x": 9}, {"p": 1, "q": 9}),
            ({"x": 1}, {"p": 2, "q": 2}),
        ),
    ],
    ids=["all_inputs", "all_parameters", "partial_inputs_only", "partial_parameters_only"],
)
def test_value_validators_compare_what_they_name_and_respect_expiry(clock, validator, same, other):
    saved = record(expires=NOW + 60, inputs={"x": 1, "y": 2}, parameters={"p": 1, "q": 2})
    assert validator(saved, *same) is True
    assert validator(saved, *other) is False
    expired = record(expires=NOW, inputs={"x": 1, "y": 2}, parameters={"p": 1, "q": 2})
    assert validator(expired, *same) is False


def test_partial_validators_treat_a_missing_name_as_a_difference(clock):
    saved = record(expires=None, inputs={"x": 1}, parameters={"p": 1})
    assert partial_inputs_only(["x", "z"])(saved, {"x": 1}, {}) is True  # absent both times
    assert partial_inputs_only(["x"])(saved, {}, {}) is False
    assert partial_parameters_only(["p"])(saved, {}, {}) is False
    assert partial_parameters_only(["p", "r"])(saved, {}, {"p": 1, "r": 0}) is False


def test_partial_validators_are_named_after_their_keys():
    assert partial_inputs_only(["a", "b"]).__name__ == "partial_inputs_only(['a', 'b'])"
    assert partial_parameters_only(("p",)).__name__ == "partial_parameters_only(['p'])"


def test_a_record_keeps_what_it_was_made_from(clock):
    made = CacheRecord(
        "v", NOW + 5, {"x": "fx"}, {"p": "fp"}, result_location="store/key", created=12.0
    )
    assert (made.value, made.expires, made.inputs, made.parameters) == (
        "v",
        NOW + 5,
        {"x": "fx"},
        {"p": "fp"},
    )
    assert (made.result_location, made.created) == ("store/key", 12.0)
    fresh = CacheRecord("v", None, {}, {})
    assert fresh.created == NOW
    assert fresh.result_location is None


def test_a_record_travels_as_a_dict_without_its_value():
    made = CacheRecord("secret value", 50.0, {"x": "fx"}, {"p": "fp"}, result_location="loc")
    made.created = 7.0
    data = made.to_dict()
    assert data == {
        "expires": 50.0,
        "inputs": {"x": "fx"},
        "parameters": {"p": "fp"},
        "result_location": "loc",
        "created": 7.0,
    }
    again = CacheRecord.from_dict(data, "read back")
    assert (again.value, again.expires, again.inputs, again.parameters) == (
        "read back",
        50.0,
        {"x": "fx"},
        {"p": "fp"},
    )
    assert (again.result_location, again.created) == ("loc", 7.0)
    assert CacheRecord.from_dict(data).value is None


def test_a_sparse_dict_gives_an_unexpiring_record_without_fingerprints(clock):
    again = CacheRecord.from_dict({"inputs": None})
    assert (again.expires, again.inputs, again.parameters) == (None, {}, {})
    assert (again.result_location, again.created) == (None, NOW)
    assert isinstance(again.inputs, dict) and isinstance(again.parameters, dict)


def test_a_record_reloaded_from_the_store_keeps_its_fingerprints(tmp_path):
    # The in-process cache is cleared between runs, so each later run must read the record
    # back from the result store, as another process would.
    calls = []

    @task(
        cache_for=3600,
        cache_validator=partial_parameters_only(["region"]),
        result=LocalResult(dir=str(tmp_path)),
    )
    def expensive(x, region, day):
        calls.append((x, region, day))
        return f"{x}-{region}-{day}"

    @task(cache_for=3600, cache_validator=all_inputs, result=LocalResult(dir=str(tmp_path)))
    def by_input(x):
        calls.append(("by_input", x))
        return x * 2

    with Flow("reloaded") as flow:
        region, day, x = Parameter("region"), Parameter("day"), Parameter("x")
        node = expensive(1, region, day)
        doubled = by_input(x)

    def run(**parameters):
        clear_memory_cache()
        state = flow.run(parameters=parameters)
        return [(state.result[n].result, state.result[n].reused) for n in (node, doubled)]

    assert run(region="eu", day="mon", x=2) == [("1-eu-mon", False), (4, False)]
    assert run(region="eu", day="tue", x=2) == [("1-eu-mon", True), (4, True)]
    assert run(region="us", day="tue", x=3) == [("1-us-tue", False), (6, False)]
    assert len(calls) == 4


def test_a_fingerprint_is_the_hash_of_canonical_json_or_else_of_the_pickle():
    import hashlib

    from proctor.core.runner.fingerprint import fingerprint

    canonical = hashlib.sha256(b'{"a":[1,2],"b":"x"}').hexdigest()
    assert fingerprint({"b": "x", "a": [1, 2]}) == canonical
    assert fingerprint({"a": [1, 2], "b": "x"}) == canonical
    # Not JSON: told apart by their pickles, and stable for one value.
    assert fingerprint({1, 2}) == fingerprint({1, 2})
    assert fingerprint({1, 2}) != fingerprint({3})
    assert fingerprints({"s": {1}, "n": 1}) == {"s": fingerprint({1}), "n": fingerprint(1)}


def test_a_failing_validator_fails_the_task_saying_which_and_why(tmp_path):
    def broken(record, inputs, parameters):
        raise LookupError("no such thing")

    @task(cache_for=60, cache_validator=broken)
    def cached() -> int:
        return 1

    with Flow("broken-validator") as flow:
        node = cached()
    assert flow.run().is_successful()  # nothing cached yet: the validator is not asked
    state = flow.run().result[node]
    assert state.is_failed()
    assert state.message == "cache_validator of task 'cached' failed: LookupError: no such thing"


def test_a_record_whose_value_is_gone_from_the_store_is_not_reused(tmp_path):
    calls = []

    @task(cache_for=3600, result=LocalResult(dir=str(tmp_path), location="value.out"))
    def produce() -> int:
        calls.append(1)
        return 7

    with Flow("value-gone") as flow:
        node = produce()
    assert flow.run().result[node].result == 7
    (tmp_path / "value.out").unlink()
    clear_memory_cache()
    again = flow.run().result[node]
    assert (again.result, again.reused) == (7, False)
    assert len(calls) == 2
