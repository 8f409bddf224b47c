"""`FilterTask`: keep the elements of a list (often a mapped task's results) that pass."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from proctor.core.logs import get_run_logger
from proctor.core.signals import ProctorSignal
from proctor.core.task import Task


def _keep_by_default(value: Any) -> bool:
    # As in 1.x: drop None and errors (a failed mapped child's exception), keep the rest.
    # A skipped child's SKIP signal is not an error there, and is kept here likewise.
    return value is not None and (
        not isinstance(value, BaseException) or isinstance(value, ProctorSignal)
    )


class FilterTask(Task):
    """`FilterTask(filter_func=lambda x: x > 1)(values)` -> the values that pass.

    The default filter drops `None` and exceptions, so the results of a mapped task whose
    children failed can be filtered down to the ones that worked. `log_func`, when given,
    is called with the kept values and what it returns is logged.
    """

    def __init__(
        self,
        filter_func: Callable[[Any], bool] | None = None,
        log_func: Callable[[list[Any]], Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.filter_func = filter_func or _keep_by_default
        self.log_func = log_func
        kwargs.setdefault("skip_on_upstream_skip", False)
        kwargs.setdefault("trigger", _all_finished())
        super().__init__(**kwargs)

    def run(self, task_results: list[Any]) -> list[Any]:
        kept = [value for value in task_results if self.filter_func(value)]
        if self.log_func is not None:
            get_run_logger().info(self.log_func(kept))
        return kept


def _all_finished() -> Callable[..., bool]:
    from proctor.core.triggers import all_finished

    return all_finished


__all__ = ["FilterTask"]
