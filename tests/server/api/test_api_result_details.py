"""`TaskRun.result` on SQLite and PostgreSQL: what the engine recorded with the state
(location, size, serializer, result class) and the code that loads it; and the preview
rule on its own: JSON and text only, only under a folder the server was told it may read
(links resolved, so a link out of it does not count), never a large file."""

from __future__ import annotations

import json
from pathlib import Path

from tests.server.api.graphql_results import data_of

from proctor.core.results.info import ResultInfo
from proctor.server.api.result_details import PREVIEW_MAX_BYTES, preview

STATES = "mutation ($c: [JSON!]!) { setTaskRunStates(changes: $c) { accepted } }"
RESULT = """query ($run: ID!, $slug: String!) { taskRun(flowRunId: $run, taskSlug: $slug) {
  result { location size serializer resultType preview previewNote loadSnippet } } }"""


async def _run(gql, flow_spec) -> str:
    body = await gql(
        "mutation ($input: RegisterFlowInput!) { registerFlow(input: $input) { flow { id } } }",
        {"input": {"project": "proj", "spec": flow_spec(), "createProject": True}},
    )
    flow_id = data_of(body)["registerFlow"]["flow"]["id"]
    body = await gql(
        "mutation ($input: CreateFlowRunInput!) { createFlowRun(input: $input) { id } }",
        {"input": {"flowId": flow_id, "parameters": {"who": "you"}}},
    )
    return str(data_of(body)["createFlowRun"]["id"])


async def test_the_result_the_engine_recorded_and_how_to_load_it(gql, flow_spec):
    run = await _run(gql, flow_spec)
    info = {
        "location": "s3://bucket/results/greet.json",
        "size": 1234,
        "serializer": "json",
        "result_type": "FSSpecResult",
    }
    changes = [
        {"flowRunId": run, "taskSlug": "greet", "state": {"type": "Running"}},
        {
            "flowRunId": run,
            "taskSlug": "greet",
            "state": {
                "type": "Success",
                "result_location": "results/greet.json",
                "result_info": info,
            },
        },
        {"flowRunId": run, "taskSlug": "plain", "state": {"type": "Success"}},
    ]
    accepted = data_of(await gql(STATES, {"c": changes}))["setTaskRunStates"]
    assert all(item["accepted"] for item in accepted)

    result = data_of(await gql(RESULT, {"run": run, "slug": "greet"}))["taskRun"]["result"]
    assert result["location"] == "s3://bucket/results/greet.json"
    assert (result["size"], result["serializer"], result["resultType"]) == (
        1234,
        "json",
        "FSSpecResult",
    )
    assert result["preview"] is None
    assert "on your infrastructure" in result["previewNote"]
    assert f"client.load_result({run!r}, 'greet')" in result["loadSnippet"]
    plain = data_of(await gql(RESULT, {"run": run, "slug": "plain"}))["taskRun"]["result"]
    assert plain is None  # nothing persisted


def _info(path: Path, serializer: str = "json") -> ResultInfo:
    return ResultInfo(str(path), path.stat().st_size, serializer, "LocalResult")


def test_previews_only_json_and_text_under_a_readable_folder(tmp_path: Path):
    readable = tmp_path / "results"
    readable.mkdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (readable / "a.json").write_text(json.dumps({"rows": 3}))
    (readable / "b.txt").write_text("x" * 5000)
    (readable / "c.pkl").write_bytes(b"\x80\x04K\x01.")
    (outside / "secret.json").write_text('{"secret": 1}')
    (readable / "link.json").symlink_to(outside / "secret.json")
    (readable / "huge.json").write_text("1" * (PREVIEW_MAX_BYTES + 1))
    folders = [str(readable)]

    assert preview(_info(readable / "a.json"), folders) == ('{"rows": 3}', "Preview.")
    text, note = preview(_info(readable / "b.txt", "text"), folders)
    assert text == "x" * 4000 and "first 4,000 characters" in note
    assert preview(_info(readable / "c.pkl", "pickle"), folders)[0] is None
    assert (
        "pickle serializer, which the server never reads"
        in preview(_info(readable / "c.pkl", "pickle"), folders)[1]
    )
    for path in (outside / "secret.json", readable / "link.json"):
        shown, why = preview(_info(path), folders)
        assert shown is None and "on your infrastructure" in why
    assert preview(_info(readable / "a.json"), [])[0] is None  # the default: none
    big, why = preview(_info(readable / "huge.json"), folders)
    assert big is None and "at most 64,000" in why
    url = ResultInfo(f"file://{readable / 'a.json'}", 11, "json", "FSSpecResult")
    assert preview(url, folders)[0] == '{"rows": 3}'
    remote = ResultInfo("s3://bucket/a.json", 11, "json", "FSSpecResult")
    assert preview(remote, folders)[0] is None
