"""Artifacts through the GraphQL API, on SQLite and PostgreSQL: written in a batch after
the task states, read on the flow run, the task run and the team's list (latest per key,
one key's history), replaced and deleted by id, refused when too large or for a run of
another team, and deleted with their runs by retention. On a real server process: the
list in pages (cursors), and an agent's key publishing into a finished run only within
the grace log lines have."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.server.api.graphql_results import data_of, error_codes
from tests.server.auth.live_server import OWNER, OWNER_PASSWORD, auth_server, sync_client_from
from tests.server.retention_data import add_team, age, finished_run, register

from proctor.core.artifacts import MAX_ARTIFACT_BYTES
from proctor.server.auth.agent_scope import FINISHED_LOG_GRACE
from proctor.server.background.retention import RetentionService
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import FlowRun
from proctor.server.errors import NotFound
from proctor.server.services.artifacts import list_artifacts, write_artifacts
from proctor.server.services.flow_runs import get_flow_run
from proctor.server.services.retention_policy import Policy
from proctor.testing import ServerProcess

REPORT = """
mutation ($tasks: [JSON!]!, $artifacts: [JSON!]!) {
  tasks: setTaskRunStates(changes: $tasks) { accepted }
  artifacts: writeArtifacts(artifacts: $artifacts) { count }
}"""
WRITE = "mutation ($a: [JSON!]!) { writeArtifacts(artifacts: $a) { count } }"
FIELDS = "id key type description data taskSlug mapIndex taskRunId flowRunId flowName"


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


def _artifact(run: str, slug: str, index: int, kind: str, data: dict, **extra) -> dict:
    return {
        "flowRunId": run,
        "id": str(uuid.uuid4()),
        "type": kind,
        "data": data,
        "taskSlug": slug,
        "mapIndex": index,
        **extra,
    }


async def test_artifacts_of_a_run_its_task_runs_and_the_team(gql, flow_spec):
    run = await _run(gql, flow_spec)
    tasks = [
        {"flowRunId": run, "taskSlug": "greet", "mapIndex": index, "state": {"type": "Running"}}
        for index in (0, 1)
    ]
    first = _artifact(run, "greet", 0, "markdown", {"markdown": "# one"}, key="report")
    second = _artifact(run, "greet", 1, "table", {"columns": ["a"], "rows": [[1], [2]]}, key="rows")
    link = _artifact(run, "greet", 1, "link", {"link": "https://example.com/x"})
    body = await gql(REPORT, {"tasks": tasks, "artifacts": [first, second, link]})
    assert data_of(body)["artifacts"] == {"count": 3}
    newer = _artifact(run, "greet", 0, "markdown", {"markdown": "# two"}, key="report")
    assert data_of(await gql(WRITE, {"a": [newer]}))["writeArtifacts"] == {"count": 1}

    query = f"""query ($id: ID!) {{ flowRun(id: $id) {{ artifacts {{ {FIELDS} }}
        taskRuns(taskSlug: "greet") {{ nodes {{ mapIndex id
        artifacts {{ {FIELDS} }} }} }} }} }}"""
    found = data_of(await gql(query, {"id": run}))["flowRun"]
    assert [a["id"] for a in found["artifacts"]] == [
        newer["id"],
        link["id"],
        second["id"],
        first["id"],
    ]
    by_index = {node["mapIndex"]: node for node in found["taskRuns"]["nodes"]}
    child0 = by_index[0]["artifacts"]
    assert [a["data"] for a in child0] == [{"markdown": "# two"}, {"markdown": "# one"}]
    # The task runs existed when the artifacts arrived (same request, after the states).
    assert {a["taskRunId"] for a in child0} == {by_index[0]["id"]}
    assert {a["type"] for a in by_index[1]["artifacts"]} == {"table", "link"}

    latest = data_of(await gql(f"{{ artifacts(latestPerKey: true) {{ {FIELDS} }} }}"))
    assert {(a["key"], a["id"]) for a in latest["artifacts"]} == {
        ("report", newer["id"]),
        ("rows", second["id"]),
    }
    assert all(a["flowName"] for a in latest["artifacts"])
    history = data_of(await gql(f'{{ artifacts(key: "report") {{ {FIELDS} }} }}'))
    assert [a["id"] for a in history["artifacts"]] == [newer["id"], first["id"]]
    tables = data_of(await gql('{ artifacts(type: "table") { id } }'))["artifacts"]
    assert [a["id"] for a in tables] == [second["id"]]


async def test_update_and_delete_by_id(gql, flow_spec):
    run = await _run(gql, flow_spec)
    made = _artifact(run, "greet", -1, "link", {"link": "https://a.example"}, key="site")
    await gql(WRITE, {"a": [made]})
    update = {**made, "data": {"link": "https://b.example", "text": "B"}}
    del update["key"]
    await gql(WRITE, {"a": [update]})
    [row] = data_of(await gql(f'{{ artifacts(key: "site") {{ {FIELDS} }} }}'))["artifacts"]
    assert row["data"] == {"link": "https://b.example", "text": "B"}
    assert row["key"] == "site"  # kept from the first version
    await gql(WRITE, {"a": [{"flowRunId": run, "id": made["id"], "deleted": True}]})
    assert data_of(await gql('{ artifacts(key: "site") { id } }'))["artifacts"] == []


async def test_deleting_a_run_deletes_its_artifacts(gql, flow_spec):
    gone, kept = await _run(gql, flow_spec), await _run(gql, flow_spec)
    for run in (gone, kept):
        await gql(WRITE, {"a": [_artifact(run, "greet", -1, "markdown", {"markdown": run})]})
    deleted = await gql("mutation ($id: ID!) { deleteFlowRun(id: $id) }", {"id": gone})
    assert data_of(deleted)["deleteFlowRun"] is True
    left = data_of(await gql("{ artifacts { flowRunId } }"))["artifacts"]
    assert left == [{"flowRunId": kept}]


async def test_bad_artifacts_are_refused_with_a_clear_error_and_nothing_written(gql, flow_spec):
    run = await _run(gql, flow_spec)
    good = _artifact(run, "greet", -1, "markdown", {"markdown": "fine"})
    huge = _artifact(run, "greet", -1, "markdown", {"markdown": "x" * (MAX_ARTIFACT_BYTES + 1)})
    body = await gql(WRITE, {"a": [good, huge]})
    assert error_codes(body) == ["INVALID_INPUT"]
    assert "artifacts are at most 1,000,000" in body["errors"][0]["message"]
    kinds = await gql(WRITE, {"a": [_artifact(run, "greet", -1, "html", {"x": 1})]})
    assert error_codes(kinds) == ["INVALID_INPUT"]
    assert "markdown, link, table" in kinds["errors"][0]["message"]
    nowhere = await gql(
        WRITE, {"a": [_artifact(str(uuid.uuid4()), "greet", -1, "markdown", {"markdown": "?"})]}
    )
    assert error_codes(nowhere) == ["NOT_FOUND"]
    assert data_of(await gql("{ artifacts { id } }"))["artifacts"] == []


async def test_retention_deletes_artifacts_with_their_runs(database: Database):
    flow = await register(database, DEFAULT_TENANT_ID, "etl")
    old = await finished_run(database, DEFAULT_TENANT_ID, flow.id)
    kept = await finished_run(database, DEFAULT_TENANT_ID, flow.id)
    for run, key in ((old.id, "old"), (kept.id, "kept")):
        item = _artifact(str(run), "load", -1, "markdown", {"markdown": key}, key=key)
        assert await write_artifacts(database, DEFAULT_TENANT_ID, [item]) == 1
    await age(database, old.id, days=40)
    retention = RetentionService(
        database,
        loop_seconds=3600,
        default=Policy(days=30, log_max_bytes=0, keep_newest_runs=0),
        batch_size=3,
        vacuum_free_pages=0,
    )

    report = await retention.run_once()

    assert report.by_team[DEFAULT_TENANT_ID].artifacts == 1
    left = await list_artifacts(database, DEFAULT_TENANT_ID)
    assert [(a.key, a.flow_run_id) for a in left] == [("kept", kept.id)]
    assert (await get_flow_run(database, DEFAULT_TENANT_ID, kept.id)).id == kept.id


async def test_another_teams_artifacts_are_out_of_reach(database: Database):
    other = await add_team(database, "other")
    our_flow = await register(database, DEFAULT_TENANT_ID, "etl")
    their_flow = await register(database, other, "etl")
    ours = await finished_run(database, DEFAULT_TENANT_ID, our_flow.id)
    theirs = await finished_run(database, other, their_flow.id)
    mine = _artifact(str(ours.id), "load", -1, "markdown", {"markdown": "ours"}, key="k")
    await write_artifacts(database, DEFAULT_TENANT_ID, [mine])

    # Team B sees none of team A's artifacts, cannot write into A's run...
    assert await list_artifacts(database, other) == []
    assert await list_artifacts(database, other, flow_run_id=ours.id) == []
    with pytest.raises(NotFound):
        await write_artifacts(database, other, [{**mine, "id": str(uuid.uuid4())}])
    # ...nor replace or delete A's artifact by its id through a run of its own.
    for forged in (
        {**mine, "flowRunId": str(theirs.id), "data": {"markdown": "forged"}},
        {"flowRunId": str(theirs.id), "id": mine["id"], "deleted": True},
    ):
        with pytest.raises(NotFound):
            await write_artifacts(database, other, [forged])
    [kept] = await list_artifacts(database, DEFAULT_TENANT_ID)
    assert kept.data == {"markdown": "ours"}


# -- paging and finished runs, against a real server process ------------------------

PAGE = """query ($first: Int, $after: String, $latest: Boolean!, $key: String) {
  artifactsPage(first: $first, after: $after, latestPerKey: $latest, key: $key) {
    nodes { id key } totalCount pageInfo { endCursor hasNextPage } } }"""
QUIET = {
    "PROCTOR_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
    "PROCTOR_SERVER_SERVICES_LAZARUS_ENABLED": "false",
    "PROCTOR_SERVER_SERVICES_ZOMBIE_ENABLED": "false",
}


class Http:
    """GraphQL over HTTP to a server process, with an API key or without."""

    def __init__(self, url: str, key: str | None = None) -> None:
        self.url = url
        self.headers = {"authorization": f"Bearer {key}"} if key else {}

    def __call__(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = httpx.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers=self.headers,
            timeout=60,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


def _http_run(post: Http, spec: dict[str, Any], labels: list[str] | None = None) -> str:
    body = post(
        "mutation ($input: RegisterFlowInput!) { registerFlow(input: $input) { flow { id } } }",
        {"input": {"project": "proj", "spec": spec, "createProject": True}},
    )
    flow_id = data_of(body)["registerFlow"]["flow"]["id"]
    body = post(
        "mutation ($input: CreateFlowRunInput!) { createFlowRun(input: $input) { id } }",
        {"input": {"flowId": flow_id, "parameters": {"who": "you"}, "labels": labels or []}},
    )
    return str(data_of(body)["createFlowRun"]["id"])


def _all_pages(post: Http, first: int, **variables: Any) -> tuple[list[dict[str, Any]], int]:
    """Every node, page by page, and the total the first page announced."""
    nodes: list[dict[str, Any]] = []
    after, total = None, None
    while True:
        body = post(PAGE, {"first": first, "after": after, "latest": False, **variables})
        page = data_of(body)["artifactsPage"]
        total = page["totalCount"] if total is None else total
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes, total
        after = page["pageInfo"]["endCursor"]
        assert len(nodes) < 500, "paging does not end"


@pytest.fixture
def live(database_url: str, tmp_path: Path) -> Iterator[str]:
    process = ServerProcess(database_url, tmp_path / "home", env=QUIET)
    url = process.start(timeout=90)
    try:
        yield url
    finally:
        process.stop()


def test_artifacts_page_through_a_long_list_without_repeats_or_gaps(live, flow_spec):
    post = Http(live)
    run = _http_run(post, flow_spec())
    # Five batches of five: keys k0..k4 (each published in every batch), one keyless
    # artifact per batch; later batches are newer.
    published: list[dict[str, Any]] = []
    for batch in range(5):
        items = [
            _artifact(run, "greet", -1, "markdown", {"markdown": f"{batch}/{n}"}, key=f"k{n}")
            for n in range(5)
        ]
        items.append(_artifact(run, "greet", -1, "markdown", {"markdown": f"{batch}"}))
        assert data_of(post(WRITE, {"a": items}))["writeArtifacts"] == {"count": 6}
        published += items
    newest_first = [item["id"] for item in reversed(published)]

    nodes, total = _all_pages(post, 4)
    assert total == 30
    assert [node["id"] for node in nodes] == newest_first

    # Publishing between two pages neither repeats nor skips one of the list read so far.
    first_page = data_of(post(PAGE, {"first": 7, "latest": False}))["artifactsPage"]
    late = _artifact(run, "greet", -1, "markdown", {"markdown": "late"}, key="k0")
    post(WRITE, {"a": [late]})
    rest = data_of(
        post(PAGE, {"first": 100, "after": first_page["pageInfo"]["endCursor"], "latest": False})
    )["artifactsPage"]
    seen = [node["id"] for node in first_page["nodes"] + rest["nodes"]]
    assert seen == newest_first

    # The newest of each key, in pages of two; one key's history in pages of two.
    latest, total = _all_pages(post, 2, latest=True)
    assert total == 5
    assert [(n["key"], n["id"]) for n in latest] == [("k0", late["id"])] + [
        (f"k{n}", published[4 * 6 + n]["id"]) for n in (4, 3, 2, 1)
    ]
    history, total = _all_pages(post, 2, key="k3")
    assert total == 5
    assert [n["id"] for n in history] == [published[b * 6 + 3]["id"] for b in (4, 3, 2, 1, 0)]

    malformed = post(PAGE, {"first": 2, "after": "not-a-cursor", "latest": False})
    assert error_codes(malformed) == ["INVALID_INPUT"]
    assert "cursor" in malformed["errors"][0]["message"].lower()


async def _finished_before_the_grace(database_url: str, run_id: str) -> None:
    """Move the run's end back past the grace, as waiting that long would."""
    database = Database(database_url, listen=False)
    await database.connect()
    try:
        async with database.transaction() as session:
            row = await session.get(FlowRun, uuid.UUID(run_id))
            assert row is not None and row.state_type == "Success"
            row.state_timestamp -= FINISHED_LOG_GRACE + timedelta(minutes=1)
    finally:
        await database.dispose()


def test_an_agent_publishes_into_a_finished_run_only_within_the_log_grace(
    database_url: str, tmp_path: Path, flow_spec
):
    with auth_server(database_url, tmp_path / "home", QUIET) as server:
        with sync_client_from(server.url) as browser:
            login = browser.post("/auth/login", json={"email": OWNER, "password": OWNER_PASSWORD})
            made = browser.post(
                "/graphql",
                json={
                    "query": 'mutation { owner: createApiKey(name: "o") { key } '
                    'agent: createServiceAccount(name: "agents") { key } }'
                },
                headers={"x-csrf-token": login.json()["csrfToken"]},
            )
        keys = data_of(made.json())
        owner, agent = (
            Http(server.url, keys["owner"]["key"]),
            Http(server.url, keys["agent"]["key"]),
        )
        run = _http_run(owner, flow_spec(), labels=["box"])
        registered = agent('mutation { registerAgent(name: "a", labels: ["box"]) { id } }')
        agent_id = data_of(registered)["registerAgent"]["id"]
        claim = agent(
            'mutation ($a: ID!) { claimFlowRuns(agentId: $a, labels: ["box"], limit: 1) { id } }',
            {"a": agent_id},
        )
        assert data_of(claim)["claimFlowRuns"] == [{"id": run}]
        states = "mutation ($c: [JSON!]!) { setFlowRunStates(changes: $c) { accepted reason } }"
        for family in ("Running", "Success"):
            change = {"flowRunId": run, "agentId": agent_id, "state": {"type": family}}
            [result] = data_of(agent(states, {"c": [change]}))["setFlowRunStates"]
            assert result["accepted"], result

        # Just after the end (a process's last flush): taken, as log lines are.
        last = _artifact(run, "greet", -1, "markdown", {"markdown": "last"}, key="end")
        assert data_of(agent(WRITE, {"a": [last]}))["writeArtifacts"] == {"count": 1}
        # Past the grace: refused and nothing written, replaced or deleted.
        asyncio.run(_finished_before_the_grace(database_url, run))
        later = _artifact(run, "greet", -1, "markdown", {"markdown": "later"}, key="end")
        for items in ([later], [{**last, "data": {"markdown": "changed"}}]):
            refused = agent(WRITE, {"a": items})
            assert error_codes(refused) == ["FORBIDDEN"], refused
            message = refused["errors"][0]["message"]
            assert "has finished (Success)" in message and "publish artifacts" in message
        found = data_of(owner('{ artifacts(key: "end") { id data } }'))["artifacts"]
        assert found == [{"id": last["id"], "data": {"markdown": "last"}}]
        # People's keys are not bound by an agent's grace.
        assert data_of(owner(WRITE, {"a": [later]}))["writeArtifacts"] == {"count": 1}
