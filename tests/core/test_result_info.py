"""What the engine records about a result it persisted (`State.result_info`, sent with the
state): the full location, the size where asking is cheap, the serializer and the result
class; nothing when nothing was persisted."""

from __future__ import annotations

from pathlib import Path

from proctor import Flow, task
from proctor.results import FSSpecResult, JSONSerializer, LocalResult, TextSerializer


@task
def make(n: int) -> dict:
    return {"n": n}


@task(checkpoint=False)
def scratch() -> int:
    return 1


def test_a_local_result_records_its_path_size_and_format(tmp_path: Path):
    with Flow("recorded", result=LocalResult(dir=tmp_path, serializer=JSONSerializer())) as flow:
        made = make(3)
        kept_out = scratch()
    state = flow.run()
    info = state.result[made].result_info
    path = tmp_path / state.result[made].result_location
    assert info.location == str(path)
    assert info.size == path.stat().st_size == len('{"n": 3}')
    assert (info.serializer, info.result_type) == ("json", "LocalResult")
    assert state.result[made].to_dict()["result_info"] == info.to_dict()
    assert state.result[kept_out].result_info is None
    assert "result_info" not in state.result[kept_out].to_dict()


def test_an_fsspec_result_records_its_url_and_only_cheap_sizes():
    @task(result=None)
    def text() -> str:
        return "hello"

    with Flow(
        "urls", result=FSSpecResult("memory://proctor-info", serializer=TextSerializer())
    ) as flow:
        said = text()
    info = flow.run().result[said].result_info
    assert info.location.startswith("memory://proctor-info/")
    assert info.size == 5
    remote = FSSpecResult("s3://bucket/prefix", serializer=TextSerializer())
    described = remote.describe("x/y.txt")
    assert described.location == "s3://bucket/prefix/x/y.txt"
    assert described.size is None  # a request per result: not asked


def test_a_target_found_in_place_is_described_too(tmp_path: Path):
    @task(target="daily.json")
    def daily() -> dict:
        return {"rows": 1}

    with Flow("targets", result=LocalResult(dir=tmp_path, serializer=JSONSerializer())) as flow:
        node = daily()
    first = flow.run().result[node]
    again = flow.run().result[node]
    assert again.is_cached()
    assert again.result_info == first.result_info
    assert again.result_info.location == str(tmp_path / "daily.json")
