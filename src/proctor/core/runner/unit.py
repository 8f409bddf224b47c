"""`TaskRunUnit`: one task run handed from the flow runner to an executor.

Carries only what the run needs (the task, its inputs, its upstream states), never the
flow or its nodes, so that it pickles small for process and Dask workers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from proctor.core.results import Result
    from proctor.core.states import State
    from proctor.core.task import Task


class TaskRunUnit:
    __slots__ = (
        "index",
        "inputs",
        "map_index",
        "previous_state",
        "result_store",
        "resumed",
        "run_count",
        "slug",
        "started_at",
        "task",
        "upstream_states",
    )

    def __init__(
        self,
        index: int,
        task: Task,
        slug: str,
        inputs: dict[str, Any],
        upstream_states: list[State],
        map_index: int | None = None,
        *,
        run_count: int = 1,
        resumed: bool = False,
        result_store: Result | None = None,
    ) -> None:
        self.index = index
        self.task = task
        self.slug = slug
        self.inputs = inputs
        self.upstream_states = upstream_states
        self.map_index = map_index
        self.run_count = run_count
        self.resumed = resumed
        self.result_store = result_store
        self.started_at = 0.0
        # The state this run leaves when it starts again (a Retrying), for state handlers.
        self.previous_state: State | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)

    def __repr__(self) -> str:
        where = "" if self.map_index is None else f"[{self.map_index}]"
        return f"<TaskRunUnit {self.slug}{where} run {self.run_count}>"


__all__ = ["TaskRunUnit"]
