"""Result persistence: location templates, serializers, atomic writes, descriptions."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import cloudpickle
import fsspec
import pytest

import proctor.core.results as core_results
from proctor.core.errors import ProctorError, ResultError
from proctor.core.results import (
    DEFAULT_LOCATION,
    FSSpecResult,
    JSONSerializer,
    LocalResult,
    PickleSerializer,
    Result,
    Serializer,
    TextSerializer,
    result_from_dict,
    serializer_from_name,
)

CONTEXT: dict[str, Any] = {
    "flow_name": "etl",
    "flow_run_id": "run-1",
    "task_slug": "load-1",
    "task_name": "load",
    "parameters": {"day": "2026-01-02", "region": "eu"},
}


class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x, self.y = x, y

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)

    __hash__ = None  # type: ignore[assignment]


class HalfWayFailure(Serializer):
    """Writes some bytes, then fails: a writer interrupted mid-way."""

    name = "test-half-way"
    extension = "bin"

    def dumps(self, value: Any) -> bytes:
        return b"complete"

    def dump(self, value: Any, file: IO[bytes]) -> None:
        file.write(b"first half of the payload")
        file.flush()
        raise RuntimeError("disk went away")

    def loads(self, data: bytes) -> Any:
        return data


@pytest.fixture(autouse=True)
def proctor_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("PROCTOR_HOME", str(home))
    return home


@pytest.fixture
def memory_url() -> Iterator[str]:
    bucket = f"proctor-test-{uuid.uuid4().hex}"
    yield f"memory://{bucket}/results"
    fs = fsspec.filesystem("memory")
    if fs.exists(f"/{bucket}"):
        fs.rm(f"/{bucket}", recursive=True)


@pytest.fixture(params=["local", "memory", "file"])
def make_result(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A factory building each kind of result over its own empty base."""
    kind = request.param
    if kind == "local":

        def make(**kwargs: Any) -> Result:
            return LocalResult(tmp_path / "results", **kwargs)

        yield make
    elif kind == "file":

        def make(**kwargs: Any) -> Result:
            return FSSpecResult((tmp_path / "results").as_uri(), **kwargs)

        yield make
    else:
        url = request.getfixturevalue("memory_url")

        def make(**kwargs: Any) -> Result:
            return FSSpecResult(url, **kwargs)

        yield make


def stored_files(result: Result) -> list[str]:
    """Every file under the result's base, as paths relative to it."""
    if isinstance(result, LocalResult):
        base = result.base_dir
        return sorted(p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file())
    assert isinstance(result, FSSpecResult)
    fs, root = fsspec.core.url_to_fs(result.url)
    if not fs.exists(root):
        return []
    return sorted(p[len(root.rstrip("/")) + 1 :] for p in fs.find(root))


# -- locations ------------------------------------------------------------------------------


def test_template_renders_context_and_parameters() -> None:
    result = LocalResult(location="{flow_name}/{parameters[day]}/{task_name}.{ext}")
    assert result.format_location(**CONTEXT) == "etl/2026-01-02/load.pickle"


def test_template_ext_follows_the_serializer() -> None:
    template = "out/{task_name}.{ext}"
    assert LocalResult(location=template, serializer=JSONSerializer()).format_location(
        **CONTEXT
    ) == ("out/load.json")
    assert LocalResult(location=template, serializer=TextSerializer()).format_location(
        **CONTEXT
    ) == ("out/load.txt")


def test_default_location_is_unique_per_run_task_and_map_index() -> None:
    result = LocalResult()
    assert result.location is None
    assert DEFAULT_LOCATION == "{flow_name}/{flow_run_id}/{task_slug}{map_suffix}.{ext}"
    assert result.format_location(**CONTEXT) == "etl/run-1/load-1.pickle"
    assert result.format_location(**CONTEXT, map_index=None) == "etl/run-1/load-1.pickle"
    assert result.format_location(**CONTEXT, map_index=0) == "etl/run-1/load-1-0.pickle"
    assert result.format_location(**CONTEXT, map_index=12) == "etl/run-1/load-1-12.pickle"
    other_run = {**CONTEXT, "flow_run_id": "run-2"}
    assert result.format_location(**other_run) == "etl/run-2/load-1.pickle"


def test_today_is_available() -> None:
    rendered = LocalResult(location="{today}.txt").format_location()
    assert len(rendered) == len("2026-01-02.txt")
    assert rendered[4] == "-" and rendered[7] == "-"
    assert LocalResult(location="{today}.txt").format_location(today="x") == "x.txt"


def test_callable_location_gets_the_context_as_keywords() -> None:
    seen: dict[str, Any] = {}

    def location(**context: Any) -> str:
        seen.update(context)
        return f"{context['task_slug']}/{context['parameters']['region']}-{context['map_index']}"

    result = LocalResult(location=location)
    assert result.format_location(**CONTEXT, map_index=3) == "load-1/eu-3"
    assert seen["ext"] == "pickle"
    assert seen["flow_run_id"] == "run-1"


def test_callable_location_with_named_parameters() -> None:
    def location(flow_name: str, task_name: str, **_: Any) -> str:
        return f"{flow_name}.{task_name}"

    assert LocalResult(location=location).format_location(**CONTEXT) == "etl.load"


def test_callable_location_without_kwargs_is_explained() -> None:
    def location(flow_name: str) -> str:
        return flow_name

    with pytest.raises(ResultError, match=r"location function .*location.*\*\*context"):
        LocalResult(location=location).format_location(**CONTEXT)


def test_callable_location_must_return_a_string() -> None:
    with pytest.raises(ResultError, match="returned int; it must return a str"):
        LocalResult(location=lambda **_: 42).format_location(**CONTEXT)


def test_callable_location_failure_is_wrapped() -> None:
    def location(**context: Any) -> str:
        raise LookupError("no such region")

    with pytest.raises(ResultError, match="raised LookupError: no such region"):
        LocalResult(location=location).format_location(**CONTEXT)


def test_missing_template_key_names_it_and_lists_the_available_keys() -> None:
    result = LocalResult(location="{flow_name}/{colour}.bin")
    with pytest.raises(ResultError) as info:
        result.format_location(**CONTEXT)
    message = str(info.value)
    assert "{colour}" in message
    assert "Available keys:" in message
    for key in ("flow_name", "flow_run_id", "parameters", "task_slug", "ext", "map_index"):
        assert key in message


def test_default_template_without_run_id_names_the_key() -> None:
    with pytest.raises(ResultError, match=r"\{flow_run_id\}"):
        LocalResult().format_location(flow_name="etl", task_slug="a-1")


def test_missing_parameter_in_template_names_it() -> None:
    result = LocalResult(location="{parameters[month]}.bin")
    with pytest.raises(ResultError, match=r"no key 'month'.*Available keys: .*parameters"):
        result.format_location(**CONTEXT)


def test_bad_format_spec_is_a_result_error() -> None:
    result = LocalResult(location="{map_index:05d}.bin")
    assert result.format_location(map_index=7) == "00007.bin"
    with pytest.raises(ResultError, match="could not be rendered"):
        result.format_location(map_index=None)


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("{flow_name", "not a valid template"),
        ("}oops", "not a valid template"),
        ("{}.bin", "positional field"),
        ("{0}.bin", "positional field"),
        ("  ", "cannot be empty"),
    ],
)
def test_bad_template_is_refused_when_the_result_is_built(template: str, problem: str) -> None:
    with pytest.raises(ResultError, match=problem):
        LocalResult(location=template)


def test_escaped_braces_are_literal() -> None:
    assert LocalResult(location="{{x}}-{task_name}").format_location(**CONTEXT) == "{x}-load"


def test_location_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(ResultError, match="template string or a function"):
        LocalResult(location=42)  # type: ignore[arg-type]


def test_location_rendering_to_nothing_is_refused() -> None:
    with pytest.raises(ResultError, match="empty string"):
        LocalResult(location="{task_name}").format_location(task_name="")


def test_context_keys_named_like_arguments_are_fine(tmp_path: Path) -> None:
    result = LocalResult(tmp_path, location="{value}-{self}-{location}.txt")
    context = {"value": "v", "self": "s", "location": "l"}
    assert result.format_location(**context) == "v-s-l.txt"
    assert result.write(1, **context) == "v-s-l.txt"


def test_with_location_copies_the_rest(tmp_path: Path) -> None:
    result = LocalResult(tmp_path, location="a.json", serializer=JSONSerializer())
    other = result.with_location("b/{task_name}.json")
    assert other.location == "b/{task_name}.json"
    assert other.dir == result.dir and other.serializer == JSONSerializer()
    assert result.location == "a.json"
    assert other.write([1], task_name="t") == "b/t.json"
    assert json.loads((tmp_path / "b" / "t.json").read_text()) == [1]


def test_write_at_takes_the_location_literally(make_result: Any) -> None:
    result = make_result(location="ignored/{task_name}.txt", serializer=TextSerializer())
    assert result.write_at("runs/{not a field}.txt", "literal") == "runs/{not a field}.txt"
    assert result.read("runs/{not a field}.txt") == "literal"
    assert stored_files(result) == ["runs/{not a field}.txt"]
    with pytest.raises(ResultError, match="non-empty str"):
        result.write_at("", "x")


# -- serializers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [{"a": [1, 2.5, None, True]}, [], "héllo", 0, None, {"nested": {"k": ["v"]}}],
)
def test_json_round_trip(value: Any) -> None:
    serializer = JSONSerializer()
    assert serializer.loads(serializer.dumps(value)) == value


def test_json_turns_tuples_into_lists() -> None:
    serializer = JSONSerializer()
    assert serializer.loads(serializer.dumps((1, 2))) == [1, 2]


@pytest.mark.parametrize("value", [{1, 2}, Point(1, 2), b"bytes", object()])
def test_json_refuses_other_values_and_suggests_pickle(value: Any) -> None:
    with pytest.raises(ResultError) as info:
        JSONSerializer().dumps(value)
    message = str(info.value)
    assert f"type {type(value).__name__} is not JSON-serialisable" in message
    assert "PickleSerializer()" in message


def test_json_refuses_circular_values() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ResultError, match="not JSON-serialisable"):
        JSONSerializer().dumps(loop)


def test_pickle_round_trip_handles_lambdas_and_local_classes() -> None:
    class Local:
        def __init__(self) -> None:
            self.values = [1, 2]

    serializer = PickleSerializer()
    restored = serializer.loads(serializer.dumps({"f": lambda x: x * 3, "obj": Local()}))
    assert restored["f"](4) == 12
    assert restored["obj"].values == [1, 2]
    assert serializer.loads(serializer.dumps(Point(3, 4))) == Point(3, 4)


def test_text_round_trip_and_refusal() -> None:
    serializer = TextSerializer()
    assert serializer.dumps("ünïcode\n") == "ünïcode\n".encode()
    assert serializer.loads(serializer.dumps("ünïcode\n")) == "ünïcode\n"
    with pytest.raises(ResultError, match="str values only, got int"):
        serializer.dumps(3)


def test_serializer_from_name() -> None:
    assert serializer_from_name("pickle") == PickleSerializer()
    assert serializer_from_name("json") == JSONSerializer()
    assert serializer_from_name("text") == TextSerializer()
    assert serializer_from_name("test-half-way") == HalfWayFailure()
    assert JSONSerializer() != TextSerializer()
    with pytest.raises(ResultError, match=r"Unknown serializer 'yaml'.*json, pickle, .*text"):
        serializer_from_name("yaml")


def test_serializer_class_instead_of_instance_is_explained() -> None:
    with pytest.raises(ResultError, match=r"serializer=JSONSerializer\(\)"):
        LocalResult(serializer=JSONSerializer)  # type: ignore[arg-type]
    with pytest.raises(ResultError, match="must be a Serializer"):
        LocalResult(serializer="json")  # type: ignore[arg-type]


# -- reading and writing, on every kind of result -------------------------------------------


@pytest.mark.parametrize(
    ("serializer", "value"),
    [
        (PickleSerializer(), {"point": Point(1, 2), "items": (1, "a")}),
        (JSONSerializer(), {"rows": [1, 2, 3], "ok": True}),
        (TextSerializer(), "line one\nline two"),
    ],
)
def test_round_trip(make_result: Any, serializer: Serializer, value: Any) -> None:
    result = make_result(serializer=serializer)
    location = result.write(value, **CONTEXT)
    assert location == f"etl/run-1/load-1.{serializer.extension}"
    assert result.exists(location)
    assert result.read(location) == value
    assert stored_files(result) == [location]


def test_templated_location_on_disk(make_result: Any) -> None:
    result = make_result(location="{flow_name}/{parameters[day]}.json", serializer=JSONSerializer())
    location = result.write([1, 2], **CONTEXT)
    assert location == "etl/2026-01-02.json"
    assert stored_files(result) == ["etl/2026-01-02.json"]
    assert result.read("etl/2026-01-02.json") == [1, 2]


def test_exists_read_delete(make_result: Any) -> None:
    result = make_result(location="x/{task_name}.txt", serializer=TextSerializer())
    assert not result.exists("x/load.txt")
    location = result.write("first", **CONTEXT)
    assert result.exists(location)
    result.write("second", **CONTEXT)
    assert result.read(location) == "second"
    assert result.delete(location) is True
    assert not result.exists(location)
    assert result.delete(location) is False
    assert stored_files(result) == []


def test_a_folder_is_not_a_result(make_result: Any) -> None:
    result = make_result(location="a/b/c.txt", serializer=TextSerializer())
    result.write("x")
    assert not result.exists("a/b")


def test_reading_a_missing_location_names_it(make_result: Any) -> None:
    result = make_result()
    with pytest.raises(ResultError, match=r"No result at 'etl/nothing\.pickle'"):
        result.read("etl/nothing.pickle")


def test_reading_a_corrupt_payload_names_location_and_serializer(make_result: Any) -> None:
    writer = make_result(location="data.bin", serializer=TextSerializer())
    location = writer.write("this is not a pickle")
    reader = make_result(serializer=PickleSerializer())
    with pytest.raises(ResultError) as info:
        reader.read(location)
    message = str(info.value)
    assert "'data.bin'" in message
    assert "'pickle' serializer" in message
    assert "corrupt or was written with a different serializer" in message


def test_reading_invalid_json_names_location_and_serializer(make_result: Any) -> None:
    writer = make_result(location="data.json", serializer=TextSerializer())
    writer.write("{not json")
    with pytest.raises(ResultError, match=r"'data\.json'.*'json' serializer.*JSONDecodeError"):
        make_result(serializer=JSONSerializer()).read("data.json")


def test_json_refusal_reaches_the_caller_and_writes_nothing(make_result: Any) -> None:
    result = make_result(serializer=JSONSerializer())
    with pytest.raises(ResultError) as info:
        result.write({1, 2}, **CONTEXT)
    message = str(info.value)
    assert "'etl/run-1/load-1.json'" in message
    assert "not JSON-serialisable" in message and "PickleSerializer()" in message
    assert stored_files(result) == []


def test_unpicklable_value_is_a_result_error(make_result: Any) -> None:
    import threading

    result = make_result()
    with pytest.raises(ResultError, match=r"'pickle' serializer failed on a value of type lock"):
        result.write(threading.Lock(), **CONTEXT)
    assert stored_files(result) == []


def test_interrupted_write_leaves_nothing_at_the_final_location(make_result: Any) -> None:
    result = make_result(location="out/value.bin", serializer=HalfWayFailure())
    with pytest.raises(ResultError, match="disk went away"):
        result.write("anything")
    assert not result.exists("out/value.bin")
    assert stored_files(result) == []


def test_interrupted_overwrite_keeps_the_previous_value(make_result: Any) -> None:
    good = make_result(location="out/value.bin", serializer=TextSerializer())
    good.write("previous")
    bad = make_result(location="out/value.bin", serializer=HalfWayFailure())
    with pytest.raises(ResultError, match="disk went away"):
        bad.write("anything")
    assert good.read("out/value.bin") == "previous"
    assert stored_files(good) == ["out/value.bin"]


def test_many_writes_leave_no_temporary_files(make_result: Any) -> None:
    result = make_result(location="m/{map_index}.json", serializer=JSONSerializer())
    locations = [result.write({"i": i}, map_index=i) for i in range(20)]
    assert stored_files(result) == sorted(locations)
    assert [result.read(loc) for loc in locations] == [{"i": i} for i in range(20)]


def test_locations_cannot_climb_out_of_the_base(make_result: Any) -> None:
    result = make_result(location="{parameters[name]}.txt", serializer=TextSerializer())
    with pytest.raises(ResultError, match="outside the result's base folder"):
        result.write("x", parameters={"name": "../../escaped"})
    with pytest.raises(ResultError, match="outside the result's base folder"):
        result.read("a/../../b.txt")
    assert result.write("x", parameters={"name": "a/../b"}) == "a/../b.txt"
    assert result.read("b.txt") == "x"


# -- LocalResult specifics ------------------------------------------------------------------


def test_local_default_dir_is_read_from_the_environment_at_use_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = LocalResult(location="v.json", serializer=JSONSerializer())
    monkeypatch.setenv("PROCTOR_HOME", str(tmp_path / "later"))
    assert result.write(5) == "v.json"
    assert json.loads((tmp_path / "later" / "results" / "v.json").read_text()) == 5
    monkeypatch.delenv("PROCTOR_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert result.base_dir == tmp_path / "user" / ".proctor" / "results"


def test_local_relative_dir_is_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = LocalResult("rel/results")
    assert result.dir == str(tmp_path / "rel" / "results")
    assert result.to_dict()["dir"] == str(tmp_path / "rel" / "results")


def test_local_absolute_location_is_used_as_is(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "deep" / "x.txt"
    result = LocalResult(tmp_path / "results", location=str(target), serializer=TextSerializer())
    assert result.write("abs") == str(target)
    assert target.read_text() == "abs"
    assert result.read(str(target)) == "abs"
    assert not (tmp_path / "results").exists()


def test_local_files_get_the_usual_permissions(tmp_path: Path) -> None:
    result = LocalResult(tmp_path, location="p.txt", serializer=TextSerializer())
    result.write("x")
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "p.txt").stat().st_mode & 0o777 == 0o666 & ~umask


def test_local_unwritable_folder_is_a_result_error(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file, not a folder")
    result = LocalResult(tmp_path / "blocker", location="x.txt", serializer=TextSerializer())
    with pytest.raises(ResultError, match="Cannot create the folder"):
        result.write("x")


# -- FSSpecResult specifics -----------------------------------------------------------------


def test_fsspec_full_url_location(memory_url: str, tmp_path: Path) -> None:
    result = FSSpecResult(memory_url, serializer=TextSerializer())
    elsewhere = (tmp_path / "other" / "f.txt").as_uri()
    assert result.with_location(elsewhere).write("far") == elsewhere
    assert (tmp_path / "other" / "f.txt").read_text() == "far"
    assert result.read(elsewhere) == "far"
    assert result.url_for("a/b.txt") == f"{memory_url}/a/b.txt"


def test_fsspec_unknown_protocol_is_a_result_error() -> None:
    result = FSSpecResult("nosuchproto://bucket/x", serializer=TextSerializer())
    with pytest.raises(ResultError, match=r"Cannot open 'nosuchproto://bucket/x/a\.txt'"):
        result.read("a.txt")
    with pytest.raises(ResultError, match="Cannot open 'nosuchproto://bucket/x/etl/run-1/"):
        result.write("x", **CONTEXT)


def test_fsspec_needs_a_url() -> None:
    with pytest.raises(ResultError, match="needs a base URL"):
        FSSpecResult("")
    with pytest.raises(ResultError, match="storage_options must be a dict"):
        FSSpecResult("memory://x", storage_options=["a"])  # type: ignore[arg-type]


def test_fsspec_storage_options_reach_the_filesystem(tmp_path: Path) -> None:
    # fsspec's "dir" filesystem roots every path at its `path` option.
    result = FSSpecResult(
        "dir://results",
        location="x/{task_name}.txt",
        serializer=TextSerializer(),
        storage_options={"path": str(tmp_path / "root"), "target_protocol": "file"},
    )
    location = result.write("y", **CONTEXT)
    assert (tmp_path / "root" / "results" / "x" / "load.txt").read_text() == "y"
    assert result.read(location) == "y"
    assert result_from_dict(json.loads(json.dumps(result.to_dict()))).read(location) == "y"


# -- descriptions and pickling --------------------------------------------------------------


def _all_kinds(tmp_path: Path) -> list[Result]:
    return [
        LocalResult(),
        LocalResult(
            tmp_path / "r",
            location="{flow_name}/{parameters[day]}.json",
            serializer=JSONSerializer(),
        ),
        LocalResult(tmp_path, serializer=TextSerializer()),
        FSSpecResult("memory://bucket/results"),
        FSSpecResult(
            "s3://bucket/prefix",
            location="{task_slug}.txt",
            serializer=TextSerializer(),
            storage_options={"anon": True, "client_kwargs": {"region_name": "eu-west-1"}},
        ),
    ]


def test_to_dict_round_trip_for_every_kind(tmp_path: Path) -> None:
    for result in _all_kinds(tmp_path):
        data = result.to_dict()
        assert json.loads(json.dumps(data)) == data
        rebuilt = result_from_dict(json.loads(json.dumps(data)))
        assert type(rebuilt) is type(result)
        assert rebuilt == result
        assert rebuilt.to_dict() == data


def test_a_subclass_that_does_not_name_its_kind_leaves_the_built_in_in_place() -> None:
    class Audited(LocalResult):
        pass

    class Shouting(JSONSerializer):
        pass

    assert type(result_from_dict(LocalResult().to_dict())) is LocalResult
    assert type(serializer_from_name("json")) is JSONSerializer


def test_to_dict_contents(tmp_path: Path) -> None:
    assert LocalResult().to_dict() == {
        "type": "local",
        "location": None,
        "serializer": "pickle",
        "dir": None,
    }
    assert FSSpecResult(
        "memory://b", location="x.json", serializer=JSONSerializer(), storage_options={"k": 1}
    ).to_dict() == {
        "type": "fsspec",
        "location": "x.json",
        "serializer": "json",
        "url": "memory://b",
        "storage_options": {"k": 1},
    }


def test_callable_location_is_described_as_null(tmp_path: Path) -> None:
    result = LocalResult(tmp_path, location=lambda **c: "x", serializer=JSONSerializer())
    data = result.to_dict()
    assert data["location"] is None
    rebuilt = result_from_dict(data)
    assert rebuilt.location is None
    assert rebuilt != result  # the function itself does not travel


def test_unserialisable_storage_options_are_refused_by_to_dict() -> None:
    result = FSSpecResult("memory://b", storage_options={"session": object()})
    with pytest.raises(ResultError, match="not JSON-serialisable"):
        result.to_dict()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("local", "must be a dict"),
        ({}, "Unknown result type None"),
        (
            {"type": "ftp"},
            r"Unknown result type 'ftp'\. Known types: fsspec, (inline-json, )?local\.",
        ),
        ({"type": "local", "serializer": "yaml"}, "Unknown serializer 'yaml'"),
        ({"type": "local", "dir": 3}, "'dir' of a 'local' result description must be str or null"),
        ({"type": "local", "colour": "red"}, "Unknown key"),
        ({"type": "fsspec"}, "needs a 'url'"),
        ({"type": "fsspec", "url": "memory://x", "storage_options": []}, "must be dict or null"),
        ({"type": "local", "location": "{oops"}, "not a valid template"),
    ],
)
def test_bad_descriptions_are_result_errors(data: Any, problem: str) -> None:
    with pytest.raises(ResultError, match=problem):
        result_from_dict(data)


def test_results_pickle_with_pickle_and_cloudpickle(tmp_path: Path) -> None:
    for result in _all_kinds(tmp_path):
        for module in (pickle, cloudpickle):
            restored = module.loads(module.dumps(result))
            assert restored == result
            assert restored.format_location(**CONTEXT) == result.format_location(**CONTEXT)


def test_result_with_lambda_location_travels_with_cloudpickle(tmp_path: Path) -> None:
    result = LocalResult(
        tmp_path, location=lambda **c: f"{c['flow_name']}-x.txt", serializer=TextSerializer()
    )
    restored = pickle.loads(cloudpickle.dumps(result))
    assert restored.format_location(**CONTEXT) == "etl-x.txt"
    assert restored.read(result.write("v", **CONTEXT)) == "v"


def test_equality_and_hash(tmp_path: Path) -> None:
    a = LocalResult(tmp_path, location="x", serializer=JSONSerializer())
    b = LocalResult(str(tmp_path), location="x", serializer=JSONSerializer())
    assert a == b and hash(a) == hash(b)
    assert a != LocalResult(tmp_path, location="x")
    assert a != FSSpecResult(tmp_path.as_uri(), location="x", serializer=JSONSerializer())
    assert len({a, b}) == 1


def test_equality_does_not_need_json_options() -> None:
    session = object()
    a = FSSpecResult("memory://b", storage_options={"session": session})
    assert a == FSSpecResult("memory://b", storage_options={"session": session})
    assert a != FSSpecResult("memory://b")
    assert isinstance(hash(a), int)


def test_repr_is_readable(tmp_path: Path) -> None:
    assert repr(LocalResult(tmp_path, location="x.json", serializer=JSONSerializer())) == (
        f"LocalResult(dir={str(tmp_path)!r}, location='x.json', serializer=JSONSerializer())"
    )
    assert repr(FSSpecResult("memory://b")) == (
        "FSSpecResult(url='memory://b', serializer=PickleSerializer())"
    )


def test_construction_does_no_io(tmp_path: Path) -> None:
    LocalResult(tmp_path / "never" / "created")
    FSSpecResult((tmp_path / "also-never").as_uri())
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_result_errors_are_proctor_errors() -> None:
    assert issubclass(ResultError, ProctorError)


def test_public_module_exports() -> None:
    import proctor.results as public

    for name in public.__all__:
        assert getattr(public, name) is getattr(core_results, name)
    assert "LocalResult" in public.__all__ and "FSSpecResult" in public.__all__


def test_importing_does_not_import_fsspec_or_cloudpickle() -> None:
    src = Path(core_results.__file__).parents[3]
    heavy = ("fsspec", "cloudpickle")
    code = (
        "import sys, proctor\n"
        f"before = {{m for m in {heavy!r} if m in sys.modules}}\n"
        "import proctor.core.results, proctor.core.storage, proctor.results, proctor.storage\n"
        f"print(sorted({{m for m in {heavy!r} if m in sys.modules}} - before))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
