"""The UI with a big run: 10,000 task runs and 100,000 log lines, in headless Chromium.

    python benchmarks/ui.py [--tasks 10000] [--logs 100000]

Starts `proctor server start` on a free port with a temporary SQLite database, seeds one
flow run through the GraphQL API (a mapped task with `--tasks` children, each Running
then Success, and `--logs` log lines), opens the run's page and prints JSON lines:

- `first_render_ms`: navigation start to the run's header on screen (in-page clock);
- `interactive_ms`: navigation start to the timeline drawn and the main thread free
  again (the rest of the task runs keep loading in the background, 1,000 per request);
- `interactive_warm_ms`: the same on a second visit (the browser's caches warm);
- `header_drawn_ms` / `timeline_drawn_ms` (and `timeline_drawn_warm_ms`): when the
  header and the timeline's row were first in the page (in-page clock, from a mutation
  observer); the two above also count Playwright noticing, whose polls back off to
  500 ms apart, and the main thread getting free;
- `all_task_runs_ms`: until every task run is loaded and drawn (wall clock, from goto);
- `tab_switch_ms`: the task-run table (virtualised) rendered after a click;
- `logs_first_lines_ms` / `logs_all_loaded_ms`: the log tab opened until the first lines
  show, and until every line is streamed in;
- `log_search_ms`: typing a search over every line until the match shows;
- `js_heap_mb`: the page's used JS heap after all of it.

Needs the built UI (`make ui-build`), Playwright and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
READY = "Proctor server ready at "
# Records when the run's header and its timeline row first appear (in-page clock), for
# `header_drawn_ms` / `timeline_drawn_ms`; it stops observing once both are there.
DRAWN = """
(() => {
  const drawn = (window.__drawn = {});
  const look = () => {
    const now = performance.now();
    if (!drawn.header && document.querySelector(".page-head [data-state]")) drawn.header = now;
    if (!drawn.timeline && document.querySelector("[data-testid=gantt-row][data-slug=work]"))
      drawn.timeline = now;
    if (drawn.header && drawn.timeline) observer.disconnect();
  };
  const observer = new MutationObserver(look);
  observer.observe(document, { subtree: true, childList: true });
})();
"""


def emit(metric: str, value: float, **extra: Any) -> None:
    print(json.dumps({"benchmark": "ui", "metric": metric, "value": round(value, 1), **extra}))
    sys.stdout.flush()


def start_server(home: Path) -> tuple[subprocess.Popen[str], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "PROCTOR_HOME": str(home),
        "PROCTOR_SERVER_DATABASE_URL": f"sqlite+aiosqlite:///{home / 'proctor.db'}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "proctor", "server", "start", "--port", str(port), "--no-open"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    ready = threading.Event()
    output: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if line.startswith(READY):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(30):
        process.kill()
        raise SystemExit("the server did not start:\n" + "".join(output))
    return process, f"http://127.0.0.1:{port}"


def gql(http: httpx.Client, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = http.post("/graphql", json={"query": query, "variables": variables}).json()
    if body.get("errors"):
        raise SystemExit(f"GraphQL error: {body['errors'][0]['message']}")
    return body["data"]


def big_flow() -> Any:
    from proctor import flow, task

    @task
    def items(n: int) -> list[int]:
        return list(range(n))

    @task
    def work(item: int) -> int:
        return item

    @task
    def report(values: list[int]) -> int:
        return len(values)

    @flow
    def big(n: int = 10):
        """A wide map: one task per item."""
        report(work.map(items(n)))

    return big


def seed(http: httpx.Client, tasks: int, logs: int) -> str:
    spec = big_flow().serialize()
    flow = gql(
        http,
        "mutation($i: RegisterFlowInput!) { registerFlow(input: $i) { flow { id } } }",
        {"i": {"project": "bench", "spec": spec, "createProject": True}},
    )["registerFlow"]["flow"]
    run = gql(
        http,
        "mutation($i: CreateFlowRunInput!) { createFlowRun(input: $i) { id } }",
        {"i": {"flowId": flow["id"], "parameters": {"n": tasks}}},
    )["createFlowRun"]
    run_id = run["id"]
    start = datetime.now(UTC) - timedelta(minutes=10)

    def at(seconds: float) -> str:
        return (start + timedelta(seconds=seconds)).isoformat()

    def states(changes: list[dict[str, Any]]) -> None:
        for i in range(0, len(changes), 5000):
            gql(
                http,
                "mutation($c: [JSON!]!) { setTaskRunStates(changes: $c) { accepted } }",
                {"c": changes[i : i + 5000]},
            )

    def change(slug: str, index: int, state: str, seconds: float) -> dict[str, Any]:
        return {
            "flowRunId": run_id,
            "taskSlug": slug,
            "mapIndex": index,
            "state": {"type": state, "timestamp": at(seconds)},
        }

    gql(
        http,
        "mutation($c: [JSON!]!) { setFlowRunStates(changes: $c) { accepted } }",
        {"c": [{"flowRunId": run_id, "state": {"type": "Running", "timestamp": at(0)}}]},
    )
    states([change("n", -1, "Success", 0.1), change("items", -1, "Running", 0.2)])
    states([change("items", -1, "Success", 1)])
    states([change("work", i, "Running", 1 + i * 0.05) for i in range(tasks)])
    states(
        [change("work", i, "Success" if i % 97 else "Failed", 1.5 + i * 0.05) for i in range(tasks)]
    )
    states([change("work", -1, "Mapped", 2 + tasks * 0.05)])
    for i in range(0, logs, 10_000):
        batch = [
            {
                "flowRunId": run_id,
                "level": 40 if j % 500 == 0 else 20,
                "message": f"item {j % max(tasks, 1)}: processed record {j}",
                "taskSlug": "work",
                "mapIndex": j % max(tasks, 1),
                "timestamp": at(1 + j * 0.001),
            }
            for j in range(i, min(logs, i + 10_000))
        ]
        gql(http, "mutation($l: [JSON!]!) { writeLogs(logs: $l) { count } }", {"l": batch})
    return run_id


def measure(url: str, run_id: str, tasks: int, logs: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.set_default_timeout(120_000)
        page.add_init_script(DRAWN)
        began = time.perf_counter()
        page.goto(f"{url}/runs/{run_id}")
        page.locator(".page-head [data-state]").wait_for()
        # In-page clock: milliseconds since the navigation started.
        emit("first_render_ms", page.evaluate("performance.now()"))
        page.locator("[data-testid=gantt-row][data-slug=work]").wait_for()
        idle = "() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))"
        page.evaluate(idle)
        emit("interactive_ms", page.evaluate("performance.now()"))
        drawn = page.evaluate("window.__drawn")
        emit("header_drawn_ms", drawn["header"])
        emit("timeline_drawn_ms", drawn["timeline"])
        loaded = page.locator(".card-head .hint", has_text=re.compile(r"^[\d,]+ task runs$"))
        loaded.wait_for()
        shown = int(loaded.inner_text().split()[0].replace(",", ""))
        page.evaluate(idle)
        emit("all_task_runs_ms", (time.perf_counter() - began) * 1000, task_runs=shown)

        clicked = time.perf_counter()
        page.get_by_role("tab", name="Task runs").click()
        page.get_by_test_id("task-run-row").first.wait_for()
        emit("tab_switch_ms", (time.perf_counter() - clicked) * 1000)

        clicked = time.perf_counter()
        page.get_by_role("tab", name="Logs", exact=True).click()
        page.get_by_test_id("log-line").first.wait_for()
        emit("logs_first_lines_ms", (time.perf_counter() - clicked) * 1000)
        page.get_by_test_id("log-count").filter(
            has_text=re.compile(rf"^{logs:,} lines$")
        ).wait_for()
        emit("logs_all_loaded_ms", (time.perf_counter() - clicked) * 1000, log_lines=logs)

        clicked = time.perf_counter()
        page.get_by_test_id("log-search").fill(f"record {logs - 1}")
        page.get_by_test_id("log-line").first.wait_for()
        emit("log_search_ms", (time.perf_counter() - clicked) * 1000)

        client = page.context.new_cdp_session(page)
        client.send("HeapProfiler.collectGarbage")
        metrics = {m["name"]: m["value"] for m in client.send("Performance.getMetrics")["metrics"]}
        if not metrics:
            client.send("Performance.enable")
            metrics = {
                m["name"]: m["value"] for m in client.send("Performance.getMetrics")["metrics"]
            }
        emit("js_heap_mb", metrics.get("JSHeapUsedSize", 0) / 1e6)
        # A second visit (browser caches warm, as for someone using the UI).
        page.goto(f"{url}/runs/{run_id}")
        page.locator("[data-testid=gantt-row][data-slug=work]").wait_for()
        page.evaluate(idle)
        emit("interactive_warm_ms", page.evaluate("performance.now()"))
        emit("timeline_drawn_warm_ms", page.evaluate("window.__drawn.timeline"))

        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--logs", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        process, url = start_server(Path(home))
        try:
            with httpx.Client(base_url=url, timeout=300) as http:
                began = time.perf_counter()
                run_id = seed(http, args.tasks, args.logs)
                emit(
                    "seed_s", time.perf_counter() - began, task_runs=args.tasks, log_lines=args.logs
                )
            measure(url, run_id, args.tasks, args.logs)
        finally:
            process.terminate()
            process.wait(10)


if __name__ == "__main__":
    main()
