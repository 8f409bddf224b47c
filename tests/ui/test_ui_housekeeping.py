"""Housekeeping and the activity feed in a real browser, with a real server (and agent):
the activity page and the dashboard panel show a run's states as they happen (no
reload); deleting a flow version, a whole flow and a project shows the runs that go
with it before confirming; archiving hides a flow, "Show archived" finds it again, and
unarchiving brings it back."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.agent.processes import FLOWS, AgentProcess, proctor_json, start_server, wait_until
from tests.server.housekeeping.conftest import flow_spec
from uiharness import ARTIFACTS, new_page, shot

from proctor.client import Client, FlowRunStateChange, ProctorClientError
from proctor.core.states import Running, Success
from proctor.testing import ServerProcess

LIVE = 60_000  # ms: generous on a loaded machine


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ui-housekeeping")


@pytest.fixture(scope="module")
def real_server(ui_ready: None, home: Path) -> Iterator[ServerProcess]:
    process = start_server(home)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    """This module's screenshots, apart from the shared folder other UI modules clear."""
    folder = ARTIFACTS.parent / "ui-housekeeping"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def client(real_server: ServerProcess) -> Iterator[Client]:
    with Client(real_server.url) as api:
        yield api


@pytest.fixture
def page(browser: Any, real_server: ServerProcess) -> Iterator[Any]:
    context, page, errors = new_page(browser, real_server.url)
    yield page
    context.close()
    assert not errors, errors


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def finish(client: Client, run_id: str) -> None:
    client.set_flow_run_states([FlowRunStateChange(flow_run_id=run_id, state=Running())])
    client.set_flow_run_states([FlowRunStateChange(flow_run_id=run_id, state=Success())])


def two_versions(client: Client, runs_on_v1: int) -> tuple[str, Any, Any]:
    project = client.create_project(unique("ui-hk")).name
    name = unique("ui-flow")
    v1 = client.register_flow(project, flow_spec(name, 1), archive_previous=False).flow
    v2 = client.register_flow(project, flow_spec(name, 2), archive_previous=False).flow
    for _ in range(runs_on_v1):
        finish(client, client.create_flow_run(v1.id).id)
    return project, v1, v2


def test_activity_shows_a_runs_states_live(page, real_server, home, client, artifacts):
    project = unique("ui-act")
    proctor_json("register", str(FLOWS / "simple.py"), "--project", project, "--label", project,
                 home=home, api_url=real_server.url)  # fmt: skip
    page.goto("/activity")
    expect(page.get_by_test_id("live-status")).to_have_attribute(
        "data-status", "live", timeout=LIVE
    )
    feed = page.get_by_test_id("activity-page")
    expect(feed.get_by_text("hello registered (version 1)").first).to_be_visible(timeout=LIVE)

    agent = AgentProcess(home, real_server.url, "activity-agent", labels=[project])
    try:
        created = proctor_json("run", "hello", "--project", project, home=home,
                               api_url=real_server.url)  # fmt: skip
        wait_until(lambda: client.get_flow_run(created["id"]).state == "Success", 90, "the run")
    finally:
        agent.stop()
    # Without a reload: the run's states arrived over the subscription.
    run_items = feed.locator(f'[data-kind="flow_run.state"] a[href="/runs/{created["id"]}"]')
    expect(run_items.filter(has_text="Run of hello is Success")).to_have_count(1, timeout=LIVE)
    expect(run_items.filter(has_text="Run of hello is Running")).to_have_count(1, timeout=LIVE)
    expect(feed.locator('[data-kind="agent.registered"]').first).to_have_text(
        re.compile("Agent activity-agent registered"), timeout=LIVE
    )
    shot(page, artifacts, "activity-page")

    # Filtered by kind (in the URL): only agent events stay.
    page.get_by_label("Kind").select_option("agent")
    expect(page).to_have_url(re.compile(r"kind=agent"))
    expect(feed.locator('[data-kind^="flow_run."]')).to_have_count(0, timeout=LIVE)
    expect(feed.locator('[data-kind="agent.registered"]').first).to_be_visible()

    # The dashboard's panel shows the newest events.
    page.goto("/")
    panel = page.get_by_test_id("dashboard-activity")
    expect(panel.get_by_test_id("activity-item").first).to_be_visible(timeout=LIVE)
    expect(panel.get_by_role("link", name="All activity")).to_have_attribute("href", "/activity")


def test_delete_a_version_then_the_flow_showing_the_runs(page, client, artifacts):
    _, v1, v2 = two_versions(client, runs_on_v1=3)
    finish(client, client.create_flow_run(v2.id).id)
    page.goto(f"/flows/{v1.id}")
    page.get_by_test_id("delete-flow").click()
    dialog = page.get_by_test_id("delete-dialog")
    expect(dialog.get_by_test_id("deletion-runs")).to_have_text("4", timeout=LIVE)  # 3 + 1
    dialog.get_by_test_id("delete-scope-version").check()
    expect(dialog.get_by_test_id("deletion-runs")).to_have_text("3", timeout=LIVE)
    expect(dialog).to_contain_text("1 version(s)")
    shot(page, artifacts, "delete-flow-dialog")
    dialog.get_by_test_id("delete-confirm").click()
    expect(page).to_have_url(re.compile(r"/flows$"), timeout=LIVE)
    assert [f.version for f in client.list_flows(name=v1.name, include_archived=True).items] == [2]

    page.goto(f"/flows/{v2.id}")
    page.get_by_test_id("delete-flow").click()
    dialog = page.get_by_test_id("delete-dialog")
    expect(dialog.get_by_test_id("deletion-runs")).to_have_text("1", timeout=LIVE)
    expect(dialog.get_by_test_id("delete-scope-version")).to_have_count(0)  # one version left
    dialog.get_by_role("button", name="Keep it").click()
    expect(dialog).to_have_count(0)
    assert client.list_flows(name=v1.name).items  # kept
    page.get_by_test_id("delete-flow").click()
    page.get_by_test_id("delete-confirm").click()
    expect(page).to_have_url(re.compile(r"/flows$"), timeout=LIVE)
    assert client.list_flows(name=v1.name, include_archived=True).items == []


@contextmanager
def heartbeating(url: str, run_id: str) -> Iterator[None]:
    """Keep a Running run alive (as its process would), so the zombie killer of this
    fast-service server leaves it in progress while the browser looks at it."""
    stop = threading.Event()

    def beat() -> None:
        with Client(url) as api:
            while not stop.wait(0.5):
                try:
                    api.heartbeat_flow_runs([run_id])
                except ProctorClientError:
                    return  # deleted: nothing left to keep alive

    thread = threading.Thread(target=beat, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)


def test_runs_in_progress_need_an_explicit_choice(page, real_server, client):
    _, _, v2 = two_versions(client, runs_on_v1=0)
    running = client.create_flow_run(v2.id)
    client.set_flow_run_states([FlowRunStateChange(flow_run_id=running.id, state=Running())])
    with heartbeating(real_server.url, running.id):
        in_progress_dialog(page, v2.id)
    assert client.list_flows(name=v2.name, include_archived=True).items == []


def in_progress_dialog(page: Any, flow_id: str) -> None:
    page.goto(f"/flows/{flow_id}")
    page.get_by_test_id("delete-flow").click()
    dialog = page.get_by_test_id("delete-dialog")
    expect(dialog.get_by_role("alert")).to_contain_text("1 run(s) are in progress", timeout=LIVE)
    expect(dialog.get_by_test_id("delete-confirm")).to_be_disabled()
    dialog.get_by_test_id("delete-force").check()
    dialog.get_by_test_id("delete-confirm").click()
    expect(page).to_have_url(re.compile(r"/flows$"), timeout=LIVE)


def test_archive_hides_the_flow_and_unarchive_brings_it_back(page, client, artifacts):
    project, _, v2 = two_versions(client, runs_on_v1=1)
    page.goto(f"/flows/{v2.id}")
    page.get_by_test_id("archive-flow").click()
    expect(page.get_by_test_id("unarchive-flow")).to_be_visible(timeout=LIVE)
    expect(page.get_by_test_id("open-run-form")).to_have_count(0)  # no new runs

    page.goto(f"/flows?project={project}")
    expect(page.get_by_test_id(f"flow-row-{v2.name}")).to_have_count(0, timeout=LIVE)
    page.get_by_test_id("show-archived").check()
    expect(page).to_have_url(re.compile(r"archived=1"))
    rows = page.get_by_test_id(f"flow-row-{v2.name}")
    expect(rows).to_have_count(2, timeout=LIVE)  # both versions, each tagged
    expect(rows.first.get_by_test_id("archived-tag")).to_be_visible()
    shot(page, artifacts, "flows-show-archived")

    page.goto(f"/flows/{v2.id}")
    page.get_by_test_id("unarchive-flow").click()
    expect(page.get_by_test_id("archive-flow")).to_be_visible(timeout=LIVE)
    assert [f.version for f in client.list_flows(name=v2.name).items] == [2]


def test_delete_a_project_shows_its_flows_and_runs(page, client, artifacts):
    project, _, _ = two_versions(client, runs_on_v1=2)
    page.goto("/projects")
    page.get_by_test_id(f"delete-project-{project}").click()
    dialog = page.get_by_test_id("delete-dialog")
    expect(dialog.get_by_test_id("deletion-runs")).to_have_text("2", timeout=LIVE)
    expect(dialog.get_by_test_id("deletion-counts")).to_contain_text("1 flow(s)")
    shot(page, artifacts, "delete-project-dialog")
    dialog.get_by_test_id("delete-confirm").click()
    expect(page.get_by_test_id(f"delete-project-{project}")).to_have_count(0, timeout=LIVE)
    assert project not in {p.name for p in client.list_projects()}
