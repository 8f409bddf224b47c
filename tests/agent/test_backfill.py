"""A backfill run by a real agent through the CLI: every scheduled time of the range
gets one successful run, never more than --max-concurrent of them Running at once (read
from the runs' state histories, not from wall time), with progress printed as it goes;
and a backfill cancelled from the CLI cancels its unfinished runs."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from tests.agent.processes import FLOWS, AgentProcess, proctor, proctor_json, wait_until

pytestmark = pytest.mark.slow

START = datetime(2025, 1, 1, tzinfo=UTC)
RUNS = """query($id: ID!) { backfill(id: $id) { runs(first: 100) {
  id scheduledStartTime state states { state timestamp } } } }"""
FINISHED = {"Success", "Failed", "Cancelled"}


def _most_running_at_once(runs: list[dict]) -> int:
    """The largest number of runs between their Running and their next state at one
    moment, from the state histories' timestamps."""
    edges = []
    for run in runs:
        history = run["states"]
        for state, following in itertools.pairwise(history):
            if state["state"] == "Running":
                edges.append((datetime.fromisoformat(state["timestamp"]), 1))
                edges.append((datetime.fromisoformat(following["timestamp"]), -1))
    most = now = 0
    for _, step in sorted(edges, key=lambda edge: (edge[0], edge[1])):  # ends first
        now += step
        most = max(most, now)
    return most


def test_a_backfill_runs_every_time_with_at_most_n_running(home, server, client, agents):
    project = f"p-{uuid.uuid4().hex[:8]}"
    proctor_json("register", str(FLOWS / "hourly_nap.py"), "--project", project,
                 "--label", "nap-box", home=home, api_url=server.url)  # fmt: skip
    # The schedule is on from registration; turn it off so only the backfill makes runs.
    proctor_json("schedules", "off", "hourly_nap", "--project", project,
                 home=home, api_url=server.url)  # fmt: skip
    agents.append(AgentProcess(home, server.url, "nap-agent", labels=["nap-box"], max_runs=8))
    window = ["--start", START.isoformat(), "--end", (START + timedelta(hours=9)).isoformat()]

    dry = proctor_json("backfill", "hourly_nap", "--project", project, *window, "--dry-run",
                       home=home, api_url=server.url)  # fmt: skip
    assert (dry["times"], dry["existing"], dry["new"]) == (9, 0, 9)

    done = proctor("backfill", "hourly_nap", "--project", project, *window,
                   "--max-concurrent", "3", home=home, api_url=server.url, timeout=400)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Backfill ") and "9 runs" in lines[0] and "at most 3" in lines[0]
    assert "Completed, 9/9 finished (9 Success)" in lines[-1]
    backfill_id = lines[0].split()[1]

    runs = client.query(RUNS, {"id": backfill_id})["backfill"]["runs"]
    assert [r["scheduledStartTime"] for r in runs] == [
        (START + timedelta(hours=h)).isoformat() for h in range(9)
    ]
    assert {r["state"] for r in runs} == {"Success"}
    assert 1 <= _most_running_at_once(runs) <= 3

    # Again over a wider range: the 9 times that ran are skipped, not run twice.
    wider = ["--start", START.isoformat(), "--end", (START + timedelta(hours=11)).isoformat()]
    again = proctor_json("backfill", "hourly_nap", "--project", project, *wider, "--dry-run",
                         home=home, api_url=server.url)  # fmt: skip
    assert (again["times"], again["existing"], again["new"]) == (11, 9, 2)


def test_a_backfill_cancelled_from_the_cli_cancels_its_runs(home, server, client, agents):
    project = f"p-{uuid.uuid4().hex[:8]}"
    where = {"home": home, "api_url": server.url}
    flow = ["hourly_nap", "--project", project]
    proctor_json("register", str(FLOWS / "hourly_nap.py"), "--project", project,
                 "--label", "slow-box", **where)  # fmt: skip
    # Edited from the CLI: the same hourly clock, but its runs nap for a minute.
    every_hour = ["--interval", "3600", "--start", START.isoformat()]
    added = proctor_json("schedules", "add", *flow, *every_hour, "--param", "seconds=60", **where)
    assert added["overridden"] and len(added["clocks"]) == 2
    edited = proctor_json("schedules", "rm", *flow, "0", **where)
    assert [c["parameterDefaults"] for c in edited["clocks"]] == [{"seconds": 60}]
    proctor_json("schedules", "off", *flow, **where)

    window = ["--start", START.isoformat(), "--end", (START + timedelta(days=1)).isoformat()]
    made = proctor_json("backfill", *flow, *window, "--max-concurrent", "2", "--detach",
                        **where)  # fmt: skip
    assert (made["total"], made["createdRuns"], made["state"]) == (24, 2, "Running")
    agents.append(AgentProcess(home, server.url, "slow-agent", labels=["slow-box"]))

    def runs() -> list[dict]:
        found: list[dict] = client.query(RUNS, {"id": made["id"]})["backfill"]["runs"]
        return found

    wait_until(
        lambda: [r for r in runs() if r["state"] == "Running"], 120, "a backfill run to start"
    )
    cancelled = proctor_json("backfill", *flow, "--cancel", made["id"], **where)
    assert cancelled["state"] == "Cancelled"
    final = wait_until(
        lambda: (found := runs()) and {r["state"] for r in found} <= FINISHED and found,
        120,
        "the backfill's runs to end",
    )
    # Cancelled while napping (none could finish its minute), and nothing made after.
    assert [r["state"] for r in final] == ["Cancelled", "Cancelled"]
    again = proctor_json("backfill", *flow, "--cancel", made["id"], **where)
    assert (again["state"], again["createdRuns"]) == ("Cancelled", 2)
