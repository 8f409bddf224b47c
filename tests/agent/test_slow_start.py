"""A run whose start takes longer than Lazarus's patience (a container image being
pulled) is not re-queued meanwhile: the agent heartbeats it until it is Running.

Lazarus already waits `SUBMITTED_PATIENCE` times its `after` for a Submitted run of a
live agent; the start here takes longer than that, so only the agent's heartbeats of its
starting runs keep the run from being handed back."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Mapping
from typing import Any

import pytest
from tests.agent.processes import FAST_SERVER, FLOWS, wait_until

from proctor.agent.agent import Agent
from proctor.agent.launchers import LaunchedRun, Launcher, LocalLauncher
from proctor.core.loader import load_flows_from_path
from proctor.server.services.lazarus import SUBMITTED_PATIENCE

pytestmark = pytest.mark.slow

LAZARUS_AFTER = float(FAST_SERVER["PROCTOR_SERVER_SERVICES_LAZARUS_AFTER_SECONDS"])
START_SECONDS = (SUBMITTED_PATIENCE + 2) * LAZARUS_AFTER


class SlowStart(Launcher):
    """Takes longer than Lazarus's patience to start each run, like a long image pull."""

    def __init__(self, home: str) -> None:
        self.inner = LocalLauncher(preload=False)
        self.home = home

    def launch(
        self, flow_run_id: str, env: Mapping[str, str], run_config: Mapping[str, Any] | None = None
    ) -> LaunchedRun:
        time.sleep(START_SECONDS)
        return self.inner.launch(flow_run_id, {**env, "PROCTOR_HOME": self.home}, run_config)


def test_a_run_that_is_slow_to_start_is_not_requeued_meanwhile(server, client, tmp_path):
    flow = load_flows_from_path(FLOWS / "simple.py")["hello"]
    flow_id = flow.register(f"p-{uuid.uuid4().hex[:8]}", api_url=server.url).flow.id
    agent = Agent(
        client,
        SlowStart(str(tmp_path)),
        name="slow-starter",
        heartbeat_seconds=1.0,
        claim_wait_seconds=1.0,
        grace_seconds=30,
    )
    thread = threading.Thread(target=agent.run, daemon=True)
    thread.start()
    try:
        run_id = client.create_flow_run(flow_id, parameters={"who": "slow"}).id
        run = wait_until(
            lambda: (r := client.get_flow_run(run_id)).state in {"Success", "Failed"} and r,
            120,
            "the slow run to finish",
        )
    finally:
        agent.stop()
        thread.join(timeout=60)
    assert run.state == "Success", run.state_message
    # Claimed once, started once: Lazarus never handed it back while it was starting.
    assert [s.state for s in run.states] == ["Scheduled", "Submitted", "Running", "Success"]
