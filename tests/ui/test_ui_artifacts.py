"""Artifacts and the results panel in a real browser, from a flow run by a real agent.

The flow (tests/agent/flows/publishing.py) publishes markdown with a `<script>`, an
`<img onerror>` and a `javascript:` link in it: the page must show them as inert text
(no such element, no script ran, the link has no href), while safe links open in a new
tab without an opener. The task run's page shows where its JSON result is, its size and
format, and a preview, because this server is configured to read that folder; the
Artifacts page lists the newest artifact per key and one key's history. The screenshots
(test-artifacts/ui/artifacts-*.png) are the ones in docs/images/ui-artifacts-*.png and
ui-result-panel.png.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.agent.processes import (
    FAST_SERVER,
    FLOWS,
    AgentProcess,
    DrainedServer,
    proctor_json,
    wait_until,
)
from uiharness import new_page, shot

from proctor.client import Client

# Set by anything hostile that manages to run; a dialog would say the same.
WATCH = "window.__pwned = undefined; window.alert = () => { window.__pwned = 'alert'; };"


@pytest.fixture(scope="module")
def published(ui_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    home = tmp_path_factory.mktemp("artifacts-home")
    work = tmp_path_factory.mktemp("artifacts-work")
    env = {**FAST_SERVER, "PROCTOR_SERVER_RESULT_PREVIEW_DIRS": json.dumps([str(work)])}
    server = DrainedServer(f"sqlite+aiosqlite:///{home / 'proctor.db'}", home, env=env)
    server.start(timeout=60)
    agent = None
    try:
        project = f"art-{uuid.uuid4().hex[:6]}"
        proctor_json(
            "register", str(FLOWS / "publishing.py"), "--project", project, "--label", project,
            home=home, api_url=server.url,
        )  # fmt: skip
        agent = AgentProcess(
            home,
            server.url,
            f"{project}-agent",
            labels=[project],
            env={"AGENT_TEST_DIR": str(work)},
        )
        run = proctor_json("run", "publishing", "--project", project, home=home,
                           api_url=server.url)  # fmt: skip
        with Client(server.url) as client:
            wait_until(
                lambda: client.get_flow_run(run["id"]).state in {"Success", "Failed"}, 120, "run"
            )
            assert client.get_flow_run(run["id"]).state == "Success"
        yield {"url": server.url, "run": run["id"], "work": work}
    finally:
        if agent is not None:
            agent.stop()
        server.stop()


@pytest.fixture
def page(browser: Any, published: dict[str, Any]) -> Iterator[Any]:
    context, page, errors = new_page(browser, published["url"])
    page.add_init_script(WATCH)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()
    assert not errors, errors
    assert not dialogs, dialogs


def test_hostile_markdown_renders_inert_and_links_are_safe(page, published, artifacts):
    page.goto(f"/runs/{published['run']}?tab=artifacts")
    report = page.locator("[data-testid=artifact][data-artifact-type=markdown]")
    report.wait_for()
    assert page.locator("[data-testid=artifact]").count() == 5
    text = report.inner_text()
    assert "Nightly report" in text and "<script>window.__pwned = 'script'</script>" in text
    assert "onerror=\"window.__pwned = 'img'\"" in text
    area = page.locator("[data-testid=run-artifacts]")
    assert area.locator("script").count() == 0
    assert area.locator("img").count() == 0
    assert area.locator("[onerror]").count() == 0
    # Every link an artifact brought (not the page's own links to the run and task).
    content = area.locator(".markdown a, .artifact-link a")
    hrefs = content.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sorted(hrefs) == ["https://example.com/dash", "https://example.com/runs/1"], hrefs
    unsafe = area.locator(".md-unsafe-link", has_text="click me")
    assert unsafe.count() == 1
    unsafe.click()
    dashboard = report.locator("a", has_text="the dashboard")
    assert dashboard.get_attribute("href") == "https://example.com/dash"
    assert "noopener" in (dashboard.get_attribute("rel") or "")
    assert dashboard.get_attribute("target") == "_blank"
    warehouse = area.locator("[data-artifact-type=link] a", has_text="Run on the warehouse")
    assert warehouse.get_attribute("href") == "https://example.com/runs/1"
    assert "noopener" in (warehouse.get_attribute("rel") or "")
    rows = area.locator("[data-artifact-type=table]", has_text="loaded-tables").locator("tbody tr")
    assert rows.all_inner_texts() == ["orders\t10", "users\t2"]
    assert page.evaluate("window.__pwned") is None
    shot(page, artifacts, "artifacts-run")


def test_task_run_page_shows_its_result_and_artifacts(page, published, artifacts):
    run = published["run"]
    page.goto(f"/runs/{run}/tasks/summarise")
    card = page.locator("[data-testid=result-card]")
    card.wait_for()
    path = published["work"] / "results" / "publishing" / run / "summarise.json"
    assert card.locator("[data-testid=result-location]").inner_text() == str(path)
    assert card.locator("[data-testid=result-size]").inner_text() == f"{path.stat().st_size} B"
    assert card.locator("[data-testid=result-format]").inner_text() == "json · LocalResult"
    assert json.loads(card.locator("[data-testid=result-preview]").inner_text()) == {
        "day": "2026-12-07",
        "rows": 12,
    }
    snippet = card.locator("[data-testid=result-snippet]").inner_text()
    assert f"client.load_result('{run}', 'summarise')" in snippet
    task_artifacts = page.locator("[data-testid=task-artifacts] [data-testid=artifact]")
    assert task_artifacts.count() == 3
    assert page.locator("[data-testid=task-artifacts] script").count() == 0
    assert page.evaluate("window.__pwned") is None
    shot(page, artifacts, "artifacts-task-run")

    page.goto(f"/runs/{run}/tasks/scores/1")
    squares = page.locator("[data-testid=task-artifacts] [data-testid=artifact-table] tbody tr")
    squares.first.wait_for()
    assert squares.all_inner_texts() == ["2\t4"]


def test_artifacts_page_lists_the_newest_per_key_and_a_keys_history(page, published, artifacts):
    page.goto("/artifacts")
    table = page.locator("[data-testid=artifact-keys]")
    table.wait_for()
    keys = table.locator("tbody tr td:first-child").all_inner_texts()
    assert sorted(keys) == ["loaded-tables", "nightly-report", "squares", "warehouse"]
    shot(page, artifacts, "artifacts-page")
    table.locator("a", has_text="squares").click()
    page.wait_for_url("**/artifacts?key=squares")
    # The list of every key stays on screen until the key's own history has loaded.
    versions = page.locator("[data-testid=artifact]")
    expect(versions).to_have_count(2)
    assert (
        page.locator("nav.sidebar a[href='/artifacts'], a.nav-link[href='/artifacts']").count() >= 1
    )
    page.get_by_label("Artifact type").select_option("markdown")
    page.wait_for_url("**type=markdown**")
    page.locator("text=No artifacts yet").wait_for()


# Keyless: on their run's page only, so the Artifacts page's keys stay the 230 above.
CROWD = 1200


@pytest.fixture(scope="module")
def many(ui_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A server of its own (the module's keeps four keys) whose one run published 230
    keys, 5 versions of one of them and 1 of every other, and another run 1,200 keyless
    artifacts (more than a page of the run's Artifacts tab holds)."""
    home = tmp_path_factory.mktemp("many-home")
    server = DrainedServer(f"sqlite+aiosqlite:///{home / 'proctor.db'}", home, env=FAST_SERVER)
    server.start(timeout=60)
    try:
        proctor_json(
            "register", str(FLOWS / "simple.py"), "--project", "many", home=home,
            api_url=server.url,
        )  # fmt: skip
        with Client(server.url) as client:
            [flow] = [f for f in client.list_flows().items if f.project_name == "many"]
            run = client.create_flow_run(flow_id=flow.id)
            crowded = client.create_flow_run(flow_id=flow.id)
            items = [
                {"flowRunId": run.id, "id": str(uuid.uuid4()), "type": "markdown",
                 "key": f"bulk-{n:03d}", "data": {"markdown": f"number {n}"}}
                for n in range(230)
            ] + [
                {"flowRunId": run.id, "id": str(uuid.uuid4()), "type": "markdown",
                 "key": "bulk-000", "data": {"markdown": f"version {v}"}}
                for v in range(4)
            ] + [
                {"flowRunId": crowded.id, "id": str(uuid.uuid4()), "type": "markdown",
                 "data": {"markdown": f"crowd {n:04d}"}}
                for n in range(CROWD)
            ]  # fmt: skip
            # One batch: seeding them one by one would make this the slowest test here.
            written = client.query(
                "mutation ($a: [JSON!]!) { writeArtifacts(artifacts: $a) { count } }",
                {"a": items},
            )
            assert written["writeArtifacts"]["count"] == 234 + CROWD
        yield {"url": server.url, "crowded": crowded.id}
    finally:
        server.stop()


def test_artifacts_page_loads_more_until_every_key_is_listed(browser, many):
    context, page, errors = new_page(browser, many["url"])
    try:
        page.goto("/artifacts")
        rows = page.locator("[data-testid=artifact-keys] tbody tr")
        rows.nth(99).wait_for()
        assert rows.count() == 100
        more = page.get_by_role("button", name="Load more")
        more.click()
        rows.nth(199).wait_for()
        assert rows.count() == 200
        more.click()
        rows.nth(229).wait_for()
        more.wait_for(state="detached")
        keys = rows.locator("td:first-child").all_inner_texts()
        # Newest first: bulk-000's last version was published last; no key twice.
        assert keys[0] == "bulk-000"
        assert sorted(keys) == [f"bulk-{n:03d}" for n in range(230)]
        # One key's history: five versions on one page, nothing more to load.
        page.goto("/artifacts?key=bulk-000")
        versions = page.locator("[data-testid=artifact]")
        versions.nth(4).wait_for()
        assert versions.count() == 5
        assert page.get_by_role("button", name="Load more").count() == 0
    finally:
        context.close()
    assert not errors, errors


def test_a_runs_artifacts_tab_loads_more_until_all_1200_are_shown(browser, many):
    context, page, errors = new_page(browser, many["url"])
    try:
        page.goto(f"/runs/{many['crowded']}?tab=artifacts")
        tab = page.get_by_test_id("run-artifacts")
        shown = tab.get_by_test_id("artifact")
        expect(shown).to_have_count(100)
        expect(tab).to_contain_text("1,200 published by this run's tasks")
        more = tab.get_by_test_id("load-more")
        expect(more).to_contain_text("100 of 1,200")
        for pages in range(2, 13):
            more.get_by_role("button", name="Load more").click()
            expect(shown).to_have_count(min(pages * 100, CROWD))
        expect(more).to_have_count(0)
        texts = tab.locator(".markdown").all_inner_texts()
        # Every one once: the pages neither repeat nor skip one.
        assert sorted(t.strip() for t in texts) == [f"crowd {n:04d}" for n in range(CROWD)]
    finally:
        context.close()
    assert not errors, errors
