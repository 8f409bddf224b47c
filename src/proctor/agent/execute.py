"""The run process: `proctor execute flow-run ID` runs one registered flow run here.

An agent starts one such process per claimed run (it can also be started by hand). The
process, step by step:

1. reads the run's context from the server in one call: the run, its flow version (spec
   and storage reference), parameters, and the task runs of earlier attempts;
2. loads the flow's code from its storage and validates the parameters; a problem here
   fails the run with a message saying what to fix, before anything runs;
3. sets the run `Running`, sending the claiming agent's id (`PROCTOR_AGENT_ID`): the
   server refuses if the run was taken away or cancelled meanwhile, and nothing runs;
4. runs the flow with the real engine and the flow's own executor, with a `Reporter`
   streaming states and logs in batches and a `RunWatcher` heartbeating and looking for
   cancellation; successful task runs of earlier attempts are reused (their values read
   back from the result store), so a restart only runs what did not succeed;
5. ends with the run's final state sent after all its task states, or, when a retry is
   due later than `max_retry_wait_seconds`, with the run re-queued (`Scheduled` or
   `Retrying` at the retry time) so the machine is not held meanwhile.

Stopping: a cancellation seen by the watcher stops the engine (`FlowRunner.cancel()`);
tasks that do not return within `cancel_grace_seconds` are abandoned by exiting the
process, after their task runs and the run are reported `Cancelled`. SIGTERM or SIGINT
(an agent shutting down) re-queues the run instead, so another agent can take it up.

Exit codes: 0 the run succeeded, was re-queued or paused; 1 it failed; 2 it could not be
read (unknown id, server unreachable); 3 the server did not let it start; 4 cancelled;
128 + the signal number when a signal re-queued it.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import signal
import socket
import ssl
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

import httpx

from proctor.agent import wire
from proctor.agent.backoff import Backoff, is_transient
from proctor.agent.concurrency_limits import task_gate_for
from proctor.agent.prior_states import prior_task_states, task_runs_to_reopen
from proctor.agent.reporter import Reporter
from proctor.agent.secrets import ServerSecrets
from proctor.agent.watcher import RunWatcher
from proctor.client import ProctorClientError
from proctor.core import masked_output
from proctor.core.errors import ProctorError
from proctor.core.observers import TaskRunChange
from proctor.core.secrets import set_secret_resolver
from proctor.core.states import Cancelled, Failed, Running, Scheduled, State

if TYPE_CHECKING:
    from proctor.client import Client, FlowRunContext, TaskRun
    from proctor.core.flow import Flow
    from proctor.core.runner.flow_runner import FlowRunner
    from proctor.settings import FlowRunSettings

logger = logging.getLogger("proctor.agent.execute")

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_UNREADABLE = 2
EXIT_NOT_STARTED = 3
EXIT_CANCELLED = 4
EXIT_REQUEUED_SIGTERM = 128 + signal.SIGTERM
EXIT_REQUEUED_SIGINT = 128 + signal.SIGINT
#: Exit codes after which the run's state on the server says how it ended.
REPORTED_EXIT_CODES = frozenset(
    {
        EXIT_OK,
        EXIT_FAILED,
        EXIT_NOT_STARTED,
        EXIT_CANCELLED,
        EXIT_REQUEUED_SIGTERM,
        EXIT_REQUEUED_SIGINT,
    }
)

FINISHED = frozenset({"Success", "Failed", "Cancelled", "Finished"})
UNFINISHED_TASK_STATES = ["Pending", "Scheduled", "Submitted", "Running", "Paused", "Cancelling"]
# How long start-up calls keep trying while the server is unreachable.
STARTUP_PATIENCE_SECONDS = 60.0


class RunNotStarted(Exception):
    """The run cannot start here; the message says why, the code what to exit with."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def execute_flow_run(
    flow_run_id: str, *, api_url: str | None = None, agent_id: str | None = None
) -> int:
    """Run flow run `flow_run_id` in this process; the process's exit code."""
    from proctor.client import Client
    from proctor.settings import get_settings

    settings = get_settings()
    # Before anything writes: stdout, stderr (the agent's per-run log file) and every log
    # record of this process show secret values masked, whoever writes them.
    masked_output.install()
    configure_run_logging()
    transport = httpx.HTTPTransport(verify=shared_ssl_context())
    with Client(api_url, transport=transport) as client:
        process = FlowRunProcess(
            client, flow_run_id, agent_id=agent_id or settings.agent.id, settings=settings.flow_run
        )
        return process.run()


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """This process's SSL context. Building one costs ~50 ms of CPU, more than the rest of
    a short run's reporting: the agent's fork server builds it once and every run process
    forked from it inherits it."""
    context: ssl.SSLContext = httpx.create_ssl_context()
    return context


def configure_run_logging() -> None:
    """Proctor's log lines on stderr (the agent keeps them in a file per run).

    `PROCTOR_LOGGING_LEVEL` sets the level (default INFO); the reporter's handler sees the
    same records and ships them to the server.
    """
    from proctor.core.logs import RunFormatter

    root = logging.getLogger("proctor")
    if any(getattr(handler, "_proctor_run", False) for handler in root.handlers):
        return
    level = logging.getLevelName(os.environ.get("PROCTOR_LOGGING_LEVEL", "INFO").upper())
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RunFormatter())
    handler._proctor_run = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level if isinstance(level, int) else logging.INFO)
    root.propagate = False


class FlowRunProcess:
    """One flow run, from reading its context to its last report."""

    def __init__(
        self,
        client: Client,
        flow_run_id: str,
        *,
        agent_id: str | None,
        settings: FlowRunSettings,
    ) -> None:
        self.client = client
        self.flow_run_id = flow_run_id
        self.agent_id = agent_id
        self.settings = settings
        self.reporter: Reporter | None = None
        self.runner: FlowRunner | None = None
        # Whoever ends the run (the engine returning, a cancellation past its grace, a
        # SIGTERM) takes this first; the others then leave the ending to it.
        self._ending = threading.Lock()

    # -- the steps ---------------------------------------------------------------------------

    def run(self) -> int:
        # Before the flow's code loads: a module may read a secret when imported.
        previous = set_secret_resolver(ServerSecrets(self.client, self.flow_run_id))
        try:
            try:
                context: FlowRunContext = self._with_patience("read the run", self._load_context)
                flow, parameters = self._prepare(context)
                self._start_running()
            except RunNotStarted as stop:
                logger.error("%s", stop)
                return stop.code
            return self._run_flow(context, flow, parameters)
        finally:
            set_secret_resolver(previous)

    def _load_context(self) -> FlowRunContext:
        from proctor.client import NotFound

        try:
            return self.client.get_flow_run_context(self.flow_run_id)
        except NotFound:
            raise RunNotStarted(
                f"There is no flow run {self.flow_run_id} on the server at "
                f"{self.client.config.api_url}. Check the id, and PROCTOR_API_URL.",
                EXIT_UNREADABLE,
            ) from None

    def _prepare(self, context: FlowRunContext) -> tuple[Flow, dict[str, Any]]:
        run = context.flow_run
        if run.state in FINISHED:
            raise RunNotStarted(
                f"Flow run {run.name} ({run.id}) is {run.state} already: nothing to do.",
                EXIT_NOT_STARTED,
            )
        if run.state in ("Cancelling", "Cancelled"):
            self._set_flow_state(Cancelled("Cancelled before it started"))
            raise RunNotStarted(
                f"Flow run {run.name} was cancelled before it started.", EXIT_CANCELLED
            )
        try:
            flow = load_registered_flow(context)
            parameters = flow.validate_parameters(context.parameters)
        except ProctorError as error:
            self._fail_before_start(str(error))
            raise RunNotStarted(str(error), EXIT_FAILED) from None
        return flow, parameters

    def _start_running(self) -> None:
        host = socket.gethostname()
        running = Running(f"Running on {host} (pid {os.getpid()})")
        result = self._with_patience(
            "start the run", lambda: self._set_flow_state(running, agent_id=self.agent_id)
        )
        if result is not None and not result.accepted:
            raise RunNotStarted(
                f"The server did not let flow run {self.flow_run_id} start here: "
                f"{result.reason or result.code}",
                EXIT_NOT_STARTED,
            )

    def _run_flow(self, context: FlowRunContext, flow: Flow, parameters: dict[str, Any]) -> int:
        from proctor.core.runner.flow_runner import FlowRunner

        settings = self.settings
        run = context.flow_run
        reporter = self.reporter = Reporter(
            self.client,
            self.flow_run_id,
            interval=settings.report_interval_seconds,
            max_pending=settings.report_max_pending,
            exit_timeout=settings.report_exit_timeout_seconds,
            report_running=False,
        )
        runner = self.runner = FlowRunner(
            flow,
            executor=flow.executor,
            observers=[reporter],
            max_retry_wait=settings.max_retry_wait_seconds,
            # Task-run concurrency limits (tags), granted by the server; None if no
            # task of this flow carries a limited tag.
            gate=task_gate_for(flow, self.client, reporter, self.flow_run_id),
        )
        watcher = RunWatcher(
            self.client,
            self.flow_run_id,
            self._cancel,
            heartbeat_seconds=settings.heartbeat_seconds,
            cancel_check_seconds=settings.cancel_check_seconds,
            on_finished=self._finished_elsewhere,
        )
        reporter.start()
        watcher.start()
        self._handle_signals()
        state: State
        try:
            prior = prior_task_states(flow, context.task_runs)
            reopen = task_runs_to_reopen(flow, context.task_runs, prior)
            if reopen:
                reporter.reopen(reopen, f"Runs again: start {run.run_count + 1} of the flow run")
            state = runner.run(
                parameters,
                task_states=prior,
                flow_run_id=self.flow_run_id,
                flow_run_name=run.name,
                scheduled_start=run.scheduled_start_time,
                # Setting it Running counted this start: every start is an attempt.
                run_count=run.run_count + 1,
            )
        except Exception as error:  # the engine itself failed: say so on the run
            logger.exception("The flow run process failed")
            state = Failed(f"The flow run process failed: {type(error).__name__}: {error}")
            reporter.report_flow_state(state)
        finally:
            watcher.stop()
        # Held to the end: a cancellation timer or a signal arriving now leaves it to us.
        self._ending.acquire()
        delivered = reporter.close()
        if not delivered:
            return EXIT_FAILED
        return exit_code(state)

    # -- stopping ----------------------------------------------------------------------------

    def _cancel(self) -> None:
        """Called by the watcher: stop the engine, and the process if tasks do not stop."""
        if self.runner is not None:
            self.runner.cancel()
        timer = threading.Timer(self.settings.cancel_grace_seconds, self._abandon)
        timer.daemon = True
        timer.start()

    def _finished_elsewhere(self, state: str) -> None:
        """Called by the watcher: the run is finished on the server. Unless this process
        sent that state itself, someone marked it by hand: stop as for a cancellation
        (the server refuses this process's later reports)."""
        reporter = self.reporter
        if reporter is not None and reporter.final_state_queued:
            return
        logger.warning(
            "Flow run %s was set %s from outside (marked by hand): no new task run starts",
            self.flow_run_id,
            state,
        )
        self._cancel()

    def _abandon(self) -> None:
        """Tasks ignored the cancellation: report them Cancelled and leave without them."""
        if not self._ending.acquire(blocking=False):
            return
        logger.error(
            "Task runs did not stop within %g s of the cancellation; stopping the process",
            self.settings.cancel_grace_seconds,
        )
        reporter = self.reporter
        if reporter is not None:
            reporter.flush(timeout=10)
            for task_run in self._unfinished_task_runs():
                change = TaskRunChange(
                    task_run.task_slug,
                    task_run.task_slug,
                    None if task_run.map_index < 0 else task_run.map_index,
                    Cancelled("The flow run was cancelled; the task did not stop in time"),
                )
                reporter.report_task_change(change)
            reporter.report_flow_state(Cancelled("The flow run was cancelled"))
            reporter.close()
        _exit(EXIT_CANCELLED)

    def _requeue_on_signal(self, signum: int) -> None:
        """SIGTERM/SIGINT (an agent shutting down): hand the run back to the queue."""
        if not self._ending.acquire(blocking=False):
            return
        name = signal.Signals(signum).name
        logger.warning("Received %s: re-queueing the flow run for another process", name)
        reporter = self.reporter
        if reporter is not None:
            reporter.flush(timeout=10)
            interrupted = self._unfinished_task_runs(["Submitted", "Running"])
            reporter.reopen(
                [(task_run.task_slug, task_run.map_index) for task_run in interrupted],
                f"Interrupted ({name}): runs again when the run is picked up",
            )
            reporter.report_flow_state(
                Scheduled(
                    f"Re-queued: its process was stopped ({name}) before the run finished",
                    start_time=time.time(),
                )
            )
            reporter.close()
        _exit(128 + signum)

    def _handle_signals(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return

        def handler(signum: int, frame: object) -> None:
            # Network calls do not belong in a signal handler (it may interrupt a thread
            # holding a lock they need): a thread does the work.
            threading.Thread(target=self._requeue_on_signal, args=(signum,), daemon=True).start()

        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)

    # -- talking to the server -----------------------------------------------------------------

    def _set_flow_state(self, state: State, *, agent_id: str | None = None) -> Any:
        change = wire.flow_run_state_change(self.flow_run_id, state, agent_id=agent_id)
        [result] = self.client.set_flow_run_states([change])
        return result

    def _fail_before_start(self, message: str) -> None:
        try:
            result = self._set_flow_state(Failed(message))
            if not result.accepted:
                self._set_flow_state(Running("Starting"), agent_id=self.agent_id)
                self._set_flow_state(Failed(message))
        except ProctorClientError as error:
            logger.error("Could not report the failure to the server: %s", error)

    def _unfinished_task_runs(self, states: list[str] | None = None) -> list[TaskRun]:
        found: list[TaskRun] = []
        after: str | None = None
        try:
            while True:
                page = self.client.list_task_runs(
                    self.flow_run_id,
                    states=states or UNFINISHED_TASK_STATES,
                    first=1000,
                    after=after,
                )
                found.extend(page.items)
                if not page.has_next_page or not page.end_cursor:
                    return found
                after = page.end_cursor
        except ProctorClientError as error:
            logger.error("Could not list the run's unfinished task runs: %s", error)
            return found

    def _with_patience(self, what: str, call: Any) -> Any:
        """`call()`, retried while the server is unreachable (for a minute at most)."""
        deadline = time.monotonic() + STARTUP_PATIENCE_SECONDS
        backoff = Backoff(first=0.5, cap=5.0)
        while True:
            try:
                return call()
            except ProctorClientError as error:
                if not is_transient(error) or time.monotonic() > deadline:
                    raise RunNotStarted(
                        f"Could not {what} {self.flow_run_id}: {error}", EXIT_UNREADABLE
                    ) from None
                logger.warning("Could not %s yet (%s); trying again", what, error)
                backoff.wait()


def load_registered_flow(context: FlowRunContext) -> Flow:
    """The flow of a registered version, from the storage it was registered with."""
    from proctor.core.errors import StorageError
    from proctor.core.storage import storage_from_dict

    flow_record = context.flow
    reference = flow_record.storage or context.spec.get("storage")
    if not reference:
        raise StorageError(
            f"Flow {flow_record.name!r} (version {flow_record.version}) was registered "
            "without a storage reference, so no agent can load its code. Register it with "
            "flow.register(project=...) or `proctor register FILE`, which record where "
            "the code lives."
        )
    # The 1.x storage kinds kept as metadata (Webhook, CodeCommit, ...) register themselves on
    # import, so that loading from one says what to use instead of "unknown type".
    import proctor.compat.storage  # noqa: F401

    storage = storage_from_dict(reference)
    try:
        return storage.load_flow(flow_record.name)
    except ProctorError as error:
        raise type(error)(
            f"Cannot load flow {flow_record.name!r} (version {flow_record.version}) from "
            f"{storage!r}: {error}"
        ) from error


def exit_code(state: State) -> int:
    if state.is_failed():
        return EXIT_FAILED
    if state.is_cancelled():
        return EXIT_CANCELLED
    return EXIT_OK


def _exit(code: int) -> None:
    """Leave at once: tasks still running in threads or workers are abandoned."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


__all__ = [
    "REPORTED_EXIT_CODES",
    "FlowRunProcess",
    "execute_flow_run",
    "exit_code",
    "load_registered_flow",
]
