"""Concurrency limits end to end: a real server, real agents, real run processes.

- 20 runs with a label limited to 3, two agents: never more than 3 in flight (sampled
  through the API all along, and from the runs' own records), all finish; the limit
  starts at 1 and is raised with `proctor limits set` mid-way, which takes effect.
- mapped task runs tagged "db" on a ThreadExecutor, limit 2, in three runs at once:
  never more than 2 bodies at once across the processes; Queued states on the server.
- kill -9 of a run process holding a slot: the zombie killer frees it, and a task run
  that was Queued behind it gets it and finishes.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from pathlib import Path

import pytest
from tests.agent.processes import AgentProcess, proctor, proctor_json, wait_until
from tests.server.concurrency.conftest import FLOWS

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]  # deadlines below: hangs only

IN_FLIGHT = ["Submitted", "Running", "Cancelling"]
TASK_RUNS = """query ($id: ID!) { taskRuns(flowRunId: $id, first: 1000) {
  nodes { taskSlug mapIndex state stateType stateMessage states { state } } } }"""


def intervals(work: Path, kind: str) -> list[tuple[float, float]]:
    path = work / "intervals.log"
    lines = path.read_text().splitlines() if path.exists() else []
    return [
        (float(start), float(end))
        for found, _pid, start, end in (line.split() for line in lines)
        if found == kind
    ]


def most_at_once(spans: list[tuple[float, float]]) -> int:
    events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    now = peak = 0
    for _, step in events:  # an end at the same instant as a start comes first (-1 < 1)
        now += step
        peak = max(peak, now)
    return peak


def register(home, server, flow_file: str, project: str, *labels: str) -> str:
    args = ["register", str(FLOWS / flow_file), "--project", project]
    for label in labels:
        args += ["--label", label]
    [registered] = proctor_json(*args, home=home, api_url=server.url)
    return str(registered["flow"]["id"])


def limits_cli(home, server, *args: str):
    done = proctor("limits", *args, home=home, api_url=server.url)
    assert done.returncode == 0, done.stderr
    return done


def test_a_label_limit_holds_20_runs_on_two_agents_to_3_at_once(home, server, client, agents, work):
    label = f"lim-{uuid.uuid4().hex[:6]}"
    flow_id = register(home, server, "labelled.py", f"labels-{label}", label)
    limits_cli(home, server, "set", label, "1", "--kind", "flow")
    runs = [client.create_flow_run(flow_id, parameters={"pause": 0.6}).id for _ in range(20)]
    for number in range(2):
        agents.append(
            AgentProcess(home, server.url, f"{label}-{number}", labels=[label], max_runs=4,
                         env={"AGENT_TEST_DIR": str(work)})
        )  # fmt: skip
    samples: list[int] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            page = client.list_flow_runs(flow_id=flow_id, states=IN_FLIGHT, first=1)
            samples.append(page.total_count or 0)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        wait_until(lambda: len(intervals(work, "run")) >= 3, 300, "three runs at limit 1")
        while_one = list(samples)
        assert max(while_one) == 1
        # Raised mid-way: it takes effect at the next claims.
        done = limits_cli(home, server, "set", label, "3", "--kind", "flow", "--json")
        assert '"limit": 3' in done.stdout

        def finished() -> bool:
            page = client.list_flow_runs(flow_id=flow_id, states=["Success"], first=1)
            return page.total_count == 20

        wait_until(finished, 600, "all 20 runs to succeed", interval=0.3)
    finally:
        stop.set()
        sampler.join(10)
    assert len(samples) > 100
    assert max(samples) <= 3
    assert max(samples[len(while_one) :]) == 3  # the raised limit was used
    # The runs' own records agree: never more than 3 bodies at once, and all 20 ran.
    spans = intervals(work, "run")
    assert len(spans) == 20 and most_at_once(spans) <= 3
    assert {client.get_flow_run(run).state for run in runs} == {"Success"}
    # Both agents took runs; every slot was given back.
    agent_ids = {client.get_flow_run(run).agent_id for run in runs}
    assert len(agent_ids) == 2
    [usage] = [u for u in client.list_concurrency_limits("flow_label") if u.key == label]
    assert usage.in_use == 0 and usage.holders == []


def test_tagged_task_runs_on_thread_executors_never_exceed_the_tag_limit(
    home, server, client, agents, work
):
    tag_label = f"db-{uuid.uuid4().hex[:6]}"
    flow_id = register(home, server, "tagged.py", f"tags-{tag_label}", tag_label)
    client.set_concurrency_limit("task_tag", "db", 2)
    try:
        agents.append(
            AgentProcess(home, server.url, tag_label, labels=[tag_label], max_runs=3,
                         env={"AGENT_TEST_DIR": str(work)})
        )  # fmt: skip
        runs = [
            client.create_flow_run(flow_id, parameters={"n": 6, "pause": 0.3}).id for _ in range(3)
        ]

        def all_finished() -> bool:
            return all(client.get_flow_run(run).state in {"Success", "Failed"} for run in runs)

        try:
            wait_until(all_finished, 600, "the three runs to finish", interval=0.3)
        except AssertionError:
            states = [
                (run, client.get_flow_run(run).state, client.get_flow_run(run).state_message)
                for run in runs
            ]
            raise AssertionError(f"{states}\n{agents[-1].output()[-3000:]}") from None
        assert {client.get_flow_run(run).state for run in runs} == {"Success"}
        spans = intervals(work, "db")
        assert len(spans) == 18
        assert most_at_once(spans) == 2
        # Held-back task runs were Queued on the server, with why.
        queued = []
        for run in runs:
            nodes = client.query(TASK_RUNS, {"id": run})["taskRuns"]["nodes"]
            children = [n for n in nodes if n["taskSlug"] == "query" and n["mapIndex"] >= 0]
            assert {n["state"] for n in children} == {"Success"}
            # Each took its slot with the Submitted state its run process sent with the
            # tags (a thread executor reports no Submitted of its own).
            assert all("Submitted" in {s["state"] for s in n["states"]} for n in children)
            queued += [n for n in children if "Queued" in {s["state"] for s in n["states"]}]
        assert queued, "with 6 threads per run and a limit of 2, some task runs waited"
        [usage] = [u for u in client.list_concurrency_limits("task_tag") if u.key == "db"]
        assert usage.in_use == 0
    finally:
        client.delete_concurrency_limit("task_tag", "db")


def test_kill_9_of_a_run_holding_a_slot_frees_it(home, server, client, agents, work):
    label = f"kill-{uuid.uuid4().hex[:6]}"
    flow_id = register(home, server, "holder.py", f"kill-{label}")
    client.set_concurrency_limit("task_tag", "lock", 1)
    try:
        # One agent per run, so the holder's process is the only one of its agent.
        doomed = AgentProcess(home, server.url, f"{label}-a", labels=[f"{label}-a"])
        agents.append(doomed)
        holding = client.create_flow_run(
            flow_id, parameters={"seconds": 120}, labels=[f"{label}-a"]
        ).id

        def holder_of_lock():
            [usage] = [u for u in client.list_concurrency_limits("task_tag") if u.key == "lock"]
            return usage.holders[0] if usage.in_use == 1 else None

        holder = wait_until(holder_of_lock, 60, "the first run to hold the slot")
        assert holder.flow_run_id == holding and holder.task_slug == "hold"
        agents.append(AgentProcess(home, server.url, f"{label}-b", labels=[f"{label}-b"]))
        waiting = client.create_flow_run(
            flow_id, parameters={"seconds": 0.2}, labels=[f"{label}-b"]
        ).id

        def queued_on_server():
            nodes = client.query(TASK_RUNS, {"id": waiting})["taskRuns"]["nodes"]
            return [n for n in nodes if n["state"] == "Queued"]

        [queued] = wait_until(queued_on_server, 60, "the second run's task run to be Queued")
        assert queued["stateType"] == "Pending"
        assert "lock (1 of 1 in use)" in queued["stateMessage"]
        time.sleep(1.5)  # it keeps waiting while the slot is held
        assert client.get_flow_run(waiting).state == "Running"
        # kill -9 the process of the run holding the slot.
        [victim] = doomed.run_processes()
        os.kill(victim, signal.SIGKILL)
        # The zombie killer fails its task run, freeing the slot; the waiting run gets it.
        wait_until(lambda: client.get_flow_run(waiting).state == "Success", 90, "the waiting run")
        dead = client.query(TASK_RUNS, {"id": holding})["taskRuns"]["nodes"]
        [hold] = [n for n in dead if n["taskSlug"] == "hold"]
        assert hold["state"] == "Failed" and "stopped heartbeating" in hold["stateMessage"]
        [usage] = [u for u in client.list_concurrency_limits("task_tag") if u.key == "lock"]
        assert usage.in_use == 0
        # Lazarus (no re-queues on this server) ends the dead run for good.
        wait_until(
            lambda: client.get_flow_run(holding).state == "Failed", 60, "the dead run to fail"
        )
    finally:
        client.delete_concurrency_limit("task_tag", "lock")


def test_the_limits_commands(home, server):
    tag = f"cli-{uuid.uuid4().hex[:6]}"
    done = limits_cli(home, server, "set", tag, "4")
    assert f"At most 4 task runs tagged {tag!r}" in done.stdout
    listed = proctor_json("limits", "ls", "--kind", "task", home=home, api_url=server.url)
    [mine] = [item for item in listed if item["key"] == tag]
    assert (mine["kind"], mine["limit"], mine["in_use"]) == ("task_tag", 4, 0)
    table = limits_cli(home, server, "ls").stdout
    assert tag in table and "task" in table
    # Mistakes: a clear message, exit code 2, nothing changed.
    too_many = proctor("limits", "set", tag, "1000000", home=home, api_url=server.url)
    assert too_many.returncode == 2 and "limit must be a whole number" in too_many.stderr
    wrong_kind = proctor("limits", "rm", tag, "--kind", "flow", home=home, api_url=server.url)
    assert wrong_kind.returncode == 2 and "--kind task" in wrong_kind.stderr
    listed = proctor_json("limits", "ls", home=home, api_url=server.url)
    assert [item["limit"] for item in listed if item["key"] == tag] == [4]
    removed = limits_cli(home, server, "rm", tag)
    assert f"Removed the task limit on {tag!r}" in removed.stdout
    again = proctor("limits", "rm", tag, "--json", home=home, api_url=server.url)
    assert again.returncode == 2 and '"removed": false' in again.stdout
