"""`ServerTaskGate`: task-run concurrency limits enforced by the server, for run processes.

The engine asks the gate before starting a task run whose task carries a tag with a
limit (`proctor.core.gates`). The gate asks the server for the slots (batched: every task
run that became ready at once is one request) *through the run's reporter*, in the same
ordered stream as the states: a request reaches the server only after every state
reported before it, so the server always knows which slots this run freed before it is
asked for new ones.

A task run the server refuses (no free slot: `QUEUED`) waits in the gate; the engine
reports it `Queued`, and the gate asks again: at once after one of this run's own limited
task runs finished (its slot just went back), else with a backoff from `first` to `cap`
seconds (slots freed by other runs are noticed within `cap`). The answers also carry the
team's limited tags, so a limit set while the run runs applies to task runs that become
ready afterwards.

A request the server refuses as a whole (an old server, a permission problem) lets the
task runs start: a run never hangs because limits could not be checked (it is logged).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from proctor.client import ProctorClientError
from proctor.core.gates import Admission, TaskGate

if TYPE_CHECKING:
    from proctor.agent.reporter import Reporter
    from proctor.client import Client
    from proctor.core.flow import Flow
    from proctor.core.runner.unit import TaskRunUnit
    from proctor.core.states import State
    from proctor.core.task import Task

logger = logging.getLogger("proctor.agent.slots")

Key = tuple[str, int]


def _key(unit: TaskRunUnit) -> Key:
    return unit.slug, -1 if unit.map_index is None else unit.map_index


class ServerTaskGate(TaskGate):
    """Admits task runs as the server grants them slots (see the module docstring)."""

    def __init__(
        self,
        reporter: Reporter,
        flow_run_id: str,
        limited_tags: frozenset[str],
        *,
        first: float = 0.2,
        cap: float = 1.0,
    ) -> None:
        self.reporter = reporter
        self.flow_run_id = flow_run_id
        self.limited_tags = limited_tags
        self.first = first
        self.cap = cap
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._waiting: dict[Key, TaskRunUnit] = {}  # requested, not admitted yet
        self._asking: set[Key] = set()  # a request is on its way
        self._refused: set[Key] = set()  # refused, to ask again
        self._reported: set[Key] = set()  # already reported Queued for this wait
        self._admitted: set[Key] = set()  # holding slots now
        self._granted: list[TaskRunUnit] = []
        self._queued: list[tuple[TaskRunUnit, str]] = []
        self._delay = first
        self._next_ask = 0.0
        self._failed_open = False
        reporter.on_slots = self._answer

    # -- the engine's side (flow runner thread) ---------------------------------------------

    def applies_to(self, task: Task) -> bool:
        return not task.tags.isdisjoint(self.limited_tags)

    def request(self, units: list[TaskRunUnit]) -> None:
        with self._lock:
            for unit in units:
                self._waiting[_key(unit)] = unit
            self._ask([_key(unit) for unit in units])

    def poll(self, timeout: float) -> Admission:
        with self._changed:
            if timeout > 0 and not (self._granted or self._queued) and self._waiting:
                self._changed.wait(timeout)
            if self._refused and time.monotonic() >= self._next_ask:
                again = sorted(self._refused - self._asking)
                self._refused.clear()
                self._ask(again)
                self._next_ask = time.monotonic() + self._delay
                self._delay = min(self._delay * 2, self.cap)
            granted, queued = self._granted, self._queued
            self._granted, self._queued = [], []
        return granted, queued

    def release(self, unit: TaskRunUnit, state: State) -> None:
        key = _key(unit)
        with self._lock:
            if key in self._admitted:
                self._admitted.discard(key)
                # Its slot goes back with this state (reported before the next request):
                # ask for the waiting ones again now rather than after the backoff.
                self._next_ask = 0.0
                self._delay = self.first

    @property
    def waiting(self) -> int:
        # Granted ones count until `poll` hands them over: the walk must not end while
        # the reporter's thread has just admitted a task run it has not seen yet.
        with self._lock:
            return len(self._waiting) + len(self._granted)

    def close(self) -> None:
        with self._lock:
            self._waiting.clear()
            self._refused.clear()
            self._reported.clear()
            self._granted, self._queued = [], []

    # -- talking to the server (through the reporter) -----------------------------------------

    def _ask(self, keys: list[Key]) -> None:
        items = []
        for key in keys:
            unit = self._waiting.get(key)
            if unit is None:
                continue
            self._asking.add(key)
            items.append(
                {
                    "flowRunId": self.flow_run_id,
                    "taskSlug": key[0],
                    "mapIndex": key[1],
                    "tags": sorted(unit.task.tags),
                }
            )
        if items:
            self.reporter.request_slots(items)

    def _answer(self, items: list[dict[str, Any]], answer: dict[str, Any] | None) -> None:
        """The reporter's thread hands over the server's answer to `items`."""
        results: list[dict[str, Any] | None] = [None] * len(items)
        if answer is not None:
            got: list[dict[str, Any] | None] = list(answer.get("results") or ())
            results = got + results[len(got) :]
            tags = answer.get("limitedTags")
            if tags is not None:
                self.limited_tags = frozenset(tags)
        elif not self._failed_open:
            self._failed_open = True
            logger.error(
                "The server refused a concurrency-slot request; task runs of flow run %s "
                "start without waiting for slots.",
                self.flow_run_id,
            )
        with self._changed:
            for item, result in zip(items, results, strict=True):
                key = (item["taskSlug"], item["mapIndex"])
                self._asking.discard(key)
                unit = self._waiting.get(key)
                if unit is None:
                    continue  # the walk ended meanwhile
                if result is None or result.get("granted"):
                    del self._waiting[key]
                    self._reported.discard(key)
                    self._admitted.add(key)
                    self._granted.append(unit)
                    continue
                self._refused.add(key)
                if key not in self._reported:
                    self._reported.add(key)
                    reason = result.get("reason") or "Waiting for a concurrency slot"
                    self._queued.append((unit, reason))
            self._changed.notify_all()


def task_gate_for(
    flow: Flow, client: Client, reporter: Reporter, flow_run_id: str
) -> TaskGate | None:
    """The gate of a run process: None unless a task of `flow` carries a tag with a limit
    (one question to the server, asked only when some task has tags)."""
    tags = {tag for node in flow.get_tasks() for tag in node.tags}
    if not tags:
        return None
    try:
        limited = frozenset(client.acquire_task_run_slots([]).limited_tags)
    except ProctorClientError as error:
        logger.warning("Could not read the concurrency limits (%s); tags are not limited.", error)
        return None
    if limited.isdisjoint(tags):
        return None
    return ServerTaskGate(reporter, flow_run_id, limited)


__all__ = ["ServerTaskGate", "task_gate_for"]
