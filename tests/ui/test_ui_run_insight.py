"""What the run page and the dashboard say about a run, with a real server, real agents
and real flows: a restart asks first and says what it re-runs, then the page shows both
attempts with their own times and the dashboard keeps the first failure; a failure names
the task run that raised, not the one that followed; a run no agent can take says which
labels are missing and what to start."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.agent.processes import FLOWS, AgentProcess, proctor_json, start_server, wait_until
from uiharness import new_page, shot

from proctor.client import Client
from proctor.testing import ServerProcess

LIVE = 60_000  # ms: generous on a loaded machine
FINISHED = {"Success", "Failed", "Cancelled"}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ui-insight")


@pytest.fixture(scope="module")
def real_server(ui_ready: None, home: Path) -> Iterator[ServerProcess]:
    process = start_server(home)
    yield process
    process.stop()


@pytest.fixture
def client(real_server: ServerProcess) -> Iterator[Client]:
    with Client(real_server.url) as api:
        yield api


@pytest.fixture
def agents() -> Iterator[list[AgentProcess]]:
    started: list[AgentProcess] = []
    yield started
    for agent in started:
        agent.stop()


@pytest.fixture
def page(browser: Any, real_server: ServerProcess) -> Iterator[Any]:
    context, page, errors = new_page(browser, real_server.url)
    yield page
    context.close()
    assert not errors, errors


def register(home: Path, server: ServerProcess, flow_file: str, *labels: str) -> str:
    project = f"ui-{uuid.uuid4().hex[:6]}"
    extra = [arg for label in labels for arg in ("--label", label)]
    proctor_json("register", str(FLOWS / flow_file), "--project", project, *extra,
                 home=home, api_url=server.url)  # fmt: skip
    return project


def run(home: Path, server: ServerProcess, flow: str, project: str) -> str:
    created = proctor_json("run", flow, "--project", project, home=home, api_url=server.url)
    return str(created["id"])


def finished(client: Client, run_id: str) -> Any:
    return wait_until(
        lambda: (found := client.get_flow_run(run_id)).state in FINISHED and found,
        60,
        f"run {run_id} to finish",
    )


def test_restart_asks_first_then_shows_each_attempt(
    page: Any, home: Path, real_server: ServerProcess, client: Client, agents: list, tmp_path: Path,
    artifacts: Path,
) -> None:  # fmt: skip
    label = f"restart-{uuid.uuid4().hex[:6]}"
    project = register(home, real_server, "restartable.py", label)
    agents.append(AgentProcess(home, real_server.url, label, labels=[label],
                               env={"AGENT_TEST_DIR": str(tmp_path)}))  # fmt: skip
    run_id = run(home, real_server, "restartable", project)
    assert finished(client, run_id).state == "Failed"

    page.goto(f"/runs/{run_id}")
    expect(page.get_by_test_id("failure-summary")).to_contain_text("fragile", timeout=LIVE)
    expect(page.get_by_test_id("failure-summary")).to_contain_text("RuntimeError")
    page.get_by_test_id("restart-run").click()
    dialog = page.get_by_role("dialog", name="Restart this run?")
    preview = dialog.get_by_test_id("restart-preview")
    expect(preview).to_contain_text("runs 2 task runs again and reuses 1", timeout=LIVE)
    groups = preview.get_by_test_id("rerun-group")
    expect(groups).to_have_count(2)
    expect(groups.filter(has_text="fragile")).to_contain_text("failed")
    expect(groups.filter(has_text="report")).to_contain_text("after a failed task")
    shot(page, artifacts, "restart-confirm")
    # Nothing happened yet: the dialog asked.
    assert client.get_flow_run(run_id).state == "Failed"
    (tmp_path / "fixed").touch()
    dialog.get_by_role("button", name="Restart").click()
    expect(page.locator(".page-head [data-state]")).to_have_attribute(
        "data-state", "Success", timeout=LIVE
    )

    attempts = page.get_by_test_id("attempts").get_by_test_id("attempt")
    expect(attempts).to_have_count(2, timeout=LIVE)
    expect(attempts.nth(0)).to_contain_text("Failed")
    expect(attempts.nth(1)).to_contain_text("Success")
    # The run's duration is its current attempt's, not both attempts and the gap.
    expect(page.get_by_test_id("run-duration")).to_have_text(
        attempts.nth(1).get_by_test_id("attempt-duration").inner_text()
    )
    # The timeline spans the current attempt: `expensive` was reused from the first.
    gantt = page.get_by_test_id("gantt")
    expect(gantt.locator('[data-slug="expensive"]').get_by_test_id("gantt-reused")).to_have_count(1)
    expect(gantt.locator('[data-slug="fragile"] .bar')).to_have_count(1)
    shot(page, artifacts, "run-attempts")

    page.goto("/")
    failure = (
        page.get_by_test_id("failures")
        .get_by_test_id("failure")
        .filter(has_text=client.get_flow_run(run_id).name)
    )
    expect(failure).to_have_count(1, timeout=LIVE)
    expect(failure).to_contain_text("fragile: RuntimeError: not fixed yet")
    expect(failure.get_by_test_id("failure-restarted")).to_contain_text("attempt 1")


def test_a_failure_names_the_task_run_that_raised(
    page: Any, home: Path, real_server: ServerProcess, client: Client, agents: list,
    artifacts: Path,
) -> None:  # fmt: skip
    label = f"dw-{uuid.uuid4().hex[:6]}"
    project = register(home, real_server, "warehouse.py", label)
    agents.append(AgentProcess(home, real_server.url, label, labels=[label]))
    run_id = run(home, real_server, "warehouse", project)
    assert finished(client, run_id).state == "Failed"

    page.goto(f"/runs/{run_id}")
    summary = page.get_by_test_id("failure-summary")
    expect(summary.get_by_test_id("failure-cause")).to_have_text(
        "enrich[3]: ValueError: row 3 has no customer id", timeout=LIVE
    )
    expect(summary).not_to_contain_text("write_warehouse")
    summary.get_by_role("link", name="enrich[3]").click()
    expect(page).to_have_url(f"{real_server.url}/runs/{run_id}/tasks/enrich/3")
    page.goto("/")
    failure = page.get_by_test_id("failure").filter(has_text=client.get_flow_run(run_id).name)
    expect(failure).to_contain_text("enrich[3]: ValueError: row 3 has no customer id", timeout=LIVE)
    expect(failure).not_to_contain_text("write_warehouse")
    shot(page, artifacts, "dashboard-failure-cause")


def test_a_run_no_agent_can_take_says_what_to_start(
    page: Any, home: Path, real_server: ServerProcess, client: Client, agents: list,
    artifacts: Path,
) -> None:  # fmt: skip
    # Labels of their own: no other test's agent has them.
    gpu, ux = f"gpu-{uuid.uuid4().hex[:4]}", f"ux-{uuid.uuid4().hex[:4]}"
    project = register(home, real_server, "gpu_work.py", gpu, ux)
    agents.append(AgentProcess(home, real_server.url, f"only-{ux}", labels=[ux]))
    wait_until(lambda: any(a.name == f"only-{ux}" for a in client.list_agents()), 30, "the agent")
    run_id = run(home, real_server, "gpu_work", project)
    command = f"proctor agent start --label {gpu} --label {ux}"

    page.goto(f"/runs/{run_id}")
    banner = page.get_by_test_id("agent-match")
    expect(banner).to_contain_text(f"Missing labels: {gpu}", timeout=LIVE)
    expect(banner).to_contain_text(f"only-{ux}")
    expect(banner).to_contain_text(command)
    shot(page, artifacts, "run-no-agent")
    page.goto("/")
    waiting = (
        page.get_by_test_id("upcoming")
        .locator("li")
        .filter(has_text=client.get_flow_run(run_id).name)
    )
    expect(waiting.get_by_test_id("no-agent")).to_contain_text(f"missing {gpu}", timeout=LIVE)
    expect(waiting.get_by_test_id("no-agent")).to_contain_text(command)

    # Start what the page said: the run is taken and the warning goes.
    agents.append(AgentProcess(home, real_server.url, f"both-{ux}", labels=[gpu, ux]))
    assert finished(client, run_id).state == "Success"
    page.goto(f"/runs/{run_id}")
    expect(page.locator(".page-head [data-state]")).to_have_attribute("data-state", "Success")
    expect(page.get_by_test_id("agent-match")).to_have_count(0)
