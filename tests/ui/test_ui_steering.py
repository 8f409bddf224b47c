"""Running and steering from the UI with a real server, agent and browser: quick run from
the flows list and the flow page (and the form, saying why, when a parameter has no
default); "Restart from…" shows what runs again and the agent reruns only that (counted
by the tasks themselves); "Mark as…" on the run page and the task-run page, recorded in
the state history; "Compare with…" opens two runs side by side with the difference
highlighted."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.agent.processes import FLOWS, AgentProcess, proctor_json, start_server, wait_until
from uiharness import new_page, shot

from proctor.client import Client, FlowRunStateChange, TaskRunStateChange
from proctor.core.states import Running
from proctor.testing import ServerProcess

LIVE = 60_000  # ms: generous on a loaded machine
FINISHED = {"Success", "Failed", "Cancelled"}
UI_FLOWS = Path(__file__).parent / "flows"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ui-steering")


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
def page(browser: Any, real_server: ServerProcess) -> Iterator[Any]:
    context, page, errors = new_page(browser, real_server.url)
    yield page
    context.close()
    assert not errors, errors


def register(home: Path, server: ServerProcess, path: Path, *labels: str) -> str:
    project = f"ui-{uuid.uuid4().hex[:6]}"
    extra = [arg for label in labels for arg in ("--label", label)]
    proctor_json("register", str(path), "--project", project, *extra,
                 home=home, api_url=server.url)  # fmt: skip
    return project


def finished(client: Client, run_id: str) -> Any:
    return wait_until(
        lambda: (found := client.get_flow_run(run_id)).state in FINISHED and found,
        90,
        f"run {run_id} to finish",
    )


def runs_of(work: Path, name: str) -> int:
    path = work / f"{name}-runs"
    return path.read_text().count("ran") if path.exists() else 0


def flow_id(client: Client, project: str, name: str) -> str:
    [found] = [f for f in client.list_flows(project=project).items if f.name == name]
    return str(found.id)


def test_quick_run_from_the_list_and_the_flow_page(
    page: Any, home: Path, real_server: ServerProcess, client: Client, artifacts: Path
) -> None:
    # A label no agent has: the runs started here wait (another test's agent would take
    # runs without labels).
    parked = f"parked-{uuid.uuid4().hex[:6]}"
    project = register(home, real_server, FLOWS / "steerable.py", parked)
    register(home, real_server, UI_FLOWS / "needs_day.py", parked)  # its own project
    steerable = flow_id(client, project, "steerable")

    page.goto(f"/flows?project={project}")
    row = page.get_by_test_id("flow-row-steerable")
    expect(row.get_by_test_id("quick-run")).to_be_visible(timeout=LIVE)
    row.get_by_test_id("quick-run").click()
    link = row.get_by_test_id("quick-run-link")
    expect(link).to_be_visible(timeout=LIVE)
    runs = client.list_flow_runs(flow_id=steerable).items
    assert len(runs) == 1 and runs[0].parameters == {}
    expect(link).to_contain_text(runs[0].name)
    shot(page, artifacts, "quick-run-list")
    link.click()
    expect(page).to_have_url(f"{real_server.url}/runs/{runs[0].id}")

    page.goto(f"/flows/{steerable}")
    expect(page.get_by_test_id("quick-run")).to_be_visible(timeout=LIVE)
    page.get_by_test_id("quick-run").click()
    expect(page.get_by_test_id("quick-run-link")).to_be_visible(timeout=LIVE)
    assert len(client.list_flow_runs(flow_id=steerable).items) == 2

    # A required parameter without a default: the button opens the form and says why.
    [needs] = client.list_flows(search="needs_day").items
    page.goto(f"/flows/{needs.id}")
    expect(page.get_by_test_id("quick-run")).to_be_visible(timeout=LIVE)
    page.get_by_test_id("quick-run").click()
    expect(page.get_by_test_id("quick-run-needs")).to_contain_text(
        "Needs a value for day (no default)", timeout=LIVE
    )
    expect(page.get_by_test_id("run-form")).to_be_visible()
    assert client.list_flow_runs(flow_id=str(needs.id)).items == []
    shot(page, artifacts, "quick-run-needs-values")

    # While a run's process runs, its task runs cannot be marked: the button says why.
    run_id = runs[0].id
    client.set_flow_run_states([FlowRunStateChange(flow_run_id=run_id, state=Running())])
    client.set_task_run_states(
        [TaskRunStateChange(flow_run_id=run_id, task_slug="first", state=Running())]
    )
    page.goto(f"/runs/{run_id}/tasks/first")
    mark = page.get_by_test_id("mark-as")
    expect(mark).to_be_disabled(timeout=LIVE)
    expect(mark).to_have_attribute("title", re.compile("its process sets its task runs"))


def test_restart_from_mark_as_and_compare(
    page: Any, home: Path, real_server: ServerProcess, client: Client, tmp_path: Path,
    artifacts: Path,
) -> None:  # fmt: skip
    label = f"steer-{uuid.uuid4().hex[:6]}"
    project = register(home, real_server, FLOWS / "steerable.py", label)
    agent = AgentProcess(home, real_server.url, label, labels=[label],
                         env={"AGENT_TEST_DIR": str(tmp_path)})  # fmt: skip
    try:
        first = proctor_json("run", "steerable", "--project", project,
                             home=home, api_url=real_server.url)["id"]  # fmt: skip
        assert finished(client, first).state == "Success"
        second = proctor_json("run", "steerable", "--project", project,
                              home=home, api_url=real_server.url)["id"]  # fmt: skip
        assert finished(client, second).state == "Success"
        names = ("first", "middle", "side", "last")
        assert [runs_of(tmp_path, n) for n in names] == [2, 2, 2, 2]

        # Restart from `middle`: the dialog says what runs again before anything does.
        page.goto(f"/runs/{first}")
        expect(page.get_by_test_id("restart-from")).to_be_visible(timeout=LIVE)
        page.get_by_test_id("restart-from").click()
        dialog = page.get_by_test_id("restart-from-dialog")
        dialog.get_by_test_id("restart-from-task").select_option("middle")
        groups = dialog.get_by_test_id("restart-from-group")
        expect(groups).to_have_count(2, timeout=LIVE)
        expect(dialog.locator('[data-slug="middle"]')).to_have_attribute("data-reason", "chosen")
        expect(dialog.locator('[data-slug="last"]')).to_have_attribute("data-reason", "downstream")
        expect(dialog.get_by_test_id("restart-from-preview")).to_contain_text("reused: 2")
        shot(page, artifacts, "restart-from")
        assert client.get_flow_run(first).state == "Success"  # nothing happened yet
        dialog.get_by_test_id("restart-from-confirm").click()
        wait_until(lambda: client.get_flow_run(first).run_count == 2, 60, "the restart to run")
        assert finished(client, first).state == "Success"
        assert [runs_of(tmp_path, n) for n in names] == [2, 3, 2, 3]
    finally:
        agent.stop()

    # Mark the run Failed by hand: asked, recorded with the reason.
    page.goto(f"/runs/{first}")
    expect(page.locator(".page-head [data-state]")).to_have_attribute(
        "data-state", "Success", timeout=LIVE
    )
    page.get_by_test_id("mark-as").click()
    mark = page.get_by_test_id("mark-dialog")
    mark.get_by_test_id("mark-state").select_option("Failed")
    mark.get_by_test_id("mark-confirm").click()
    expect(mark.get_by_test_id("mark-error")).to_contain_text("Say why")
    mark.get_by_test_id("mark-reason").fill("the report went to the wrong team")
    shot(page, artifacts, "mark-as")
    mark.get_by_test_id("mark-confirm").click()
    expect(page.locator(".page-head [data-state]")).to_have_attribute(
        "data-state", "Failed", timeout=LIVE
    )
    page.goto(f"/runs/{first}?tab=history")
    expect(page.get_by_test_id("state-history")).to_contain_text(
        "Marked Failed by hand by the local user: the report went to the wrong team", timeout=LIVE
    )

    # Mark a task run of the other run Skipped, from its own page.
    page.goto(f"/runs/{second}/tasks/side")
    expect(page.get_by_test_id("mark-as")).to_be_visible(timeout=LIVE)
    page.get_by_test_id("mark-as").click()
    mark = page.get_by_test_id("mark-dialog")
    mark.get_by_test_id("mark-state").select_option("Skipped")
    mark.get_by_test_id("mark-reason").fill("side output not needed today")
    mark.get_by_test_id("mark-confirm").click()
    expect(page.locator(".page-head [data-state]")).to_have_attribute(
        "data-state", "Skipped", timeout=LIVE
    )

    # Compare the two: the run page's picker, then the page with the difference marked.
    page.goto(f"/runs/{first}")
    expect(page.get_by_test_id("compare-with")).to_be_visible(timeout=LIVE)
    page.get_by_test_id("compare-with").click()
    compare = page.get_by_test_id("compare-dialog")
    compare.get_by_test_id("compare-other").select_option(second)
    compare.get_by_test_id("compare-open").click()
    expect(page).to_have_url(f"{real_server.url}/compare?a={first}&b={second}")
    side = page.locator('[data-testid="compare-task"][data-slug="side"]')
    # Skipped by hand has no result; its duration may differ too (it ended at the mark).
    expect(side).to_have_attribute(
        "data-differences", re.compile(r"^state,.*result$"), timeout=LIVE
    )
    expect(side).to_contain_text("Skipped")
    expect(side).to_have_class("differs")
    expect(page.locator('[data-testid="compare-task"][data-slug="first"]')).to_have_count(0)
    page.get_by_test_id("compare-show-all").check()
    expect(page.locator('[data-testid="compare-task"][data-slug="first"]')).to_have_count(1)
    expect(page.get_by_test_id("compare-run-a")).to_contain_text("Failed")
    shot(page, artifacts, "compare-runs")
