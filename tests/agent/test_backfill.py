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


def test_schedule_commands_print_for_people_and_refuse_clearly(home, server):
    project = f"p-{uuid.uuid4().hex[:8]}"
    where = {"home": home, "api_url": server.url}
    flow = ["hourly_nap", "--project", project]
    proctor_json("register", str(FLOWS / "hourly_nap.py"), "--project", project, **where)

    shown = proctor("schedules", "ls", *flow, "--next", "3", **where)
    assert shown.returncode == 0, shown.stderr
    assert f"Schedule of {project}/hourly_nap: on, from code." in shown.stdout
    assert "every 3600 s" in shown.stdout and shown.stdout.count(", ") >= 2  # 3 next times

    preview = proctor("schedules", "preview", *flow, "--cron", "0 9 * * *", "--tz",
                      "Europe/Berlin", **where)  # fmt: skip
    assert preview.returncode == 0, preview.stderr
    lines = preview.stdout.splitlines()
    assert len(lines) == 10 and all("T08:00:00" in line or "T07:00:00" in line for line in lines)

    bad = proctor("schedules", "add", *flow, "--cron", "0 9 * * *", "--tz", "Mars/Olympus", **where)
    assert bad.returncode == 2 and "Mars/Olympus" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
    two = proctor("schedules", "add", *flow, "--cron", "0 9 * * *", "--interval", "60", **where)
    assert two.returncode == 2 and "exactly one of" in two.stderr
    no_range = proctor("backfill", *flow, **where)
    assert no_range.returncode == 2 and "--start and --end" in no_range.stderr

    added = proctor("schedules", "add", *flow, "--cron", "30 6 * * *", **where)
    assert added.returncode == 0 and "overrides the schedule in code" in added.stdout
    reset = proctor("schedules", "reset", *flow, **where)
    assert reset.returncode == 0 and "from code" in reset.stdout


def test_a_clock_edit_on_a_stale_version_is_refused_from_the_cli(home, server):
    """`schedules ls` shows the version; an edit given an older one (someone else edited
    in between) is refused with a one-line "reload" message and changes nothing."""
    project = f"p-{uuid.uuid4().hex[:8]}"
    where = {"home": home, "api_url": server.url}
    flow = ["hourly_nap", "--project", project]
    proctor_json("register", str(FLOWS / "hourly_nap.py"), "--project", project, **where)
    seen = proctor_json("schedules", "ls", *flow, **where)["version"]
    shown = proctor("schedules", "ls", *flow, **where)
    assert f"Version {seen} (edit with --if-version {seen})." in shown.stdout

    # Someone else adds a clock; then our removal of "clock 0" as we saw it is refused.
    other = proctor_json("schedules", "add", *flow, "--cron", "0 9 * * *", **where)
    assert [c["kind"] for c in other["clocks"]] == ["interval", "cron"]
    stale = proctor("schedules", "rm", *flow, "0", "--if-version", seen, **where)
    assert stale.returncode == 2, stale.stdout + stale.stderr
    assert "changed since you read it" in stale.stderr and "reload" in stale.stderr
    assert len(stale.stderr.strip().splitlines()) == 1 and "Traceback" not in stale.stderr
    kept = proctor_json("schedules", "ls", *flow, **where)
    assert [c["kind"] for c in kept["clocks"]] == ["interval", "cron"]

    # With the version read now, it applies.
    done = proctor_json("schedules", "rm", *flow, "0", "--if-version", kept["version"], **where)
    assert [c["kind"] for c in done["clocks"]] == ["cron"] and done["version"] != kept["version"]
