"""`proctor run --watch` on a real server with a real agent: true counts, and on failure the
failed task runs with their errors and the run's last log lines."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from tests.agent.processes import AgentProcess, proctor

from proctor.cli.failure_cause import _from_task_runs, failure_causes
from proctor.client import Client
from proctor.testing import ServerProcess

FLOWS = Path(__file__).parent / "flows"


def test_watch_counts_every_child_and_shows_why_a_map_failed(
    server: ServerProcess, server_home: Path
):
    project, label = f"watch-{uuid.uuid4().hex[:6]}", f"cli-{uuid.uuid4().hex[:6]}"
    registered = proctor(
        "register",
        str(FLOWS / "enrich_map.py"),
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
        watched = proctor(
            "run",
            f"{project}/enrichment",
            "-p",
            "n=200",
            "-p",
            "bad=137",
            "-p",
            "pause=0.02",
            "--watch",
            home=server_home,
            api_url=server.url,
            timeout=180,
        )
    finally:
        agent.stop()
    err = watched.stderr
    assert watched.returncode == 1, err
    assert "enrich mapped into 200 task runs" in err, err
    assert "mapped into 58" not in err
    # the map itself ends marked as failed, with its true numbers
    finished = [line for line in err.splitlines() if line.startswith(("✔ enrich ", "✘ enrich "))]
    assert finished and finished[-1].startswith("✘ enrich Mapped"), err
    assert "200 mapped task runs, 1 failed" in finished[-1]
    # the ending: which task run failed, its error, and the last log lines
    assert "Failed task runs" in err
    assert "enrich[137]" in err and "record 137 cannot be enriched" in err
    assert "Last log lines" in err
    assert "record 137 has no customer id" in err
    # 6. the run's failure names the cause (enrich[137]), not the victim (store)
    ending = [line for line in err.splitlines() if line.startswith("✘ Flow run")]
    assert len(ending) == 1, err
    assert ending[0].endswith(": enrich[137]: ValueError: record 137 cannot be enriched"), err
    run_id = re.search(r"Watching flow run \S+ \(([0-9a-f-]{36})\)", err).group(1)  # type: ignore[union-attr]
    shown = proctor("runs", "show", run_id, home=server_home, api_url=server.url)
    assert shown.returncode == 0, shown.stderr
    cause_rows = [line for line in shown.stdout.splitlines() if line.startswith("failed at")]
    assert cause_rows == ["failed at   enrich[137]: ValueError: record 137 cannot be enriched"], (
        shown.stdout
    )
    data = json.loads(
        proctor("runs", "show", run_id, "--json", home=server_home, api_url=server.url).stdout
    )
    assert data["failure"]["total"] == 1
    assert data["failure"]["causes"] == [
        {
            "task_run": "enrich[137]",
            "state": "Failed",
            "message": "ValueError: record 137 cannot be enriched",
        }
    ]
    # a server without failureSummary: the same cause, worked out from the task runs
    with Client(server.url) as client:
        assert _from_task_runs(client, run_id) == failure_causes(client, run_id)
