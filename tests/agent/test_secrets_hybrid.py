"""Secrets end to end on loopback: the CLI sets one (value on stdin), a real agent starts
a run whose tasks read it with `Secret("X").get()` and as a task input, and every log
line, state message and database byte shows `****` instead of the value."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest
from tests.agent.processes import FLOWS, AgentProcess, base_env, proctor, proctor_json, wait_until

from proctor.client import Client

pytestmark = pytest.mark.slow

VALUE = f"hybrid-{uuid.uuid4().hex}"


def cli(home, server, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "proctor", *args],
        env=base_env(home, server.url),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_run_reads_its_secret_and_every_trace_is_masked(home, server, client: Client, agents):
    done = cli(home, server, "secrets", "set", "HYBRID_TOKEN", "--json", stdin=VALUE + "\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["name"] == "HYBRID_TOKEN" and VALUE not in done.stdout
    listed = proctor_json("secrets", "ls", home=home, api_url=server.url)
    assert [s["name"] for s in listed] == ["HYBRID_TOKEN"] and VALUE not in json.dumps(listed)

    project = f"p-{uuid.uuid4().hex[:8]}"
    proctor_json(
        "register", str(FLOWS / "secretive.py"), "--project", project, "--label", "secret-box",
        home=home, api_url=server.url,
    )  # fmt: skip
    agents.append(AgentProcess(home, server.url, "secret-agent", labels=["secret-box"]))
    created = proctor_json("run", "secretive", "--project", project, home=home, api_url=server.url)
    run = wait_until(
        lambda: (r := client.get_flow_run(created["id"])).state in {"Success", "Failed"} and r,
        90,
        "the secretive run to finish",
    )
    assert run.state == "Failed"  # `explode` raised, quoting the value

    lines = [entry.message for entry in client.list_logs(run.id, first=1000).items]
    assert VALUE not in "\n".join(lines)
    assert any("printed ****" in line for line in lines), lines
    assert any("logged ****" in line for line in lines), lines
    assert any("task form got ****" in line for line in lines), lines
    task_runs = {t.task_slug: t for t in client.list_task_runs(run.id, first=100).items}
    assert task_runs["reveal"].state == "Success" and task_runs["use"].state == "Success"
    assert task_runs["secret:HYBRID_TOKEN"].state == "Success"
    assert "refused with ****" in (task_runs["explode"].state_message or "")
    messages = [s.message or "" for s in client.get_flow_run(run.id).states]
    for task_run in task_runs.values():
        messages.append(task_run.state_message or "")
    assert VALUE not in "\n".join(messages)
    assert VALUE not in agents[0].output()

    audit = client.query(
        '{ auditEvents(action: "secretValue") { nodes { objectId success details } } }'
    )["auditEvents"]["nodes"]
    assert audit and all(e["objectId"] == "HYBRID_TOKEN" and e["success"] for e in audit)
    assert {e["details"]["flow_run_id"] for e in audit} == {run.id}

    # Not in clear anywhere in the server's database files.
    stored = b"".join(p.read_bytes() for p in home.glob("proctor.db*") if p.is_file())
    assert b"HYBRID_TOKEN" in stored and VALUE.encode() not in stored

    removed = proctor("secrets", "rm", "HYBRID_TOKEN", home=home, api_url=server.url)
    assert removed.returncode == 0, removed.stderr
    again = proctor("secrets", "rm", "HYBRID_TOKEN", home=home, api_url=server.url)
    assert again.returncode == 2 and "no secret" in again.stderr


def test_cli_secrets_errors_say_what_to_do(home, server, tmp_path):
    empty = cli(home, server, "secrets", "set", "EMPTY", stdin="")
    assert empty.returncode == 2 and "empty" in empty.stderr
    bad = cli(home, server, "secrets", "set", "no-dash", stdin="x")
    assert bad.returncode == 2 and "Invalid secret name" in bad.stderr
    value_file = tmp_path / "value.txt"
    value_file.write_text("from-a-file-value\n")
    made = cli(home, server, "secrets", "set", "FROM_FILE", "--value-file", str(value_file))
    assert made.returncode == 0, made.stderr
    missing = cli(home, server, "secrets", "set", "X", "--value-file", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    assert cli(home, server, "secrets", "rm", "FROM_FILE").returncode == 0


def test_rotating_the_key_under_a_running_server_keeps_values_readable(
    home, server, client: Client
):
    assert (
        cli(home, server, "secrets", "set", "ROTATED", stdin="rotated-value-1234").returncode == 0
    )
    key_file = home / "secrets.key"
    before = json.loads(key_file.read_text())
    rotated = cli(home, server, "server", "secrets", "rotate-key", "--json")
    assert rotated.returncode == 0, rotated.stderr
    report = json.loads(rotated.stdout)
    assert report["resealed"] >= 1 and report["retired"] == [before["current"]]
    assert list(json.loads(key_file.read_text())["keys"]) == [report["new_key_id"]]
    assert (key_file.stat().st_mode & 0o777) == 0o600

    # The running server picked up the new key file: a live run still reads the value.
    project = f"p-{uuid.uuid4().hex[:8]}"
    proctor_json(
        "register", str(FLOWS / "simple.py"), "--project", project, "--label", "nobody-runs-this",
        home=home, api_url=server.url,
    )  # fmt: skip
    flow = client.list_flows(project=project).items[0]
    run = client.create_flow_run(flow.id, labels=["nobody-runs-this"])
    agent = client.register_agent("hand-claimer", ["nobody-runs-this"])
    [claimed] = client.claim_flow_runs(agent.id, ["nobody-runs-this"])
    assert claimed.id == run.id
    assert client.secret_value("ROTATED", run.id) == "rotated-value-1234"
    # A value set after the rotation is sealed with the new key, and reads back too.
    client.set_secret("ROTATED", "after-rotation-5678")
    assert client.secret_value("ROTATED", run.id) == "after-rotation-5678"
