"""`proctor register` refuses a flow whose schedule has a clock that can never fire: one
line naming the clock, exit 2, and nothing reaches the server (a real server process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from proctor.client import Client
from proctor.testing import ServerProcess

FLOW_FILE = """
from proctor import Flow, task
from proctor.schedules import IntervalClock, RRuleClock, Schedule

@task
def work():
    return 1

schedule = Schedule([IntervalClock(3600), RRuleClock("RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")])
with Flow("leap-dreams", schedule=schedule) as flow:
    work()
"""


def test_register_refuses_a_clock_for_30_february(
    server: ServerProcess, server_home: Path, tmp_path: Path
):
    path = tmp_path / "never.py"
    path.write_text(FLOW_FILE)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PROCTOR_")}
    env.update({"PROCTOR_HOME": str(server_home), "PROCTOR_API_URL": server.url})
    result = subprocess.run(
        [sys.executable, "-m", "proctor", "register", str(path), "--project", "limits"],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "'leap-dreams'" in result.stderr and "clocks[1]" in result.stderr
    assert "never fire" in result.stderr
    with Client(server.url) as client:
        assert [p.name for p in client.list_projects() if p.name == "limits"] == []
        assert client.list_flows(name="leap-dreams", include_archived=True).items == []
