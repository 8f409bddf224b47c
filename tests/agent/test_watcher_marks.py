"""The run process's watcher, with a stand-in for the server's answers: a cancellation
calls `on_cancel` once; another finished state (a mark by hand) calls `on_finished` once
with that state; a run still running calls neither."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from proctor.agent.watcher import RunWatcher


class States:
    """Answers `flowRun { state }` with the given states in turn, the last one after."""

    def __init__(self, *states: str) -> None:
        self.states = list(states)
        self.reads = 0
        self.read_all = threading.Event()

    def query(self, document: str, variables: dict[str, Any]) -> dict[str, Any]:
        self.reads += 1
        state = self.states[min(self.reads, len(self.states)) - 1]
        if self.reads >= len(self.states) + 3:
            self.read_all.set()
        return {"flowRun": {"state": state}}

    def heartbeat_flow_runs(self, ids: list[str]) -> list[Any]:
        return []


def watch(states: States) -> tuple[list[str], list[str]]:
    cancelled: list[str] = []
    finished: list[str] = []
    watcher = RunWatcher(
        states,  # type: ignore[arg-type]
        "run-1",
        lambda: cancelled.append("cancel"),
        heartbeat_seconds=3600,
        cancel_check_seconds=0.01,
        on_finished=finished.append,
    ).start()
    try:
        assert states.read_all.wait(30), "the watcher stopped reading"
    finally:
        watcher.stop()
    return cancelled, finished


@pytest.mark.parametrize("state", ["Failed", "Success", "Skipped", "TriggerFailed"])
def test_a_run_finished_from_outside_is_reported_once(state):
    assert watch(States("Running", "Running", state)) == ([], [state])


def test_a_cancellation_is_not_reported_as_a_mark():
    assert watch(States("Running", "Cancelling", "Cancelled")) == (["cancel"], [])


def test_a_running_run_calls_neither():
    assert watch(States("Running", "Running")) == ([], [])
