"""Concurrency limits in the engine: task gates, which hold back task runs until a slot
(one unit of a concurrency limit) is theirs.

A `FlowRunner` given a gate asks it, for each ready task run whose task the gate
`applies_to` (typically: the task has a tag with a concurrency limit), whether it may
start. Task runs the gate holds back wait in the gate, not in the executor, so they
occupy no worker thread or process, mapped children included, and the flow runner keeps
running everything else meanwhile. The runner reports a held-back task run `Queued` and
tells the gate when its attempt ended (`release`), whatever the executor.

A runner without a gate (the default, and every local `flow.run`) never looks at tags:
gating costs nothing unless asked for.

- `LocalTaskGate({"db": 2})` enforces limits within one flow run, in this process.
- The run process of an agent-launched run uses a gate whose slots are granted by the
  server (`proctor.agent.concurrency_limits`), so limits hold across every run of a team.

(`proctor.core.concurrency_limits`, the module's former name, is kept for the imports in the docs.)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from proctor.core.runner.unit import TaskRunUnit
    from proctor.core.states import State
    from proctor.core.task import Task

#: What `TaskGate.poll` returns: task runs that may start now, and task runs newly held
#: back with the message their `Queued` state carries.
Admission = tuple[list["TaskRunUnit"], list[tuple["TaskRunUnit", str]]]


class TaskGate(ABC):
    """Base of gates. Called from the flow runner's thread only, except where noted."""

    #: True when the gate itself reported the task runs it admits Submitted (the server
    #: judged that state against the limits), so the engine does not report it again.
    announces: bool = False

    @abstractmethod
    def applies_to(self, task: Task) -> bool:
        """Whether task runs of `task` must be admitted by this gate before they start."""

    @abstractmethod
    def request(self, units: list[TaskRunUnit]) -> None:
        """Ask for slots for these task runs (without waiting for the answer)."""

    @abstractmethod
    def poll(self, timeout: float) -> Admission:
        """Task runs that may start now, and those newly told to wait. Waits up to
        `timeout` seconds when nothing changed and task runs are waiting."""

    @abstractmethod
    def release(self, unit: TaskRunUnit, state: State) -> None:
        """The attempt of `unit` ended in `state` (finished, retrying, paused): free its
        slots. Called for every completed task run; a unit the gate never admitted is
        ignored."""

    @property
    @abstractmethod
    def waiting(self) -> int:
        """How many requested task runs `poll` has not handed back yet (the flow run is
        not over while there are any)."""

    def close(self) -> None:  # noqa: B027 - an optional hook, not abstract
        """The walk over the graph ended: forget task runs still waiting."""


class LocalTaskGate(TaskGate):
    """Concurrency limits within this process: at most `limits[tag]` task runs carrying
    `tag` run at once (a task with several limited tags needs a slot of each). Waiting
    task runs are admitted oldest first; one that cannot start does not hold back a
    later one whose tags have room."""

    def __init__(self, limits: Mapping[str, int]) -> None:
        for tag, limit in limits.items():
            if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
                raise ValueError(
                    f"The limit of tag {tag!r} must be a whole number of 1 or more, "
                    f"got {limit!r}: a local run with a limit of 0 would never finish."
                )
        self.limits = dict(limits)
        self.in_use = dict.fromkeys(self.limits, 0)
        self._waiting: deque[TaskRunUnit] = deque()
        self._new: list[TaskRunUnit] = []
        self._held: dict[int, tuple[str, ...]] = {}

    def applies_to(self, task: Task) -> bool:
        return not task.tags.isdisjoint(self.limits)

    def request(self, units: list[TaskRunUnit]) -> None:
        self._waiting.extend(units)
        self._new.extend(units)

    def poll(self, timeout: float) -> Admission:
        # Slots only free up in `release`, on this same thread: nothing to wait for here.
        granted: list[TaskRunUnit] = []
        still: deque[TaskRunUnit] = deque()
        limits, in_use = self.limits, self.in_use
        for unit in self._waiting:
            tags = tuple(tag for tag in unit.task.tags if tag in limits)
            if all(in_use[tag] < limits[tag] for tag in tags):
                for tag in tags:
                    in_use[tag] += 1
                self._held[id(unit)] = tags
                granted.append(unit)
            else:
                still.append(unit)
        self._waiting = still
        held_back = {id(unit) for unit in still}
        queued = [(unit, self._message(unit)) for unit in self._new if id(unit) in held_back]
        self._new = []
        return granted, queued

    def release(self, unit: TaskRunUnit, state: State) -> None:
        tags = self._held.pop(id(unit), None)
        if tags:
            for tag in tags:
                self.in_use[tag] -= 1

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def close(self) -> None:
        self._waiting.clear()
        self._new = []

    def _message(self, unit: TaskRunUnit) -> str:
        full = sorted(
            tag
            for tag in unit.task.tags
            if tag in self.limits and self.in_use[tag] >= self.limits[tag]
        )
        return "Waiting for a concurrency slot: " + ", ".join(
            f"{tag} ({self.in_use[tag]} of {self.limits[tag]} in use)" for tag in full
        )

    def __repr__(self) -> str:
        return f"LocalTaskGate({self.limits!r})"


__all__ = ["Admission", "LocalTaskGate", "TaskGate"]
