"""The reporter in process, against a stand-in client: batching, order, retries, bounds."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from proctor import Flow, get_run_logger, task
from proctor.agent.reporter import Reporter
from proctor.client import LimitExceeded, ServerUnavailable
from proctor.core.observers import TaskRunChange
from proctor.core.states import Running, Success

RUN_ID = "00000000-0000-4000-8000-0000000000aa"


class FakeClient:
    """Records every batch; can be told to fail the next calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[dict]]] = []
        self.requests: list[str] = []
        self.failures: list[Exception] = []
        self.lock = threading.Lock()
        self.gate: threading.Event | None = None

    def execute(self, operation: Any) -> dict:
        # The reporter sends its writes as operations it marks idempotent (resendable).
        assert operation.idempotent
        return self.query(operation.document, operation.variables)

    def query(self, document: str, variables: dict) -> dict:
        if self.gate is not None:
            self.gate.wait(10)
        with self.lock:
            if self.failures:
                raise self.failures.pop(0)
        self.requests.append(document)
        answer: dict = {}
        # The reporter's mutation: one field per kind, in the order they are applied.
        for kind in sorted(variables, key=document.index):
            items = variables[kind]
            with self.lock:
                self.calls.append((kind, items))
            if kind == "logs":
                answer[kind] = {"count": len(items)}
            else:
                answer[kind] = [{"id": str(i), "accepted": True} for i in range(len(items))]
        return answer

    def items(self, field: str) -> list[dict]:
        return [item for name, items in self.calls if name == field for item in items]


def change(slug: str, state, index: int | None = None) -> TaskRunChange:
    return TaskRunChange(slug, slug, index, state)


def test_task_states_go_before_logs_and_the_final_flow_state():
    client = FakeClient()
    with Reporter(client, RUN_ID, interval=0.05, capture_logs=False) as reporter:
        for index in range(10):
            reporter.task_run_state(None, change("double", Success(result=index), index))
        reporter.task_run_state(None, change("double", Success()))
        reporter.flow_run_state(None, Success("done"))
    fields = [name for name, _ in client.calls]
    assert fields[-1] == "flows"
    assert "tasks" in fields[: fields.index("flows")]
    items = client.items("tasks")
    assert [item["mapIndex"] for item in items] == [*range(10), -1]
    assert items[0]["state"]["type"] == "Success"
    assert items[0]["state"]["run_count"] == 1
    assert items[0]["flowRunId"] == RUN_ID
    assert reporter.sent_task_changes == 11


def test_a_whole_engine_run_is_reported_in_few_batches():
    @task
    def numbers():
        return list(range(2000))

    @task
    def double(x):
        return 2 * x

    with Flow("batched") as flow:
        double.map(numbers())
    client = FakeClient()
    with Reporter(client, RUN_ID, interval=0.2, capture_logs=False) as reporter:
        state = flow.run(observers=[reporter], flow_run_id=RUN_ID)
    assert state.is_successful()
    items = client.items("tasks")
    # 2000 children x (Running, Success) + the nodes' own changes.
    assert len(items) >= 4000
    children = {(item["mapIndex"], item["state"]["type"]) for item in items}
    assert (1999, "Success") in children
    assert len([c for c in client.calls if c[0] == "tasks"]) < 20
    assert len(client.requests) < 20
    flow_states = [item["state"]["type"] for item in client.items("flows")]
    assert flow_states == ["Running", "Success"]


def test_running_can_be_left_to_the_caller():
    client = FakeClient()
    with Reporter(client, RUN_ID, interval=0.05, report_running=False, capture_logs=False) as r:
        r.flow_run_state(None, Running())
        r.flow_run_state(None, Success())
    assert [item["state"]["type"] for item in client.items("flows")] == ["Success"]


def test_a_short_run_is_reported_in_one_request():
    client = FakeClient()
    with Reporter(client, RUN_ID, interval=30, capture_logs=False) as reporter:
        time.sleep(0.05)
        reporter.task_run_state(None, change("t", Success()))
        reporter.add_log(logging.makeLogRecord({"msg": "hi", "levelno": 20}), "hi")
        reporter.flow_run_state(None, Success())
    assert [kind for kind, _ in client.calls] == ["tasks", "logs", "flows"]
    assert len(client.requests) == 1


def test_a_flow_state_is_sent_at_once():
    client = FakeClient()
    with Reporter(client, RUN_ID, interval=30, capture_logs=False) as reporter:
        time.sleep(0.1)  # the first, immediate flush is over
        reporter.flow_run_state(None, Running())
        deadline = time.monotonic() + 2
        while not client.items("flows") and time.monotonic() < deadline:
            time.sleep(0.01)
        assert client.items("flows")


def test_a_failed_flush_is_retried_and_nothing_is_lost():
    client = FakeClient()
    client.failures = [ServerUnavailable("http://x", "refused") for _ in range(3)]
    with Reporter(client, RUN_ID, interval=0.02, capture_logs=False) as reporter:
        for index in range(100):
            reporter.task_run_state(None, change("t", Success(), index))
        reporter.flow_run_state(None, Success())
    assert reporter.outages >= 1
    assert sorted(item["mapIndex"] for item in client.items("tasks")) == list(range(100))
    assert len(client.items("flows")) == 1


def test_a_request_too_large_is_sent_in_halves():
    client = FakeClient()
    client.failures = [LimitExceeded("too big", "PAYLOAD_TOO_LARGE")]
    with Reporter(client, RUN_ID, interval=0.02, capture_logs=False) as reporter:
        for index in range(10):
            reporter.task_run_state(None, change("t", Success(), index))
    sizes = [len(items) for name, items in client.calls if name == "tasks"]
    assert sizes == [5, 5]


def test_the_engine_waits_when_too_much_is_pending():
    client = FakeClient()
    client.gate = threading.Event()  # the server does not answer yet
    reporter = Reporter(client, RUN_ID, interval=0.01, max_pending=100, capture_logs=False)
    reporter.start()
    done = threading.Event()

    def engine() -> None:
        for index in range(1000):
            reporter.task_run_state(None, change("t", Success(), index))
        done.set()

    thread = threading.Thread(target=engine)
    thread.start()
    time.sleep(0.3)
    assert not done.is_set()  # blocked: nothing is dropped, the run waits
    assert reporter.pending <= 101
    client.gate.set()
    thread.join(10)
    assert done.is_set()
    reporter.close()
    assert len(client.items("tasks")) == 1000


def test_close_gives_up_after_the_exit_timeout():
    client = FakeClient()
    client.failures = [ServerUnavailable("http://x", "refused") for _ in range(1000)]
    reporter = Reporter(client, RUN_ID, interval=0.01, exit_timeout=0.3, capture_logs=False)
    reporter.start()
    reporter.task_run_state(None, change("t", Success()))
    # The server never answers before its 1000 failures run out: close() returning False
    # with failures left means it gave up at its exit timeout (a close that kept trying
    # would have used them up and succeeded, or hung until the suite's timeout).
    assert reporter.close() is False
    assert client.failures
    assert reporter.unsent >= 1


def test_logs_of_this_run_are_shipped_with_their_task(caplog):
    caplog.set_level(logging.INFO, logger="proctor")

    @task
    def talk():
        get_run_logger().info("hello from %s", "talk")

    with Flow("chatty") as flow:
        talk()
    client = FakeClient()
    other = logging.getLogger("proctor.run")
    with Reporter(client, RUN_ID, interval=0.05) as reporter:
        flow.run(observers=[reporter], flow_run_id=RUN_ID)
        other.info("no run at all", extra={"flow_run_id": "someone-else"})
    lines = client.items("logs")
    mine = [line for line in lines if line["message"] == "hello from talk"]
    assert mine and mine[0]["taskSlug"] == "talk" and mine[0]["level"] == logging.INFO
    assert all(line["message"] != "no run at all" for line in lines)
    assert any("Flow run" in line["message"] for line in lines)  # the runner's own lines
    assert reporter.handler not in logging.getLogger("proctor").handlers


def test_a_refused_part_does_not_take_the_others_with_it():
    from proctor.client import InvalidInput

    client = FakeClient()
    client.failures = [InvalidInput("logs[0]: bad", "INVALID_INPUT")]
    with Reporter(client, RUN_ID, interval=30, capture_logs=False) as reporter:
        time.sleep(0.05)
        reporter.task_run_state(None, change("t", Success()))
        reporter.add_log(logging.makeLogRecord({"msg": "hi", "levelno": 20}), "hi")
        reporter.flow_run_state(None, Success())
    # The combined request failed; each part was then sent alone (and here accepted).
    assert [kind for kind, _ in client.calls] == ["tasks", "logs", "flows"]
    assert len(client.requests) == 3
