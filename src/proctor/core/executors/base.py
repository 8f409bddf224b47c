"""The executor interface: where task runs execute.

The flow runner decides *what* runs next; an executor only decides *where*. It receives
batches of ready task runs (`submit`) and hands back finished ones (`completed`). Batches
matter: mapped children arrive together so pool and cluster executors can ship them in
chunks instead of paying a round trip per child.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from proctor.core.context import FlowRunContext
    from proctor.core.runner.unit import TaskRunUnit
    from proctor.core.states import State

# Called with (unit, state) when a task run starts, where the executor can tell.
StartCallback = Callable[["TaskRunUnit", "State"], None]
Completed = list[tuple["TaskRunUnit", "State"]]


class Executor(ABC):
    """Base class. Subclasses implement `submit` and `completed`; the rest is optional.

    `reports_start` is True when the executor calls `on_start` as each task run begins
    (in this process); otherwise the flow runner reports the start time afterwards.
    """

    reports_start = False

    def __init__(self) -> None:
        self.flow_context: FlowRunContext | None = None
        self.on_start: StartCallback | None = None

    def start(self, flow_context: FlowRunContext, on_start: StartCallback | None) -> None:
        """Prepare for one flow run (start pools or clusters here, not in __init__)."""
        self.flow_context = flow_context
        self.on_start = on_start

    def shutdown(self) -> None:  # noqa: B027 - an optional hook, not abstract
        """Release what `start` acquired; called once the flow run ends."""

    def stop_starting(self) -> None:  # noqa: B027 - an optional hook, not abstract
        """The flow run was cancelled: start none of the submitted task runs that have not
        started yet (they end Cancelled with the run). Called from another thread, the
        moment the cancellation is seen; task runs already running are not interrupted.
        Executors that hand work to other processes stop what they still hold when the
        flow runner shuts them down."""

    @abstractmethod
    def submit(self, units: list[TaskRunUnit]) -> None:
        """Begin running these task runs."""

    @abstractmethod
    def completed(self, timeout: float | None) -> Completed:
        """Finished task runs; waits up to `timeout` seconds (None: until one finishes)."""

    @property
    def in_flight(self) -> int:
        """How many submitted task runs have not been returned by `completed` yet."""
        return 0

    def __enter__(self) -> Executor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.shutdown()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


__all__ = ["Completed", "Executor", "StartCallback"]
