"""`Reporter`: streams a flow run's task-run states, logs and flow states to the server.

The engine calls observers on its hot path, from executor threads too, so the reporter's
hooks only append to in-memory buffers (a `deque.append`: O(1), thread-safe, no lock).
A background thread turns what piled up into wire dicts and sends them as ONE request,
one batched mutation field per kind, applied in order: task-run states first, then logs,
then flow-run states, because the server refuses task-run changes for a flow run that
already finished. It flushes at least every `interval` seconds, at once when the flow
run's state changes, and when closed. (Batches past `batch_size` items per kind go out
in several requests.)

Nothing is dropped on the way: a failed send is retried with backoff until the server
answers (or, at close, until `exit_timeout`). While the server is away the buffers grow;
past `max_pending` items the engine's threads wait for the flusher instead of adding more,
so a long outage slows the run down rather than losing states. Only a batch the server
rejects as malformed (a bug, which retrying cannot fix) is logged and skipped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from proctor.agent import wire
from proctor.agent.backoff import Backoff, is_transient
from proctor.client import LimitExceeded, Operation, ProctorClientError, TransitionResult
from proctor.core.masking import mask_secrets
from proctor.core.observers import RunObserver, TaskRunChange
from proctor.core.states import Pending

if TYPE_CHECKING:
    from proctor.client import Client
    from proctor.core.context import FlowRunContext
    from proctor.core.states import State

logger = logging.getLogger("proctor.agent.reporter")


class _GiveUp(Exception):
    """The exit timeout passed while the server was still unreachable."""


class _TooLarge(Exception):
    """The server refused the request as too large: send it in halves."""


class Reporter(RunObserver):
    """A `RunObserver` that reports one flow run to the server, in batches.

    Use as a context manager around the run (or `start()` / `close()`). While open it also
    collects the `proctor` loggers' records of this flow run. `report_running=False` skips
    the engine's own `Running` flow state, for callers that set it themselves (the run
    process does, to send its agent id and to stop early if the run was taken away).
    """

    def __init__(
        self,
        client: Client,
        flow_run_id: str,
        *,
        interval: float = 0.2,
        max_pending: int = 50_000,
        batch_size: int = 5_000,
        exit_timeout: float = 600.0,
        report_running: bool = True,
        capture_logs: bool = True,
    ) -> None:
        self.client = client
        self.flow_run_id = flow_run_id
        self.interval = interval
        self.max_pending = max_pending
        self.batch_size = batch_size
        self.exit_timeout = exit_timeout
        self.report_running = report_running
        self.handler: RunLogHandler | None = RunLogHandler(self) if capture_logs else None
        self._tasks: deque[TaskRunChange] = deque()
        self._logs: deque[tuple[logging.LogRecord, str]] = deque()
        self._flows: deque[State] = deque()
        # Artifacts the task runs published (`writeArtifacts` items), sent after the
        # task states of the same request so their task runs exist.
        self._artifacts: deque[dict[str, Any]] = deque()
        # Concurrency-slot requests: Submitted states with tags (`claim_slots`), or for a
        # server of the previous version `acquireTaskRunSlots` items (`request_slots`);
        # and who hears the answers.
        self._claims: deque[dict[str, Any]] = deque()
        self._slots: deque[dict[str, Any]] = deque()
        self.on_claims: ClaimListener | None = None
        self.on_slots: SlotListener | None = None
        self._wake = threading.Event()
        self._room = threading.Condition()
        self._closing = False
        self._deadline: float | None = None
        self._in_flight = 0  # items taken from the buffers, not yet acknowledged
        self._thread = threading.Thread(target=self._loop, name="proctor-reporter", daemon=True)
        # What happened, for the run process's last words and for tests.
        self.sent_task_changes = 0
        self.sent_logs = 0
        self.sent_flow_states = 0
        self.sent_artifacts = 0
        self.refused: list[TransitionResult] = []
        self.flow_results: list[TransitionResult] = []
        # The engine handed over its final flow state: a finished state the watcher sees
        # from then on may be this process's own, not a mark by hand.
        self.final_state_queued = False
        self.skipped = 0
        self.unsent = 0
        self.outages = 0

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> Reporter:
        self._thread.start()
        if self.handler is not None:
            logging.getLogger("proctor").addHandler(self.handler)
        return self

    def close(self) -> bool:
        """Send everything still buffered; True if all of it reached the server.

        Waits while the server is unreachable, at most `exit_timeout` seconds.
        """
        if self.handler is not None:
            logging.getLogger("proctor").removeHandler(self.handler)
        self._deadline = time.monotonic() + self.exit_timeout
        self._closing = True
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join()
        with self._room:
            self._room.notify_all()
        return self.unsent == 0 and self.pending == 0

    def __enter__(self) -> Reporter:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def pending(self) -> int:
        """Items buffered and not yet handed to a request."""
        return (
            len(self._tasks)
            + len(self._logs)
            + len(self._flows)
            + len(self._claims)
            + len(self._slots)
            + len(self._artifacts)
        )

    def flush(self, timeout: float = 30.0) -> bool:
        """Ask for a flush now and wait until the buffers are empty (or `timeout`)."""
        deadline = time.monotonic() + timeout
        while self.pending and time.monotonic() < deadline and self._thread.is_alive():
            self._wake.set()
            with self._room:
                self._room.wait(0.05)
        return self.pending == 0

    # -- the engine's side: append and return ----------------------------------------------

    def task_run_state(self, context: FlowRunContext, change: TaskRunChange) -> None:
        self._tasks.append(change)
        artifacts = change.state.artifacts
        if artifacts:
            run_id = self.flow_run_id
            self._artifacts.extend(wire.artifact_item(run_id, artifact) for artifact in artifacts)
        if len(self._tasks) + len(self._logs) > self.max_pending:
            self._wait_for_room()

    def flow_run_state(self, context: FlowRunContext, state: State) -> None:
        if not self.report_running and state.is_running():
            return
        self.report_flow_state(state)

    def flow_run_retrying(self, context: FlowRunContext, failed: State) -> None:
        from proctor.agent.prior_states import failed_attempt_task_runs

        self.reopen(failed_attempt_task_runs(failed), "Runs again: the flow run is retried")

    def reopen(self, keys: Iterable[tuple[str, int]], message: str) -> None:
        """Put finished task runs back to Pending on the server, before they run again."""
        for slug, index in keys:
            pending = Pending(message)
            self._tasks.append(wire.Reopening(slug, slug, None if index < 0 else index, pending))
        self._wake.set()

    def report_task_change(self, change: TaskRunChange) -> None:
        """Report a task-run change the engine did not make (e.g. when abandoning tasks)."""
        self.task_run_state(None, change)  # type: ignore[arg-type]  # context is unused

    def report_flow_state(self, state: State) -> None:
        """Queue a flow-run state; it is sent after every task state queued before it."""
        if state.is_finished():
            self.final_state_queued = True
        self._flows.append(state)
        self._wake.set()

    def claim_slots(self, items: Iterable[dict[str, Any]]) -> None:
        """Report task runs Submitted with their tags (`setTaskRunStates` items): the
        server takes their concurrency slots or writes them Queued. Sent after every state
        buffered before, like `request_slots`; `on_claims(items, results)` hears the
        answer (None: the server refused the states themselves)."""
        self._claims.extend(items)
        self._wake.set()

    def request_slots(self, items: Iterable[dict[str, Any]]) -> None:
        """Ask the server for concurrency slots (`acquireTaskRunSlots` items) in the
        report stream: after every state buffered before, so the server has seen the
        states that freed slots before it is asked for them. `on_slots(items, answer)`
        hears the answer (None: the server refused the request itself)."""
        self._slots.extend(items)
        self._wake.set()

    def add_log(self, record: logging.LogRecord, message: str) -> None:
        self._logs.append((record, message))
        if len(self._tasks) + len(self._logs) > self.max_pending:
            self._wait_for_room()

    def _wait_for_room(self) -> None:
        if threading.current_thread() is self._thread:
            return  # the flusher logging about itself must never wait for itself
        with self._room:
            while len(self._tasks) + len(self._logs) > self.max_pending and self._thread.is_alive():
                self._wake.set()
                self._room.wait(0.5)

    # -- the flusher's side ------------------------------------------------------------------

    def _loop(self) -> None:
        try:
            while True:
                closing = self._closing
                self._flush_once()
                if closing:
                    return
                self._wake.wait(self.interval)
                self._wake.clear()
        except _GiveUp:
            self.unsent += self.pending + self._in_flight
            logger.error(
                "Gave up reporting flow run %s: the server stayed unreachable for %g s after "
                "the run ended; %d states and log lines were not recorded.",
                self.flow_run_id,
                self.exit_timeout,
                self.unsent,
            )
        finally:
            with self._room:
                self._room.notify_all()

    def _flush_once(self) -> None:
        # Flow states counted now were reported after every task state already buffered,
        # so they go out only once the task buffer has been emptied: the server's order.
        flow_states = len(self._flows)
        claim_requests = len(self._claims)
        slot_requests = len(self._slots)
        tasks, logs, flows, slots = self._tasks, self._logs, self._flows, self._slots
        claims = self._claims
        artifacts = self._artifacts
        while True:
            task_batch = [tasks.popleft() for _ in range(min(len(tasks), self.batch_size))]
            log_batch = [logs.popleft() for _ in range(min(len(logs), self.batch_size))]
            # Artifacts are large next to states: a tenth of a batch at a time.
            size = max(1, self.batch_size // 10)
            artifact_batch = [artifacts.popleft() for _ in range(min(len(artifacts), size))]
            flow_batch: list[State] = []
            if flow_states and not tasks:
                flow_batch = [flows.popleft() for _ in range(flow_states)]
                flow_states = 0
            claim_batch: list[dict[str, Any]] = []
            slot_batch: list[dict[str, Any]] = []
            if not tasks:  # like flow states: after the task states
                claim_batch = [claims.popleft() for _ in range(min(claim_requests, len(claims)))]
                slot_batch = [slots.popleft() for _ in range(min(slot_requests, len(slots)))]
                claim_requests = slot_requests = 0
            batches = (task_batch, log_batch, flow_batch, claim_batch, slot_batch, artifact_batch)
            if not any(batches):
                return
            self._notify_room()
            run_id = self.flow_run_id
            parts = {
                "tasks": [wire.task_run_change(run_id, change) for change in task_batch],
                "claims": claim_batch,
                "slots": slot_batch,
                "logs": [wire.log_line(run_id, *line) for line in log_batch],
                "artifacts": artifact_batch,
                "flows": [wire.flow_run_change(run_id, state) for state in flow_batch],
            }
            self._in_flight = sum(len(batch) for batch in batches)
            self._deliver({kind: items for kind, items in parts.items() if items})
            self._in_flight = 0

    def _deliver(self, parts: dict[str, list[dict[str, Any]]]) -> None:
        """Send the parts as one request (one mutation field each, applied in order);
        halve them while the server finds the request too large."""
        document, variables = wire.report_mutation(parts)
        try:
            data = self._send(document, variables)
        except _TooLarge:
            if len(parts) > 1:
                for kind, items in parts.items():
                    self._deliver({kind: items})
            elif sum(len(items) for items in parts.values()) > 1:
                [(kind, items)] = parts.items()
                middle = len(items) // 2
                self._deliver({kind: items[:middle]})
                self._deliver({kind: items[middle:]})
            else:
                self.skipped += 1
                self._answer_slots(parts, None)
                logger.error("The server refused one report as too large; it is skipped.")
            return
        if data is None:
            if len(parts) > 1:  # one part was refused: send each alone, skip only that one
                for kind, items in parts.items():
                    self._deliver({kind: items})
            else:
                self.skipped += sum(len(items) for items in parts.values())
                self._answer_slots(parts, None)
            return
        self._answer_slots(parts, data)
        self.sent_task_changes += len(parts.get("tasks", ()))
        self.sent_logs += len(parts.get("logs", ()))
        self.sent_flow_states += len(parts.get("flows", ()))
        self.sent_artifacts += len(parts.get("artifacts", ()))
        refused = wire.rejected(wire.transition_results(data, "tasks"))
        if refused:
            # Expected after a restart or a cancellation (a finished run refuses changes),
            # so a note for debugging, not a warning.
            self.refused.extend(refused[:100])
            logger.debug("%d task-run changes refused, first: %s", len(refused), refused[0].reason)
        results = wire.transition_results(data, "flows")
        self.flow_results.extend(results)
        for result in wire.rejected(results):
            logger.warning(
                "The server refused flow run %s's state %s: %s",
                self.flow_run_id,
                result.state,
                result.reason or result.code,
            )

    def _answer_slots(
        self, parts: dict[str, list[dict[str, Any]]], data: dict[str, Any] | None
    ) -> None:
        """Hand the answers to slot requests among `parts` to their listeners (None:
        the server refused the request)."""
        claims, slots = parts.get("claims"), parts.get("slots")
        try:
            if claims and self.on_claims is not None:
                self.on_claims(claims, None if data is None else data.get("claims"))
            if slots and self.on_slots is not None:
                self.on_slots(slots, None if data is None else data.get("slots"))
        except Exception:  # the listener's bug must not stop the reports
            logger.exception("Handling the answer to a concurrency-slot request failed")

    def _notify_room(self) -> None:
        with self._room:
            self._room.notify_all()

    def _send(self, document: str, variables: dict[str, Any]) -> dict[str, Any] | None:
        backoff = Backoff(first=0.2, cap=5.0)
        down_since: float | None = None
        while True:
            try:
                # The report's writes are idempotent (versions, ids): the client may
                # resend one after a timeout, which a plain mutation must not be.
                report: Operation[dict[str, Any]] = Operation(document, variables, idempotent=True)
                data = self.client.execute(report)
            except LimitExceeded:
                raise _TooLarge from None
            except ProctorClientError as error:
                if not is_transient(error):
                    logger.error(
                        "The server refused a report of flow run %s: %s",
                        self.flow_run_id,
                        error,
                    )
                    return None
                if down_since is None:
                    down_since = time.monotonic()
                    self.outages += 1
                    logger.warning(
                        "Cannot report to the server (%s); retrying, nothing is lost meanwhile.",
                        error,
                    )
                if self._deadline is not None and time.monotonic() > self._deadline:
                    raise _GiveUp from None
                backoff.wait()
                continue
            if down_since is not None:
                logger.info(
                    "Reporting to the server again after %.1f s.", time.monotonic() - down_since
                )
            return data


#: Hears the answer to slot requests: the items sent, and the `acquireTaskRunSlots`
#: answer (`{"results": [...], "limitedTags": [...]}`), or None when it was refused.
SlotListener = Callable[[list[dict[str, Any]], dict[str, Any] | None], None]
#: Hears the answer to Submitted states with tags: the items sent, and their
#: `setTaskRunStates` results (`{"accepted", "state", "reason", ...}`), or None.
ClaimListener = Callable[[list[dict[str, Any]], list[dict[str, Any]] | None], None]


class RunLogHandler(logging.Handler):
    """Hands the `proctor` loggers' records of one flow run to its reporter.

    Records of other runs are ignored; records with no run at all (the flow runner's own
    lines) belong to this process's run. The message is formatted here, because its
    arguments may change after the call returns.
    """

    def __init__(self, reporter: Reporter, level: int = logging.NOTSET) -> None:
        super().__init__(level)
        self.reporter = reporter
        self._formatter = logging.Formatter()

    def emit(self, record: logging.LogRecord) -> None:
        run = getattr(record, "flow_run_id", None)
        if run is not None and run != self.reporter.flow_run_id:
            return
        try:
            message = record.getMessage()
            if record.exc_info:
                message = f"{message}\n{self._formatter.formatException(record.exc_info)}"
        except Exception:
            self.handleError(record)
            return
        self.reporter.add_log(record, mask_secrets(message))


__all__ = ["Reporter", "RunLogHandler"]
