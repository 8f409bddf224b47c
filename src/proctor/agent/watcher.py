"""`RunWatcher`: a run process's line to the server while the flow runs.

Two jobs on one small thread: heartbeats (every `heartbeat_seconds`), which tell the
server's zombie killer the process is alive and answer with the run's current state; and,
in between, a cheap read of the run's state every `cancel_check_seconds`, so that a
cancellation asked for in the UI or CLI reaches the process within about a second without
a heartbeat write every second. Seeing `Cancelling` (or `Cancelled`) calls `on_cancel`
once. Seeing another finished state (the run was marked Success, Failed or Skipped by
hand while it ran) calls `on_finished(state)` once: the process stops as for a
cancellation, unless that state is its own. An unreachable server only delays both; the
reporter keeps the states meanwhile.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from proctor.client import ProctorClientError
from proctor.core.states import STATE_TYPES, Finished

if TYPE_CHECKING:
    from proctor.client import Client

logger = logging.getLogger("proctor.agent.watcher")

STATE_QUERY = "query ($id: ID!) { flowRun(id: $id) { state } }"
CANCEL_STATES = frozenset({"Cancelling", "Cancelled"})
FINISHED_NAMES = frozenset(name for name, kind in STATE_TYPES.items() if issubclass(kind, Finished))


class RunWatcher:
    def __init__(
        self,
        client: Client,
        flow_run_id: str,
        on_cancel: Callable[[], None],
        *,
        heartbeat_seconds: float = 10.0,
        cancel_check_seconds: float = 1.0,
        on_finished: Callable[[str], None] | None = None,
    ) -> None:
        self.client = client
        self.flow_run_id = flow_run_id
        self.on_cancel = on_cancel
        self.on_finished = on_finished
        self.heartbeat_seconds = heartbeat_seconds
        self.cancel_check_seconds = cancel_check_seconds
        self.cancelled = False
        self.heartbeats = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="proctor-watcher", daemon=True)

    def start(self) -> RunWatcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        # Setting the run Running and every report refresh its heartbeat on the server, so
        # the first beat and the first look can wait: a short run costs no extra request.
        next_beat = time.monotonic() + self.heartbeat_seconds
        unreachable = False
        while not self._stop.wait(min(self.cancel_check_seconds, self.heartbeat_seconds)):
            now = time.monotonic()
            try:
                if now >= next_beat:
                    state = self._heartbeat()
                    next_beat = now + self.heartbeat_seconds
                else:
                    state = self._state()
                if unreachable:
                    logger.info("The server answers again")
                    unreachable = False
            except ProctorClientError as error:
                if not unreachable:
                    logger.warning("Cannot reach the server for heartbeats: %s", error)
                    unreachable = True
                state = None
            if state in CANCEL_STATES and not self.cancelled:
                self.cancelled = True
                self.on_cancel()
                # Said once the engine was told: from this line on no task run starts.
                logger.warning(
                    "Cancellation requested: no new task run starts; stopping flow run %s",
                    self.flow_run_id,
                )
            elif state in FINISHED_NAMES and not self.cancelled and self.on_finished is not None:
                self.cancelled = True
                self.on_finished(state)

    def _heartbeat(self) -> str | None:
        runs = self.client.heartbeat_flow_runs([self.flow_run_id])
        self.heartbeats += 1
        return runs[0].state if runs else None

    def _state(self) -> str | None:
        data = self.client.query(STATE_QUERY, {"id": self.flow_run_id})
        run = data.get("flowRun")
        return run.get("state") if isinstance(run, dict) else None


__all__ = ["RunWatcher"]
