"""`proctor runs logs` against a real server and agent: `--follow` streams a running
flow's lines (JSON Lines) and exits 0 once it finished, with every line printed once;
runs are found by name; `--task 'enrich[1]'` and `--level` filter."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest
from tests.agent.processes import (
    FLOWS,
    AgentProcess,
    base_env,
    proctor,
    proctor_json,
)

pytestmark = pytest.mark.slow


def _read_until(stream, wanted: str, seen: list[dict]) -> None:
    for raw in stream:
        seen.append(json.loads(raw))
        if seen[-1]["message"] == wanted:
            return
    raise AssertionError(f"the output ended before {wanted!r}: {seen}")


def test_follow_streams_a_running_flow_and_exits_when_it_finishes(
    home, server, client, agents, work
):
    project = f"p-{uuid.uuid4().hex[:8]}"
    proctor_json(
        "register", str(FLOWS / "chatty.py"), "--project", project, "--label", "chat-box",
        home=home, api_url=server.url,
    )  # fmt: skip
    agents.append(
        AgentProcess(
            home, server.url, "chat-agent", labels=["chat-box"], env={"AGENT_TEST_DIR": str(work)}
        )
    )
    name = f"chatty-{uuid.uuid4().hex[:6]}"
    created = proctor_json(
        "run", "chatty", "--project", project, "--run-name", name, home=home, api_url=server.url
    )
    follower = subprocess.Popen(
        [sys.executable, "-m", "proctor", "runs", "logs", name, "--follow", "--json"],
        env=base_env(home, server.url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        seen: list[dict] = []
        _read_until(follower.stdout, "waiting for go", seen)
        # The run waits for the marker: the follower is still following it.
        assert client.get_flow_run(created["id"]).state == "Running"
        assert follower.poll() is None
        (work / "go").touch()
        rest, errors = follower.communicate(timeout=120)
    finally:
        if follower.poll() is None:
            follower.kill()
            follower.wait()
    assert follower.returncode == 0, errors
    seen.extend(json.loads(line) for line in rest.splitlines())
    messages = [line["message"] for line in seen]
    assert {f"enriching item {i}" for i in range(3)} <= set(messages)
    after_go = [m for m in messages if m.startswith("after go")]
    assert after_go == ["after go 0", "after go 1", "after go 2"]
    # Each line once, all of this run's.
    assert len({line["id"] for line in seen}) == len(seen)
    assert {line["flow_run_id"] for line in seen} == {created["id"]}
    run = client.get_flow_run(created["id"])
    assert run.state == "Success"
    everything = client.list_logs(created["id"], first=1000).items
    assert sorted(line["id"] for line in seen) == sorted(entry.id for entry in everything)

    # Filters on the finished run, found by name: one mapped child, and a level.
    child = proctor("runs", "logs", name, "--task", "enrich[1]", home=home, api_url=server.url)
    assert child.returncode == 0, child.stderr
    assert "enriching item 1" in child.stdout and "enriching item 0" not in child.stdout
    warned = proctor("runs", "logs", name, "--level", "WARNING", "--json", home=home,
                     api_url=server.url)  # fmt: skip
    assert [json.loads(line)["message"] for line in warned.stdout.splitlines()] == [
        "item 1 looks odd"
    ]
    missing = proctor("runs", "logs", "no-such-run", home=home, api_url=server.url)
    assert missing.returncode == 2 and "no flow run named 'no-such-run'" in missing.stderr
