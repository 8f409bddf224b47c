"""DaskExecutor(address=...) with everything real: a server, an agent, its run process, and
a Dask cluster started separately (`dask scheduler` + two `dask worker` processes).

A worker killed with SIGKILL in the middle of a map: Dask runs its chunk again on the
other worker, and the server still records every task run once, with one log line each.
Lines logged on workers reach the run's logs, secrets read there masked.
"""

from __future__ import annotations

import os
import signal
import uuid
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.agent.processes import FLOWS, AgentProcess, proctor_json, wait_until

from proctor.client import Client
from proctor.testing import DaskCluster

pytestmark = pytest.mark.slow

TOKEN = f"worker-token-{uuid.uuid4().hex}"
FINISHED = {"Success", "Failed", "Cancelled"}

TASK_RUNS = """
query ($id: ID!, $slug: String!) {
  taskRuns(flowRunId: $id, taskSlug: $slug, first: 1000) {
    nodes { mapIndex state runCount states { state } }
  }
}
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskCluster]:
    # Only the workers have the secret: on a worker, `Secret.get()` reads local secrets.
    env = {"PROCTOR_SECRETS_DASK_WORKER_TOKEN": TOKEN}
    running = DaskCluster(2, home=tmp_path_factory.mktemp("dask"), env=env)
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def address(cluster: DaskCluster) -> str:
    """The cluster's address, with two live workers (a test may have killed one)."""
    for _ in range(2 - len(cluster.live_workers())):
        cluster.add_worker(wait=False)
    cluster.wait_for_workers(2)
    return cluster.address


def start_run(
    home: Path, server: Any, agents: list[AgentProcess], address: str, flow: str, *params: str
) -> str:
    """Register the flows, start an agent whose runs see the cluster, start `flow`."""
    project = f"p-{uuid.uuid4().hex[:8]}"
    label = f"dask-{uuid.uuid4().hex[:6]}"
    proctor_json(
        "register", str(FLOWS / "dask_cluster.py"), "--project", project, "--label", label,
        home=home, api_url=server.url,
    )  # fmt: skip
    env = {"DASK_TEST_ADDRESS": address}
    agents.append(AgentProcess(home, server.url, label, labels=[label], env=env))
    arguments = [arg for param in params for arg in ("--param", param)]
    created = proctor_json("run", flow, "--project", project, *arguments,
                           home=home, api_url=server.url)  # fmt: skip
    run_id: str = created["id"]
    return run_id


def finished(client: Client, run_id: str) -> Any:
    return wait_until(
        lambda: (run := client.get_flow_run(run_id)).state in FINISHED and run,
        240,
        f"flow run {run_id} to finish",
    )


def all_logs(client: Client, run_id: str, task_slug: str) -> list[Any]:
    entries: list[Any] = []
    after = None
    while True:
        page = client.list_logs(run_id, task_slug=task_slug, first=500, after=after)
        entries.extend(page.items)
        if not page.has_next_page:
            return entries
        after = page.end_cursor


def test_a_worker_killed_mid_map_reruns_its_chunk_and_each_task_run_is_recorded_once(
    home, server, client: Client, agents, work: Path, cluster: DaskCluster, address: str
) -> None:
    count = 400
    gate = work / "gate"
    (gate / "started").mkdir(parents=True)
    pids = set(cluster.worker_pids().values())
    assert len(pids) == 2
    run_id = start_run(home, server, agents, address, "gated-map", f"n={count}", f"gate={gate}")

    def starts() -> list[tuple[int, int]]:
        found = [name.split("-") for name in os.listdir(gate / "started")]
        return sorted((int(index), int(pid)) for index, pid, _ in found)

    def both_busy() -> list[tuple[int, int]]:
        started = starts()
        return started if len({pid for _, pid in started}) == 2 else []

    # Each single-threaded worker is held at the gate in the first task run of a chunk.
    waiting = wait_until(both_busy, 180, "both workers to be busy")
    assert {pid for _, pid in waiting} == pids and len(waiting) == 2
    [(lost_index, victim)] = waiting[:1]
    os.kill(victim, signal.SIGKILL)
    cluster.wait_for_workers(1)
    (gate / "open").touch()

    run = finished(client, run_id)
    assert run.state == "Success", run.state_message

    # The victim started one task run, which ran again on the survivor with the rest.
    [survivor] = pids - {victim}
    ran: dict[int, list[int]] = defaultdict(list)
    for index, pid in starts():
        ran[index].append(pid)
    assert sorted(ran) == list(range(count))
    assert sorted(ran.pop(lost_index)) == sorted([victim, survivor])
    assert {tuple(pids_of) for pids_of in ran.values()} == {(survivor,)}

    # On the server: each child once, one attempt, the same history as its siblings.
    nodes = client.query(TASK_RUNS, {"id": run_id, "slug": "gated_square"})["taskRuns"]["nodes"]
    children = {node["mapIndex"]: node for node in nodes if node["mapIndex"] >= 0}
    assert sorted(children) == list(range(count))
    assert {child["state"] for child in children.values()} == {"Success"}
    assert {child["runCount"] for child in children.values()} == {1}
    histories = {tuple(s["state"] for s in child["states"]) for child in children.values()}
    assert len(histories) == 1, histories
    [history] = histories
    assert history.count("Success") == 1

    # One line per child (the victim's line was lost with it; its rerun sent one).
    lines = all_logs(client, run_id, "gated_square")
    said = sorted((entry.map_index, entry.message) for entry in lines)
    assert said == [(x, f"square of {x}") for x in range(count)]
    [summed] = [entry.message for entry in all_logs(client, run_id, "total")]
    assert summed == f"total is {sum(x * x for x in range(count))}"


def test_worker_lines_reach_the_run_logs_with_the_secret_masked(
    home, server, client: Client, agents, address: str
) -> None:
    run_id = start_run(home, server, agents, address, "worker-secret")
    run = finished(client, run_id)
    assert run.state == "Failed"

    lines = [entry.message for entry in all_logs(client, run_id, "leaky")]
    assert "the worker read ****" in lines
    assert any(
        line.startswith("Task leaky failed: RuntimeError: refused with ****") for line in lines
    )
    [leaky] = [t for t in client.list_task_runs(run_id, first=100).items if t.task_slug == "leaky"]
    assert leaky.state == "Failed"
    assert "refused with ****" in (leaky.state_message or "")
    assert all(TOKEN not in line for line in lines)
    assert TOKEN not in (leaky.state_message or "")
    assert TOKEN not in agents[0].output()
    stored = b"".join(p.read_bytes() for p in home.glob("proctor.db*") if p.is_file())
    assert b"refused with ****" in stored and TOKEN.encode() not in stored
