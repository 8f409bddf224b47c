"""`proctor runs cancel` stops new task runs from starting at once, with a real agent.

The run process says when it has seen the cancellation (a log line of the run); from
then on no task run may start, whatever the executor holds already. The test compares
orders, not durations: every task run that started has a start time no later than that
line, some task runs never started, and the run ends Cancelled.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.agent.processes import AgentProcess, proctor, wait_until

from proctor.client import Client, TaskRun
from proctor.testing import ServerProcess

FLOWS = Path(__file__).parent / "flows"
SEEN = "Cancellation requested: no new task run starts"


@pytest.fixture(scope="module")
def agent_label(server: ServerProcess, server_home: Path) -> Iterator[tuple[str, str]]:
    project, label = f"cancel-{uuid.uuid4().hex[:6]}", f"cancel-{uuid.uuid4().hex[:6]}"
    registered = proctor(
        "register",
        str(FLOWS / "cancel_map.py"),
        "--project",
        project,
        "--label",
        label,
        home=server_home,
        api_url=server.url,
    )
    assert registered.returncode == 0, registered.stderr
    agent = AgentProcess(server_home, server.url, f"agent-{label}", labels=[label])
    try:
        yield project, label
    finally:
        agent.stop()


def every_task_run(client: Client, run_id: str) -> list[TaskRun]:
    found: list[TaskRun] = []
    after = None
    while True:
        page = client.list_task_runs(run_id, first=1000, after=after)
        found.extend(page.items)
        if not page.has_next_page:
            return found
        after = page.end_cursor


@pytest.mark.parametrize("flow_name", ["local_map", "thread_map", "process_map"])
def test_no_task_run_starts_after_the_cancellation_was_seen(
    server: ServerProcess,
    server_home: Path,
    agent_label: tuple[str, str],
    flow_name: str,
    tmp_path: Path,
):
    project, _ = agent_label
    trace = tmp_path / "starts.txt"
    started = proctor(
        "run",
        flow_name,
        "--project",
        project,
        "--param",
        f"trace={trace}",
        # 2,000 children of 0.05 s: a minute of work at least, so the map is still
        # running when the cancellation lands, however slow the machine.
        "--param",
        "pause=0.05",
        "--json",
        home=server_home,
        api_url=server.url,
    )
    assert started.returncode == 0, started.stderr
    run_id = json.loads(started.stdout)["id"]
    with Client(server.url) as client:
        wait_until(
            lambda: (
                (client.list_task_runs(run_id, states=["Success"], first=1).total_count or 0) >= 20
            ),
            120,
            "the map to be running",
        )
        cancelled = proctor("runs", "cancel", run_id, home=server_home, api_url=server.url)
        assert cancelled.returncode == 0, cancelled.stderr
        wait_until(lambda: client.get_flow_run(run_id).state == "Cancelled", 120, "the run to end")
        seen = [
            entry
            for entry in client.list_logs(run_id, search=SEEN, first=10).items
            if entry.message.startswith(SEEN)
        ]
        assert len(seen) == 1, [entry.message for entry in seen]
        task_runs = [run for run in every_task_run(client, run_id) if run.map_index >= 0]
    # what the tasks wrote as they started, and what the run reported
    witnessed = [line.split() for line in trace.read_text().splitlines()]
    seen_at = seen[0].timestamp.timestamp()
    assert [int(index) for index, at in witnessed if float(at) > seen_at] == []
    ran = [run for run in task_runs if run.start_time is not None]
    late = [(run.map_index, run.start_time) for run in ran if run.start_time > seen[0].timestamp]
    assert late == [], f"task runs started after the cancellation was seen at {seen[0].timestamp}"
    assert len(ran) >= 20
    # the map was stopped, not run to its end: the rest ended Cancelled without starting
    assert len(ran) < 2000 and len(witnessed) < 2000
    assert {run.state for run in task_runs if run.start_time is None} <= {"Cancelled"}
