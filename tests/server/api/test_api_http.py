"""The plain HTTP routes: /health, /metrics, GraphiQL, and the UI at /."""

from __future__ import annotations

import httpx
import pytest
from tests.server.api.graphql_results import data_of

from proctor.server.app import create_app
from proctor.settings import get_settings


async def test_health_reports_the_database(http):
    response = await http.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "up"
    assert body["details"]["revision"] == body["details"]["head"]


async def test_health_is_503_when_the_database_is_gone(http, app):
    await app.state.api.database.dispose()
    response = await http.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    await app.state.api.database.connect()


async def test_metrics_exposition(http, gql, flow_spec):
    registered = await gql(
        "mutation ($input: RegisterFlowInput!) { registerFlow(input: $input) { flow { id } } }",
        {"input": {"project": "p", "spec": flow_spec(), "createProject": True}},
    )
    flow_id = data_of(registered)["registerFlow"]["flow"]["id"]
    await gql(
        "mutation ($id: ID!) {"
        ' createFlowRun(input: {flowId: $id, parameters: {who: "x"}}) { id } }',
        {"id": flow_id},
    )
    await http.get("/health")
    response = await http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'proctor_http_requests_total{method="POST",route="/graphql",status="200"} 2.0' in text
    assert 'proctor_http_requests_total{method="GET",route="/health",status="200"} 1.0' in text
    assert 'proctor_http_request_duration_seconds_bucket{le="+Inf",route="/graphql"} 2.0' in text
    assert 'proctor_flow_runs{state="Scheduled"} 1.0' in text
    assert "proctor_db_pool{figure=" in text


async def test_graphiql_page_for_browsers(http):
    page = await http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    query = await http.get("/graphql", params={"query": "{ projects { id } }"})
    assert query.json() == {"data": {"projects": []}}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_placeholder_ui_when_the_ui_is_not_built(database, tmp_path):
    app = create_app(get_settings(), database=database, ui_dir=tmp_path / "not-built")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            page = await http.get("/")
            assert page.status_code == 200
            assert 'href="/graphql"' in page.text
            deep = await http.get("/flow-run/123")
            assert deep.status_code == 200 and "Proctor" in deep.text
            assert (await http.post("/")).status_code == 405


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_built_ui_is_served_with_spa_fallback(database, tmp_path):
    dist = tmp_path / "ui_dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<html>the app</html>")
    (dist / "assets" / "app.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("no")
    app = create_app(get_settings(), database=database, ui_dir=dist)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            assert (await http.get("/")).text == "<html>the app</html>"
            assert (await http.get("/assets/app.js")).text == "console.log(1)"
            assert (await http.get("/flows/abc")).text == "<html>the app</html>"
            assert (await http.get("/assets/missing.js")).status_code == 404
            escaped = await http.get("/..%2Fsecret.txt")
            assert escaped.text != "no"


async def test_nul_characters_are_stored_as_replacement_characters(http, gql, flow_spec):
    """PostgreSQL refuses U+0000 in text and JSONB: a state message, a log line or a
    parameter holding one is stored with U+FFFD instead (on both databases), never a
    failed batch. An escaped backslash followed by "u0000" is plain text and stays."""
    registered = await gql(
        "mutation ($input: RegisterFlowInput!) { registerFlow(input: $input) { flow { id } } }",
        {"input": {"project": "p", "spec": flow_spec(), "createProject": True}},
    )
    flow_id = data_of(registered)["registerFlow"]["flow"]["id"]
    created = await gql(
        "mutation ($id: ID!, $p: JSON) { createFlowRun(input: {flowId: $id, parameters: $p})"
        " { id parameters } }",
        {"id": flow_id, "p": {"who": "a\u0000b \\u0000"}},
    )
    run = data_of(created)["createFlowRun"]
    assert run["parameters"]["who"] == "a\ufffdb \\u0000"
    state = {"type": "Failed", "message": "boom\u0000!"}
    changes = [{"flowRunId": run["id"], "taskSlug": "inc", "state": state}]
    results = await gql(
        "mutation ($c: [JSON!]!) { setTaskRunStates(changes: $c) { accepted } }", {"c": changes}
    )
    assert data_of(results)["setTaskRunStates"] == [{"accepted": True}]
    lines = [{"flowRunId": run["id"], "level": "INFO", "message": "x\u0000y"}]
    written = await gql("mutation ($l: [JSON!]!) { writeLogs(logs: $l) { count } }", {"l": lines})
    assert data_of(written)["writeLogs"] == {"count": 1}
    read = await gql(
        "query ($id: ID!) { taskRuns(flowRunId: $id) { nodes { stateMessage } }"
        " logs(flowRunId: $id) { nodes { message } } }",
        {"id": run["id"]},
    )
    assert data_of(read)["taskRuns"]["nodes"] == [{"stateMessage": "boom\ufffd!"}]
    assert data_of(read)["logs"]["nodes"] == [{"message": "x\ufffdy"}]
