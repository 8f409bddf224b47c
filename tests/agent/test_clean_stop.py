"""A cleanly stopped agent shows as STOPPED even when a heartbeat was on its way as the
stop came: the server reads a heartbeat recorded after the stop as a restart, so the
agent must let its last heartbeat land before it says it stopped."""

from __future__ import annotations

import threading
from typing import Any

from proctor.agent.agent import Agent
from proctor.agent.launchers import LocalLauncher
from proctor.client import Client
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
