"""A clean stop finishes what is on its way before the agent says it stopped: a heartbeat
in flight (the server reads a heartbeat recorded after the stop as a restart, so the
agent would show as restarted, not STOPPED), and a run the reaper thread is reporting and
cleaning up (a container the agent would leave behind)."""

from __future__ import annotations

import threading
import time
from typing import Any

from proctor.agent.agent import Agent, InFlight
from proctor.agent.launchers import LocalLauncher
from proctor.agent.launchers.base import LaunchedRun
from proctor.client import Client, FlowRun
from proctor.client._wire import Operation
from proctor.client.agent_lifecycle import stop_agent


class SaysWhenStopSent(Client):
    """A client that tells the test once the agent's "I stopped" has been answered."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.stop_answered = threading.Event()

    def execute(self, operation: Operation[Any]) -> Any:
        answer = super().execute(operation)
        if operation.document == stop_agent("x").document:
            self.stop_answered.set()
        return answer


class BeatInFlightAtStop(Agent):
    """Its heartbeat thread is mid-beat when the stop comes, and the beat reaches the
    server as late as it can: after the stop was answered, or a while later."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.beating = threading.Event()
        self.late_beats = 0

    def _beat(self) -> None:
        self.beating.set()
        self._stop.wait()
        assert isinstance(self.client, SaysWhenStopSent)
        # With the stop already answered, this beat would undo it; an agent that waits for
        # its beat first leaves this wait to end on its timeout.
        self.client.stop_answered.wait(5.0)
        self.late_beats += 1
        super()._beat()


def test_a_heartbeat_in_flight_at_the_stop_lands_before_the_agent_says_stopped(server, tmp_path):
    with SaysWhenStopSent(server.url) as client:
        agent = BeatInFlightAtStop(
            client,
            LocalLauncher(preload=False),
            name="stops-mid-beat",
            heartbeat_seconds=0.2,
            claim_wait_seconds=0.5,
        )
        running = threading.Thread(target=agent.run, daemon=True)
        running.start()
        assert agent.beating.wait(60), "the agent never heartbeat"
        agent.stop()
        running.join(60)
        assert not running.is_alive(), "the agent did not stop"
        assert agent.late_beats == 1
        assert client.stop_answered.is_set()
        health = {a.name: a.health for a in client.list_agents()}
        assert health["stops-mid-beat"] == "STOPPED", health


class EndsWhileTheAgentStops(LaunchedRun):
    """A run process that has ended; asking why it ended (what `docker inspect` does for a
    container) takes until the test lets it answer."""

    flow_run_id = "not-a-real-run"

    def __init__(self, order: list[str]) -> None:
        self.order = order
        self.inspecting = threading.Event()
        self.answer = threading.Event()

    @property
    def pid(self) -> int | None:
        return None

    def poll(self) -> int | None:
        return 0  # it reported how its run ended and exited

    def terminate(self) -> None:
        raise AssertionError("an ended process is not stopped")

    def kill(self) -> None:
        raise AssertionError("an ended process is not killed")

    def start_failure(self) -> str | None:
        self.inspecting.set()
        self.answer.wait(60)
        return None

    def cleanup(self, exit_code: int) -> None:
        self.order.append("cleaned up")


class RecordsItsStop(Agent):
    def __init__(self, order: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order = order

    def _say_stopped(self) -> None:
        self.order.append("said stopped")
        super()._say_stopped()


def test_a_run_the_reaper_is_cleaning_up_is_cleaned_up_before_the_agent_stops(server):
    """The reaper thread takes an ended run out of `in_flight` before it reports and
    cleans it up (removes its container); an agent stopping meanwhile must wait for that,
    or it exits and leaves the container behind (seen beside a CPU hog)."""
    order: list[str] = []
    process = EndsWhileTheAgentStops(order)
    with Client(server.url) as client:
        agent = RecordsItsStop(
            order,
            client,
            LocalLauncher(preload=False),
            name="stops-while-reaping",
            heartbeat_seconds=0.2,
            claim_wait_seconds=0.5,
        )
        running = threading.Thread(target=agent.run, daemon=True)
        running.start()
        run = FlowRun.model_construct(id="not-a-real-run")
        with agent._lock:
            agent.in_flight[run.id] = InFlight(run, process)
        assert process.inspecting.wait(60), "the reaper never looked at the ended run"
        agent.stop()
        # An agent that does not wait says it stopped within moments; give it that chance
        # before the inspection may answer (one that waits cannot say it before).
        deadline = time.monotonic() + 3
        while "said stopped" not in order and time.monotonic() < deadline:
            time.sleep(0.05)
        process.answer.set()
        running.join(60)
        assert not running.is_alive(), "the agent did not stop"
        assert order == ["cleaned up", "said stopped"], order
