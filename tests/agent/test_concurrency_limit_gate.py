"""The run process's concurrency-limit gate (`ServerTaskGate`) in a real flow runner,
against a stand-in for the server's report stream that judges with the server's own rule
(`SlotLedger.take`): states with tags take slots or are answered Queued; a server of the
previous version refuses them, and the gate asks with `acquireTaskRunSlots` instead."""

from __future__ import annotations

import queue
import threading
import time
import uuid
from typing import Any

from proctor import Flow, task
from proctor.agent.concurrency_limits import ServerTaskGate
from proctor.core.executors import ThreadExecutor
from proctor.core.observers import RunObserver, TaskRunChange
from proctor.core.runner.flow_runner import FlowRunner
from proctor.server.orchestration.concurrency_limits import Limit, SlotLedger

RUN = "00000000-0000-0000-0000-000000000001"
DB = Limit(uuid.UUID(int=1), "db", 2)


def _holder(slug: str, index: int) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_OID, f"{slug}/{index}")


class Stream(RunObserver):
    """The reporter's side the gate uses, answering on its own thread like the real one,
    in order: task states (which give slots back) before the slot requests after them."""

    def __init__(self, *, old_server: bool = False) -> None:
        self.old_server = old_server
        self.ledger = SlotLedger({"db": DB}, {DB.id: 0})
        self.lock = threading.Lock()
        self.running = 0
        self.peak = 0
        self.claims: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.reported: list[TaskRunChange] = []
        self.on_claims: Any = None
        self.on_slots: Any = None
        self._work: queue.Queue[tuple[str, list[dict[str, Any]]] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    # what the engine reports (the walk's states)
    def task_run_state(self, context: Any, change: TaskRunChange) -> None:
        with self.lock:
            self.reported.append(change)
            if change.map_index is not None and change.state.name in ("Success", "Failed"):
                self.ledger.give_back(_holder(change.task_slug, change.map_index))

    # what the gate sends
    def claim_slots(self, items: list[dict[str, Any]]) -> None:
        self._work.put(("claims", list(items)))

    def request_slots(self, items: list[dict[str, Any]]) -> None:
        self._work.put(("slots", list(items)))

    def close(self) -> None:
        self._work.put(None)
        self._thread.join(60)

    def _serve(self) -> None:
        while (work := self._work.get()) is not None:
            kind, items = work
            with self.lock:
                if kind == "claims":
                    self.claims.extend(items)
                    answer: Any = None if self.old_server else [self._claim(i) for i in items]
                else:
                    self.requests.extend(items)
                    answer = {"results": [self._request(i) for i in items], "limitedTags": ["db"]}
            (self.on_claims if kind == "claims" else self.on_slots)(items, answer)

    def _claim(self, item: dict[str, Any]) -> dict[str, Any]:
        assert item["state"]["type"] == "Submitted" and item["tags"] == ["db"]
        waiting = self.ledger.take(_holder(item["taskSlug"], item["mapIndex"]), item["tags"])
        state = "Submitted" if waiting is None else "Queued"
        return {"accepted": True, "state": state, "reason": waiting}

    def _request(self, item: dict[str, Any]) -> dict[str, Any]:
        waiting = self.ledger.take(_holder(item["taskSlug"], item["mapIndex"]), item["tags"])
        return {"granted": waiting is None, "reason": waiting, "code": waiting and "QUEUED"}


def _flow(stream: Stream, n: int) -> Flow:
    @task(tags=["db"])
    def query(i: int) -> int:
        with stream.lock:
            stream.running += 1
            stream.peak = max(stream.peak, stream.running)
        time.sleep(0.02)
        with stream.lock:
            stream.running -= 1
        return i

    with Flow("limited") as flow:
        query.map(list(range(n)))
    return flow


class QuietThreads(ThreadExecutor):
    """Threads whose starts the walk reports (as a process or Dask executor's are): the
    walk, not the executor, would report each task run Submitted."""

    reports_start = False


def _run(stream: Stream, n: int = 6) -> None:
    gate = ServerTaskGate(stream, RUN, frozenset({"db"}), first=0.01, cap=0.05)  # type: ignore[arg-type]
    runner = FlowRunner(_flow(stream, n), executor=QuietThreads(8), observers=[stream], gate=gate)
    try:
        final = runner.run()
    finally:
        stream.close()
    assert final.is_successful(), final.message
    assert stream.peak <= 2


def _names(stream: Stream) -> dict[str, int]:
    counted: dict[str, int] = {}
    for change in stream.reported:
        if change.map_index is not None:
            counted[change.state.name] = counted.get(change.state.name, 0) + 1
    return counted


def test_the_gate_takes_slots_by_reporting_submitted_with_tags() -> None:
    stream = Stream()
    _run(stream)
    assert stream.requests == []  # no acquireTaskRunSlots
    asked = {(item["taskSlug"], item["mapIndex"]) for item in stream.claims}
    assert {index for _slug, index in asked} == set(range(6))
    assert len(stream.claims) > 6  # some were Queued and asked again
    # The server wrote Submitted and Queued; the engine reports neither again.
    names = _names(stream)
    assert "Submitted" not in names and "Queued" not in names
    assert names["Success"] == 6


def test_with_a_server_of_the_previous_version_the_gate_asks_the_old_way() -> None:
    stream = Stream(old_server=True)
    _run(stream)
    assert len(stream.claims) >= 1  # refused: a server that does not know tags on states
    assert {item["mapIndex"] for item in stream.requests} == set(range(6))
    assert all(
        set(item) == {"flowRunId", "taskSlug", "mapIndex", "tags"} for item in stream.requests
    )
    # The engine reports what the old server does not write itself.
    names = _names(stream)
    assert names["Submitted"] == 6 and names["Queued"] >= 1 and names["Success"] == 6
