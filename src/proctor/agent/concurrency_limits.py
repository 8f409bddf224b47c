"""`ServerTaskGate`: task-run concurrency limits enforced by the server, for run processes.

The engine asks the gate before starting a task run whose task carries a tag with a
limit (`proctor.core.concurrency_limits`). The gate reports the task run `Submitted`
*with its tags* (batched: every task run that became ready at once is one request)
through the run's reporter, in the same ordered stream as the other states: it reaches
the server only after every state reported before it, so the server always knows which
slots this run freed before it judges new ones. The server's transition engine takes
the slots in the same transaction as the state, or writes `Queued` with the reason
(`proctor.server.orchestration.concurrency_limits`); the answer says which.

A task run left `Queued` waits in the gate, and the gate reports it again: at once after
one of this run's own limited task runs finished (its slot just went back), else with a
backoff from `first` to `cap` seconds (slots freed by other runs are noticed within
`cap`).

A server of the previous version refuses states with tags: the gate then asks it with
`acquireTaskRunSlots` as before (the engine reports the states itself), whose answers
also carry the team's limited tags. A slot request that server refuses as a whole (a
permission problem) lets the task runs start: a run never hangs because limits could not
be checked (it is logged).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from proctor.agent import wire
from proctor.client import ProctorClientError
from proctor.core.concurrency_limits import Admission, TaskGate
from proctor.core.observers import TaskRunChange
from proctor.core.states import Submitted

if TYPE_CHECKING:
    from proctor.agent.reporter import Reporter
    from proctor.client import Client
    from proctor.core.flow import Flow
    from proctor.core.runner.unit import TaskRunUnit
    from proctor.core.states import State
    from proctor.core.task import Task

logger = logging.getLogger("proctor.agent.concurrency_limits")

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
        # Slots are asked for by reporting Submitted with the tags (the server's rule),
        # until a server of the previous version refuses that: then `acquireTaskRunSlots`.
        self.announces = True
        reporter.on_slots = self._answer
        reporter.on_claims = self._answer_claims

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
        claims = self.announces
        for key in keys:
            unit = self._waiting.get(key)
            if unit is None:
                continue
            self._asking.add(key)
            if claims:
                change = TaskRunChange(
                    unit.slug, unit.task.name, unit.map_index, Submitted(), unit.run_count
                )
                item = wire.task_run_change(self.flow_run_id, change)
            else:
                item = {"flowRunId": self.flow_run_id, "taskSlug": key[0], "mapIndex": key[1]}
            item["tags"] = sorted(unit.task.tags)
            items.append(item)
        if not items:
            return
        if claims:
            self.reporter.claim_slots(items)
        else:
            self.reporter.request_slots(items)

    def _answer_claims(
        self, items: list[dict[str, Any]], results: list[dict[str, Any]] | None
    ) -> None:
        """The reporter's thread hands over the server's answer to Submitted states with
        tags: written Submitted (granted), or Queued with the reason; None: the server
        refused them (a previous version): ask it the old way."""
        if results is None:
            with self._changed:
                if self.announces:
                    self.announces = False
                    logger.info(
                        "The server does not take concurrency slots with states; flow run %s "
                        "asks for them with acquireTaskRunSlots.",
                        self.flow_run_id,
                    )
                keys = [(item["taskSlug"], item["mapIndex"]) for item in items]
                self._asking.difference_update(keys)
                self._ask(keys)
            return
        answers: list[dict[str, Any] | None] = []
        for result in results:
            granted = bool(result.get("accepted")) and result.get("state") != "Queued"
            answers.append({"granted": granted, "reason": result.get("reason")})
        self._answer(items, {"results": answers}, report_queued=False)

    def _answer(
        self,
        items: list[dict[str, Any]],
        answer: dict[str, Any] | None,
        *,
        report_queued: bool = True,
    ) -> None:
        """The reporter's thread hands over the server's answer to `items`
        (`report_queued`: the engine reports the Queued states; else the server wrote them)."""
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
                    if not report_queued:
                        continue
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
