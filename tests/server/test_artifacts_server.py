"""Artifacts and result details through the whole loop, on SQLite and PostgreSQL: a real
server on each database, a real agent and the flow's own process publish each kind of
artifact; the API shows them on the run, on each task run and on the team's list; the
task run's result says where it is, how large and in which format, and loads with the
client on this machine (which sees the folder), blocking or async."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.agent.processes import (
    FAST_SERVER,
    FLOWS,
    AgentProcess,
    DrainedServer,
    proctor_json,
    wait_until,
)

from proctor.client import AsyncClient, Client
from proctor.core.errors import ResultError
from proctor.testing import ServerProcess

pytestmark = pytest.mark.slow

ARTIFACTS = "key type description data taskSlug mapIndex taskRunId"
RUN = f"""query ($id: ID!) {{ flowRun(id: $id) {{ state artifacts {{ {ARTIFACTS} }}
  taskRuns(first: 100) {{ nodes {{ id taskSlug mapIndex artifacts {{ key type data }}
  result {{ location size serializer resultType preview previewNote loadSnippet }} }} }} }} }}"""


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    return tmp_path / "work"


@pytest.fixture
def server(database_url: str, home: Path) -> Iterator[ServerProcess]:
    process = DrainedServer(database_url, home, env=FAST_SERVER)
    process.start(timeout=60)
    yield process
    process.stop()


@pytest.fixture
def client(server: ServerProcess) -> Iterator[Client]:
    with Client(server.url) as api:
        yield api


@pytest.fixture
def agents() -> Iterator[list[AgentProcess]]:
    started: list[AgentProcess] = []
    yield started
    for agent in started:
        agent.stop()


def test_a_flow_on_an_agent_publishes_every_kind_of_artifact(home, server, client, agents, work):
    project = f"p-{uuid.uuid4().hex[:8]}"
    proctor_json(
        "register", str(FLOWS / "publishing.py"), "--project", project, "--label", "art-box",
        home=home, api_url=server.url,
    )  # fmt: skip
    agents.append(
        AgentProcess(
            home, server.url, "art-agent", labels=["art-box"], env={"AGENT_TEST_DIR": str(work)}
        )
    )
    created = proctor_json("run", "publishing", "--project", project, home=home,
                           api_url=server.url)  # fmt: skip
    run_id = created["id"]
    wait_until(lambda: client.get_flow_run(run_id).state in {"Success", "Failed"}, 90, "the run")
    run = client.query(RUN, {"id": run_id})["flowRun"]
    assert run["state"] == "Success"

    by_key = {a["key"]: a for a in run["artifacts"]}
    assert set(by_key) == {"nightly-report", "warehouse", "loaded-tables", "squares"}
    report = by_key["nightly-report"]
    # The update replaced the draft: one artifact, with the final text.
    assert report["type"] == "markdown"
    assert report["data"]["markdown"].startswith("# Nightly report")
    assert "<script>" in report["data"]["markdown"]  # stored as text, rendered inert
    assert by_key["warehouse"]["data"] == {
        "link": "https://example.com/runs/1",
        "text": "Run on the warehouse",
    }
    assert by_key["loaded-tables"]["data"] == {
        "columns": ["table", "rows"],
        "rows": [["orders", 10], ["users", 2]],
    }
    assert by_key["loaded-tables"]["description"] == "Tables loaded on 2026-12-07"
    squares = [a for a in run["artifacts"] if a["key"] == "squares"]
    assert sorted(a["data"]["rows"][0] for a in squares) == [[1, 1], [2, 4]]
    assert all(a["taskRunId"] for a in run["artifacts"])

    nodes = {(t["taskSlug"], t["mapIndex"]): t for t in run["taskRuns"]["nodes"]}
    assert [a["key"] for a in nodes[("scores", 1)]["artifacts"]] == ["squares"]
    assert nodes[("scores", 1)]["artifacts"][0]["data"]["rows"] == [[2, 4]]
    assert {a["key"] for a in nodes[("summarise", -1)]["artifacts"]} == {
        "nightly-report",
        "warehouse",
        "loaded-tables",
    }

    latest = client.query("{ artifacts(latestPerKey: true) { key flowRunId } }")["artifacts"]
    assert {a["key"] for a in latest if a["flowRunId"] == run_id} == set(by_key)

    result = nodes[("summarise", -1)]["result"]
    path = work / "results" / "publishing" / run_id / "summarise.json"
    assert result["location"] == str(path)
    assert result["size"] == path.stat().st_size
    assert (result["serializer"], result["resultType"]) == ("json", "LocalResult")
    # This server reads no result folders: no preview, and how to load it instead.
    assert result["preview"] is None
    assert "on your infrastructure" in result["previewNote"]
    assert f"client.load_result('{run_id}', 'summarise')" in result["loadSnippet"]
    with Client(server.url) as api:
        assert api.load_result(run_id, "summarise") == {"day": "2026-12-07", "rows": 12}
        assert api.load_result(run_id, "scores", map_index=1) == 4
        with pytest.raises(ResultError, match="There is no task run 'nothing'"):
            api.load_result(run_id, "nothing")

    async def load_with_the_async_client() -> None:
        async with AsyncClient(server.url) as api:
            assert await api.load_result(run_id, "summarise") == {"day": "2026-12-07", "rows": 12}
            assert await api.load_result(run_id, "scores", map_index=1) == 4
            with pytest.raises(ResultError, match="There is no task run 'nothing'"):
                await api.load_result(run_id, "nothing")

    asyncio.run(load_with_the_async_client())
    assert json.loads(path.read_text()) == {"day": "2026-12-07", "rows": 12}
