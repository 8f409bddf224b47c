"""`Agent`: claims due flow runs from the server and starts a process for each.

The loop, in one thread: reap the run processes that ended, and while fewer than
`max_runs` are in flight, ask the server to claim due runs whose labels this agent covers.
A claim is a long-poll (`wait_seconds`): the server answers as soon as a run becomes due,
so a run starts within a second of its time without polling every few seconds; claims are
atomic on the server, so two agents never start the same run. Each claimed run is handed
to the launcher (`proctor execute flow-run ID` in its own process) with the server's URL,
the agent id and the agent's `--env` values; a second thread heartbeats.

Stopping (SIGTERM, SIGINT, `stop()`): no more claims; running flows get `grace_seconds`
to finish; then they are sent SIGTERM, on which each re-queues its run for another agent,
and killed if they are still there a few seconds later. A run claimed but not started is
handed back to the queue.

A run process that dies without reporting is left to the server (its zombie killer fails
or retries the run once heartbeats stop); the agent logs it and notes it in the run's
logs, with the path of the process's output. Until a run it claimed is Running, the agent
heartbeats it itself (a container's image may take minutes to pull); from then on only
the run process does, so that a hung process still shows.

The launcher comes from the agent's type (local processes, Docker containers); each
claimed run's run config is read in one request for the claim, and a run whose config the
launcher cannot serve is failed with the reason. A launcher that cannot start anything
now (its daemon is down) stops the claims and is reported with the heartbeats.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from proctor.agent.backoff import Backoff, is_transient
from proctor.agent.execute import REPORTED_EXIT_CODES
from proctor.agent.launchers.base import (
    LaunchedRun,
    Launcher,
    LaunchError,
    LauncherUnavailable,
)
from proctor.client import LogRecord, ProctorClientError
from proctor.core.run_configs import run_config_env
from proctor.core.states import Failed, Scheduled

if TYPE_CHECKING:
    from proctor.client import Client, FlowRun

logger = logging.getLogger("proctor.agent")

# After SIGTERM, how long a run process gets to re-queue its run before it is killed.
TERMINATE_SECONDS = 10.0
REAP_SECONDS = 0.2


@dataclass
class InFlight:
    """One run this agent started."""

    run: FlowRun
    process: LaunchedRun
    started: float = field(default_factory=time.monotonic)


class Agent:
    """Runs flow runs from the server on this machine. `run()` blocks until stopped."""

    def __init__(
        self,
        client: Client,
        launcher: Launcher,
        *,
        name: str,
        labels: Sequence[str] = (),
        max_runs: int = 4,
        env: Mapping[str, str] | None = None,
        claim_wait_seconds: float = 5.0,
        heartbeat_seconds: float = 10.0,
        grace_seconds: float = 60.0,
    ) -> None:
        self.client = client
        self.launcher = launcher
        self.name = name
        self.labels = sorted(set(labels))
        self.max_runs = max_runs
        self.env = dict(env or {})
        self.claim_wait_seconds = claim_wait_seconds
        self.heartbeat_seconds = heartbeat_seconds
        self.grace_seconds = grace_seconds
        self.agent_id: str | None = None
        self.stopped_by = "stop()"
        self.in_flight: dict[str, InFlight] = {}
        self.started_runs = 0
        # What keeps the launcher from starting runs (its daemon is down), else None.
        self.problem: str | None = None
        # Runs claimed and not yet seen Running: the agent heartbeats them itself while
        # they start (an image pull can outlast Lazarus's patience), never after.
        self._starting: set[str] = set()
        self._stop = threading.Event()
        self._heartbeat_thread: threading.Thread | None = None
        self._lock = threading.Lock()  # guards in_flight: the reaper thread ends entries
        self._reaping = threading.Lock()  # held while ended runs are reported, cleaned up
        self._slot_freed = threading.Event()

    # -- life cycle ----------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop claiming and begin the shutdown (safe from signal handlers and threads)."""
        self._stop.set()

    def install_signal_handlers(self) -> None:
        """SIGTERM/SIGINT stop the agent; a second one stops its running flows at once.

        The handler only sets flags (logging from a signal handler can deadlock)."""

        def handler(signum: int, frame: object) -> None:
            if self._stop.is_set():
                self.grace_seconds = 0
            self.stopped_by = signal.Signals(signum).name
            self._stop.set()

        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)

    def run(self) -> None:
        self._register()
        if self._stop.is_set():
            return
        assert self.agent_id is not None
        self.launcher.identify(self.agent_id, self.name)
        self.launcher.prepare()
        self._adopt()
        self._heartbeat_thread = threading.Thread(
            target=self._heartbeats, name="proctor-agent-heartbeat", daemon=True
        )
        self._heartbeat_thread.start()
        threading.Thread(target=self._reaper, name="proctor-agent-reaper", daemon=True).start()
        logger.info(
            "Agent %r (%s) is waiting for runs with labels %s, up to %d at a time",
            self.name,
            self.agent_id,
            self.labels or "(none)",
            self.max_runs,
        )
        backoff = Backoff(first=0.5, cap=10.0, stop=self._stop)
        while not self._stop.is_set():
            free = self.max_runs - len(self.in_flight)
            if free <= 0:
                self._slot_freed.wait(1.0)
                self._slot_freed.clear()
                continue
            if not self._launcher_ready():
                backoff.wait()  # claim nothing it could not start
                continue
            try:
                runs = self._claim(free)
            except ProctorClientError as error:
                if not is_transient(error):
                    raise
                logger.warning("Cannot claim runs (%s); trying again", error)
                backoff.wait()
                continue
            backoff.reset()
            self._launch_all(runs)
        self._shutdown()

    def _launcher_ready(self) -> bool:
        """Whether the launcher can start runs now; its problem is logged once and
        reported with the heartbeats until it clears."""
        problem = self.launcher.problem()
        if problem != self.problem:
            if problem is None:
                logger.info("The launcher can start runs again")
            else:
                logger.error("Cannot start runs: %s; claiming none until it clears", problem)
            self.problem = problem
            self._report_health()
        return problem is None

    # -- the server side -------------------------------------------------------------------------

    def _register(self) -> None:
        from proctor._version import __version__

        backoff = Backoff(first=0.5, cap=10.0, stop=self._stop)
        while not self._stop.is_set():
            try:
                agent = self.client.register_agent(self.name, self.labels, version=__version__)
            except ProctorClientError as error:
                if not is_transient(error):
                    raise
                logger.warning("Cannot register with the server (%s); trying again", error)
                backoff.wait()
                continue
            self.agent_id = agent.id
            return

    def _claim(self, limit: int) -> list[FlowRun]:
        assert self.agent_id is not None
        runs: list[FlowRun] = self.client.claim_flow_runs(
            self.agent_id, self.labels, limit=limit, wait_seconds=self.claim_wait_seconds
        )
        return runs

    def _heartbeats(self) -> None:
        failing = False
        while not self._stop.wait(self.heartbeat_seconds):
            try:
                self._beat()
                failing = False
            except ProctorClientError as error:
                if not failing:
                    logger.warning("Agent heartbeat failed: %s", error)
                failing = True

    def _beat(self) -> None:
        assert self.agent_id is not None
        self.client.agent_heartbeat(self.agent_id, problem=self.problem)
        self._beat_starting()

    def _beat_starting(self) -> None:
        """Heartbeat the runs still starting, so that Lazarus does not re-queue a run whose
        container is being pulled or created; each stops once the server has it past
        Submitted (its own process heartbeats from then on, and a hung one must show)."""
        with self._lock:
            starting = sorted(self._starting)
        if not starting:
            return
        answered = {run.id: run.state for run in self.client.heartbeat_flow_runs(starting)}
        with self._lock:
            for run_id in starting:
                if answered.get(run_id) != "Submitted":
                    self._starting.discard(run_id)

    def _report_health(self) -> None:
        """Tell the server at once that the launcher's problem appeared or cleared."""
        try:
            self._beat()
        except ProctorClientError as error:
            logger.debug("Could not report the agent's health: %s", error)

    def _hand_back(self, run: FlowRun, why: str) -> None:
        self._set_state(run, Scheduled(f"Handed back by agent {self.name}: {why}"))
        logger.info("Handed run %s back to the queue (%s)", run.id, why)

    def _set_state(self, run: FlowRun, state: Failed | Scheduled) -> None:
        from proctor.agent import wire

        with self._lock:
            self._starting.discard(run.id)

        change = wire.flow_run_state_change(run.id, state, agent_id=self.agent_id)
        try:
            self.client.set_flow_run_states([change])
        except ProctorClientError as error:
            logger.error("Could not set run %s %s: %s", run.id, state.name, error)

    # -- processes -------------------------------------------------------------------------------

    def _launch_all(self, runs: list[FlowRun]) -> None:
        """Start the claimed runs, each with its run config (one request for all)."""
        if not runs:
            return
        try:
            found = self.client.flow_run_configs([run.id for run in runs])
        except ProctorClientError as error:
            logger.warning("Cannot read the run configs (%s); handing the runs back", error)
            for run in runs:
                self._hand_back(run, f"its run config could not be read: {error}")
            return
        configs = {item.flow_run_id: item.run_config for item in found}
        with self._lock:
            self._starting.update(run.id for run in runs)
        for run in runs:
            if self._stop.is_set():
                self._hand_back(run, "the agent is stopping")
            else:
                self._launch(run, configs.get(run.id, {}))

    def _launch(self, run: FlowRun, run_config: dict[str, Any] | None = None) -> None:
        refusal = self.launcher.refusal(run_config)
        if refusal is not None:
            logger.error("Run %s: %s", run.id, refusal)
            self._set_state(run, Failed(f"Agent {self.name} cannot start this run: {refusal}"))
            return
        env = {
            **self.env,
            **run_config_env(run_config),  # the flow's (and the run's) own wins
            "PROCTOR_API_URL": self.client.config.api_url,
            "PROCTOR_AGENT_ID": self.agent_id or "",
        }
        if self.client.config.api_key:  # the run reports with the agent's own key
            env["PROCTOR_API_KEY"] = self.client.config.api_key
        try:
            process = self.launcher.launch(run.id, env, run_config)
        except LauncherUnavailable as error:
            self.problem = str(error)
            self._hand_back(run, str(error))
            self._report_health()
            return
        except LaunchError as error:
            logger.error("Could not start run %s: %s", run.id, error)
            self._set_state(run, Failed(f"Agent {self.name} could not start the run: {error}"))
            return
        except OSError as error:
            logger.error("Could not start a process for run %s: %s", run.id, error)
            self._set_state(run, Failed(f"Agent {self.name} could not start its process: {error}"))
            return
        with self._lock:
            self.in_flight[run.id] = InFlight(run, process)
        self.started_runs += 1
        logger.info(
            "Started run %s (%s of flow %s) in %s",
            run.name,
            run.id,
            run.flow_name or run.flow_id,
            process.describe(),
        )

    def _adopt(self) -> None:
        """Keep watching the runs a crash of this agent left running (containers)."""
        for process in self.launcher.adopt():
            try:
                run = self.client.get_flow_run(process.flow_run_id)
            except ProctorClientError as error:
                logger.warning(
                    "Run %s of an adopted %s: %s", process.flow_run_id, process.describe(), error
                )
                process.kill()
                process.cleanup(1)
                continue
            with self._lock:
                self.in_flight[run.id] = InFlight(run, process)
            logger.info("Watching run %s again (%s)", run.id, process.describe())

    def _reaper(self) -> None:
        """Notice ended run processes promptly, whatever the main loop is waiting for."""
        while True:
            try:
                self._reap()
            except Exception:  # one bad report must not stop the reaping of the others
                logger.exception("Reaping run processes failed")
            if self._stop.is_set() and not self.in_flight:
                return
            time.sleep(REAP_SECONDS)

    def _reap(self) -> None:
        # One reap at a time, reporting and cleanup included: the reaper thread may have
        # taken an ended run out of `in_flight` and still be removing its container when
        # the agent shuts down, and the shutdown's own reap waits for it here.
        with self._reaping:
            self._reap_ended()

    def _reap_ended(self) -> None:
        with self._lock:
            ended = [
                (entry, code)
                for entry in self.in_flight.values()
                if (code := entry.process.poll()) is not None
            ]
            for entry, _ in ended:
                del self.in_flight[entry.run.id]
                self._starting.discard(entry.run.id)
        if ended:
            self._slot_freed.set()
        for entry, code in ended:
            run_id = entry.run.id
            seconds = time.monotonic() - entry.started
            # First: did it start at all? (A container that could not start ends with
            # the docker command's own exit code, which may look like a reported one.)
            if (failure := entry.process.start_failure()) is not None:
                logger.error("Run %s: %s", run_id, failure)
                self._set_state(entry.run, Failed(f"Agent {self.name}: {failure}"))
            elif code in REPORTED_EXIT_CODES:  # the process reported the outcome itself
                logger.info("Run %s ended (exit code %d) after %.1f s", run_id, code, seconds)
            else:
                self._note_crash(entry, code)
            entry.process.cleanup(code)

    def _note_crash(self, entry: InFlight, code: int) -> None:
        how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
        where = getattr(entry.process, "log", None)
        message = (
            f"The {entry.process.describe()} ended with {how} without reporting "
            "how the run ended; the server fails or retries the run once its heartbeats "
            "stop." + (f" Its output is in {where} on agent {self.name}." if where else "")
        )
        logger.warning("Run %s: %s", entry.run.id, message)
        try:
            self.client.write_logs(
                [LogRecord(flow_run_id=entry.run.id, message=message, level=logging.WARNING)]
            )
        except ProctorClientError as error:
            logger.debug("Could not write the crash note: %s", error)

    def _shutdown(self) -> None:
        if self.in_flight:
            logger.info(
                "Stopping (%s): no new runs; waiting up to %g s for %d running flow(s) "
                "(signal again to stop them now)",
                self.stopped_by,
                self.grace_seconds,
                len(self.in_flight),
            )
        self._reap_for(self.grace_seconds)
        if self.in_flight:
            logger.warning(
                "Stopping %d flow run(s) still running; they re-queue themselves",
                len(self.in_flight),
            )
            for entry in list(self.in_flight.values()):
                entry.process.terminate()
            self._reap_for(TERMINATE_SECONDS)
            for entry in list(self.in_flight.values()):
                entry.process.kill()
            # A killed container ends a moment after `docker kill` returns: reap it (and
            # remove it) rather than leave it for the agent's next start.
            self._reap_for(TERMINATE_SECONDS)
        # Also when nothing is left in flight: a run the reaper thread took is only done
        # once it is reported and cleaned up (its container removed).
        self._reap()
        self._say_stopped()
        logger.info("Agent %r stopped after starting %d run(s)", self.name, self.started_runs)

    def _reap_for(self, seconds: float) -> None:
        """Reap until nothing is in flight, for at most `seconds`."""
        deadline = time.monotonic() + seconds
        while self.in_flight and time.monotonic() < deadline:
            self._reap()
            time.sleep(REAP_SECONDS)

    def _say_stopped(self) -> None:
        """Tell the server this was a clean stop: the agent shows as stopped, not as
        unhealthy (and raises no alert). Best effort: a server that is down learns it from
        the missing heartbeats instead."""
        from proctor.client.agent_lifecycle import stop_agent

        if self.agent_id is None:
            return
        # A heartbeat the server records after the stop means "restarted", so the last one
        # in flight must land first (the thread sends no more once `_stop` is set).
        if self._heartbeat_thread is not None:
            self._heartbeat_thread.join(self.client.config.timeout + 1.0)
        try:
            self.client.execute(stop_agent(self.agent_id))
        except ProctorClientError as error:
            logger.warning("Could not tell the server the agent stopped: %s", error)


__all__ = ["Agent", "InFlight"]
