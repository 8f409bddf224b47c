"""Kill -9 of the server in the middle of a stream of batched writes, then restart.

Every state the API acknowledged must be in the database after the restart, and every
run's current state must equal the last row of its history (state and history are written
in one transaction, so a crash can lose only what was never acknowledged).
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from proctor.client import (
    NO_RETRY,
    Client,
    FlowRunStateChange,
    ProctorClientError,
    TaskRunStateChange,
)
from proctor.testing import ServerProcess

WRITERS = 3
RUNS_PER_WRITER = 4
CHILDREN_PER_ROUND = 25


class Writer(threading.Thread):
    """Streams batches for its own runs until the server dies; records what was acked."""

    def __init__(self, url: str, runs: dict[str, int]) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.versions = dict(runs)  # flow run id -> last acknowledged version
        self.flow_acks: list[tuple[str, int, str]] = []  # (run, version, state)
        self.task_acks: dict[tuple[str, int], tuple[str, int, str]] = {}  # (run, index)
        self.rounds = 0
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            with Client(self.url, retry=NO_RETRY, timeout=10) as client:
                while True:
                    self.one_round(client)
                    self.rounds += 1
        except ProctorClientError as error:
            self.error = error

    def one_round(self, client: Client) -> None:
        target = "Paused" if self.rounds % 2 else "Running"
        changes = [
            FlowRunStateChange(
                flow_run_id=run,
                state={"type": target, "timestamp": datetime.now(UTC).isoformat()},
                version=version,
            )
            for run, version in self.versions.items()
        ]
        for change, result in zip(changes, client.set_flow_run_states(changes), strict=True):
            assert result.accepted, result
            self.versions[change.flow_run_id] = result.version
            self.flow_acks.append((change.flow_run_id, result.version, target))
        task_changes = [
            TaskRunStateChange(
                flow_run_id=run,
                task_slug="double",
                map_index=self.rounds * CHILDREN_PER_ROUND + k,
                state={"type": "Success"},
            )
            for run in self.versions
            for k in range(CHILDREN_PER_ROUND)
        ]
        results = client.set_task_run_states(task_changes)
        for change, result in zip(task_changes, results, strict=True):
            assert result.accepted, result
            key = (change.flow_run_id, change.map_index)
            self.task_acks[key] = (str(result.id), result.version, result.state or "")


def test_kill_9_loses_no_acknowledged_state(tmp_path, flow_spec_dict):
    home = tmp_path / "home"
    server = ServerProcess(f"sqlite+aiosqlite:///{tmp_path / 'crash.db'}", home)
    server.start()
    try:
        with Client(server.url) as client:
            client.create_project("crash")
            flow = client.register_flow("crash", flow_spec_dict).flow
            runs = [client.create_flow_run(flow.id) for _ in range(WRITERS * RUNS_PER_WRITER)]
        writers = [
            Writer(server.url, {r.id: r.version for r in runs[i::WRITERS]}) for i in range(WRITERS)
        ]
        for writer in writers:
            writer.start()
        deadline = time.monotonic() + 20
        while sum(w.rounds for w in writers) < 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill()  # SIGKILL in the middle of the stream
        for writer in writers:
            writer.join(timeout=20)
            assert not writer.is_alive()
            assert writer.error is not None  # it stopped because the server died
        assert sum(w.rounds for w in writers) >= 30
    finally:
        server.stop()

    restarted = ServerProcess(server.database_url, home)
    restarted.start()
    try:
        with Client(restarted.url) as client:
            for writer in writers:
                _check_flow_runs(client, writer)
                _check_task_runs(client, writer)
    finally:
        restarted.stop()


def _check_flow_runs(client: Client, writer: Writer) -> None:
    for run_id in writer.versions:
        run = client.get_flow_run(run_id)
        history = [(s.version, s.state) for s in run.states]
        assert history[-1] == (run.version, run.state), "current state != last history row"
        assert run.version >= writer.versions[run_id]
        acked = [(v, s) for r, v, s in writer.flow_acks if r == run_id]
        assert set(acked) <= set(history), "an acknowledged flow-run state was lost"


def _check_task_runs(client: Client, writer: Writer) -> None:
    for run_id in writer.versions:
        stored = {}
        after = None
        while True:
            page = client.list_task_runs(run_id, first=1000, after=after)
            stored.update({(t.map_index): t for t in page.items})
            if not page.has_next_page:
                break
            after = page.end_cursor
        for (acked_run, index), (task_run_id, version, state) in writer.task_acks.items():
            if acked_run != run_id:
                continue
            task_run = stored.get(index)
            assert task_run is not None, "an acknowledged task run was lost"
            assert task_run.id == task_run_id
            assert (task_run.version, task_run.state) == (version, state)
        sample = list(stored.values())[:: max(1, len(stored) // 5)]
        for task_run in sample:  # history ends with the current state
            rows = client.query(
                'query ($id: ID!, $i: Int) { taskRuns(flowRunId: $id, taskSlug: "double",'
                " mapIndex: $i) { nodes { states { state version } } } }",
                {"id": run_id, "i": task_run.map_index},
            )["taskRuns"]["nodes"][0]["states"]
            assert (rows[-1]["state"], rows[-1]["version"]) == (task_run.state, task_run.version)
