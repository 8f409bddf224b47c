"""The run page follows big maps live: a real agent runs 1,000 and then 10,000 mapped task
runs while the page stays open, and at the end every count and state the page shows is
what the server holds (read from the API), without a reload.

The page is waited on until it reaches the API's values (generous limits for a loaded
machine); nothing is timed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.agent.processes import wait_until
from uiapi import Api
from uiharness import new_page, shot
from uirealrun import RealRuns, real_runs

RUN_LIMIT = 900  # s: a 10,000-task run on a loaded 2-core machine
CONVERGE = 60_000  # ms: generous; a page that dropped updates never gets there
FINISHED = {"Success", "Failed", "Cancelled", "Skipped", "Mapped", "Cached", "TriggerFailed",
            "TimedOut"}  # fmt: skip

ROWS = """query($id: ID!, $after: String) { flowRun(id: $id) {
  state taskRunRows(first: 1000, after: $after) { fields rows pageInfo { endCursor hasNextPage } }
} }"""


@pytest.fixture(scope="module")
def runs(ui_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealRuns]:
    with real_runs(tmp_path_factory.mktemp("ui-big-map"), "big_map.py", "ui-big") as runs:
        yield runs


@pytest.fixture
def page(browser: Any, runs: RealRuns) -> Iterator[Any]:
    context, page, errors = new_page(browser, runs.server.url)
    yield page
    context.close()
    assert not errors, errors


def server_truth(api: Api, run_id: str) -> tuple[str, list[dict[str, Any]]]:
    """The run's state and every task run, as the API holds them."""
    rows: list[dict[str, Any]] = []
    after = None
    while True:
        run = api.gql(ROWS, {"id": run_id, "after": after})["flowRun"]
        page = run["taskRunRows"]
        rows += [dict(zip(page["fields"], row, strict=True)) for row in page["rows"]]
        if not page["pageInfo"]["hasNextPage"]:
            return run["state"], rows
        after = page["pageInfo"]["endCursor"]


def expected_nodes(rows: list[dict[str, Any]]) -> dict[str, tuple[str, int, int]]:
    """Per task slug: (state, finished, total) as the schematic should show it. A mapped
    task that finished shows its own state (Mapped) over its children's count."""
    parents = {r["taskSlug"]: r for r in rows if r["mapIndex"] < 0}
    children: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["mapIndex"] >= 0:
            children.setdefault(row["taskSlug"], []).append(row)
    nodes = {s: (r["state"], int(r["state"] in FINISHED), 1) for s, r in parents.items()}
    for slug, kids in children.items():
        states = Counter(kid["state"] for kid in kids)
        done = sum(n for state, n in states.items() if state in FINISHED)
        assert set(states) == {"Success"}, states  # the flow's children all succeed
        nodes[slug] = (parents[slug]["state"], done, len(kids))
    return nodes


@pytest.mark.parametrize("count", [1000, 10_000])
def test_the_run_page_converges_to_the_server_on_big_maps(
    page: Any, runs: RealRuns, count: int, artifacts: Path
) -> None:
    api = Api(runs.server.url)
    run_id = runs.run("big_map", f"count={count}")["id"]
    # The page is open from before the agent picks the run up, and never reloads.
    page.goto(f"/runs/{run_id}")
    page.evaluate("() => { window.__noReload = true; }")
    header = page.locator(".page-head [data-state]")
    expect(header).to_be_visible()

    wait_until(
        lambda: api.run(run_id)["state"] in FINISHED, RUN_LIMIT, f"the {count}-task run to end"
    )
    state, rows = server_truth(api, run_id)
    assert state == "Success"
    assert sum(1 for r in rows if r["taskSlug"] == "work" and r["mapIndex"] >= 0) == count

    expect(header).to_have_attribute("data-state", state, timeout=CONVERGE)
    tab = page.get_by_role("tab", name="Task runs")
    expect(tab.locator(".count")).to_have_text(f"{len(rows):,}", timeout=CONVERGE)
    schematic = page.get_by_test_id("schematic")
    for slug, (node_state, done, total) in expected_nodes(rows).items():
        node = schematic.locator(f'[data-slug="{slug}"]')
        expect(node).to_have_attribute("data-state", node_state, timeout=CONVERGE)
        expect(node).to_have_attribute("data-done", str(done), timeout=CONVERGE)
        expect(node).to_have_attribute("data-total", str(total), timeout=CONVERGE)
    gantt = page.get_by_test_id("gantt")
    for slug, row in ((r["taskSlug"], r) for r in rows if r["mapIndex"] < 0):
        gantt_row = gantt.locator(f'[data-testid=gantt-row][data-slug="{slug}"]').first
        expect(gantt_row).to_have_attribute(
            "data-state", "Success" if slug == "work" else row["state"], timeout=CONVERGE
        )
    expect(gantt.locator('[data-testid=gantt-row][data-slug="work"]').first).to_contain_text(
        f"\u00d7{count:,}"
    )
    assert page.evaluate("() => window.__noReload") is True
    shot(page, artifacts, f"big-map-{count}")
    api.close()
