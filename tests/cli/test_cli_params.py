"""Reading `--param NAME=VALUE` texts and `FILE[:FLOW]` targets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from proctor import Flow, Parameter, flow, task
from proctor.cli.output import UserError
from proctor.cli.params import (
    check_names,
    collect,
    interpret,
    parse_value,
    read_params_file,
    split_params,
)
from proctor.cli.run_local import split_target


@task
def show(value: Any) -> Any:
    return value


@flow
def typed(n: int, label: str = "x", anything=None):
    show(n)
    show(label)
    show(anything)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3", 3),
        ("-2", -2),
        ("1.5", 1.5),
        ("[1,2]", [1, 2]),
        ('{"a": [true, null]}', {"a": [True, None]}),
        ("true", True),
        ("false", False),
        ("null", None),
        ('"quoted"', "quoted"),
        ('"3"', "3"),
        ("hello", "hello"),
        ("hello world", "hello world"),
        ("2026-01-01", "2026-01-01"),
        ("007", "007"),  # not JSON (leading zero): text
        ("True", "True"),  # Python's spelling is not JSON's
        ("NaN", "NaN"),
        ("Infinity", "Infinity"),
        ("[1,", "[1,"),
        ("", ""),
    ],
)
def test_parse_value_reads_json_and_falls_back_to_text(text: str, value: Any):
    assert parse_value(text) == value
    assert type(parse_value(text)) is type(value)


def test_split_params_splits_on_the_first_equals_sign():
    assert split_params(["n=3", "query=a=b", "empty="]) == {
        "n": "3",
        "query": "a=b",
        "empty": "",
    }


def test_split_params_keeps_the_last_of_repeated_names():
    assert split_params(["n=1", "n=2"]) == {"n": "2"}


@pytest.mark.parametrize("item", ["n", "=3", "not a name=3", "1n=3"])
def test_split_params_rejects_malformed_items(item: str):
    with pytest.raises(UserError, match="NAME=VALUE"):
        split_params([item])


def test_interpret_keeps_text_for_str_parameters_only():
    values = interpret({"n": "42", "label": "42", "anything": "42"}, typed)
    assert values == {"n": 42, "label": "42", "anything": 42}
    assert interpret({"label": '"quoted"'}, typed) == {"label": "quoted"}


def test_check_names_names_unknown_and_missing_parameters():
    with pytest.raises(UserError, match=r"no parameter bogus\. Its parameters: anything, "):
        check_names({"n": 1, "bogus": 2}, typed)
    with pytest.raises(UserError, match=r"n \(int\): pass --param n=VALUE"):
        check_names({}, typed)
    check_names({"n": 1}, typed)


def test_check_names_for_a_flow_without_parameters():
    with Flow("plain") as plain:
        show(1)
    with pytest.raises(UserError, match="Its parameters: none"):
        check_names({"x": 1}, plain)


def test_check_names_accepts_parameters_declared_with_the_class():
    with Flow("classic") as classic:
        show(Parameter("day"))
    check_names({"day": "2026-01-01"}, classic)
    with pytest.raises(UserError, match="day"):
        check_names({}, classic)


def test_collect_merges_file_and_options(tmp_path: Path):
    file = tmp_path / "p.json"
    file.write_text('{"n": 1, "label": "file"}')
    assert collect(["label=option"], file, typed) == {"n": 1, "label": "option"}
    assert collect([], None, Flow("empty")) == {}


def test_read_params_file_errors(tmp_path: Path):
    with pytest.raises(UserError, match="No such parameters file"):
        read_params_file(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"n": }')
    with pytest.raises(UserError, match=r"not valid JSON \(line 1, column 7"):
        read_params_file(bad)
    listing = tmp_path / "list.json"
    listing.write_text("[1]")
    with pytest.raises(UserError, match="holds a JSON list"):
        read_params_file(listing)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(UserError, match="Cannot read"):
        read_params_file(binary)


@pytest.mark.parametrize(
    ("target", "path", "name"),
    [
        ("flows.py", "flows.py", None),
        ("flows.py:etl", "flows.py", "etl"),
        ("dir/flows.py:etl", "dir/flows.py", "etl"),
        ("flows.py:", "flows.py", None),
        ("C:\\work\\flows.py", "C:\\work\\flows.py", None),
        ("odd:dir/flows.py", "odd:dir/flows.py", None),
    ],
)
def test_split_target(target: str, path: str, name: str | None):
    assert split_target(target) == (Path(path), name)


def test_split_target_prefers_an_existing_file_with_a_colon_in_its_name(tmp_path: Path):
    odd = tmp_path / "flows.py:etl"
    odd.write_text("")
    assert split_target(str(odd)) == (odd, None)
