"""Loading a task run's persisted result (`Client.load_result`, `AsyncClient.load_result`).

The server never reads results: the client asks it where the result is (the run's
context: the task run, the flow's result store; and the task run's full location) and
reads it from there itself. The steps that are not I/O live here, shared by both clients.
"""

from __future__ import annotations

from typing import Any

from proctor.client._models import FlowRunContext, TaskRunSummary

# Where the engine says it wrote the result (a full path or URL): right even when the run
# process's result folder differed from the one registered.
LOCATION_QUERY = "query ($id: ID!) { taskRun(id: $id) { result { location } } }"


def _where(flow_run_id: str, task_slug: str, map_index: int) -> str:
    return f"task run {task_slug!r} (map index {map_index}) of flow run {flow_run_id}"


def find_task_run(
    context: FlowRunContext, flow_run_id: str, task_slug: str, map_index: int
) -> TaskRunSummary:
    """The task run of `context` with this slug and map index (`ResultError` if none)."""
    from proctor.core.errors import ResultError

    for run in context.task_runs:
        if run.task_slug == task_slug and run.map_index == map_index:
            return run
    raise ResultError(f"There is no {_where(flow_run_id, task_slug, map_index)}.")


def full_location(data: dict[str, Any]) -> str | None:
    """The location in `LOCATION_QUERY`'s answer, if it has one."""
    result = (data.get("taskRun") or {}).get("result") or {}
    location = result.get("location")
    return location if isinstance(location, str) and location else None


def read_result(
    context: FlowRunContext, flow_run_id: str, task_run: TaskRunSummary, full: str | None
) -> Any:
    """Read the result from its store (blocking I/O); `ResultError` when the task run
    persisted none."""
    from proctor.core.errors import ResultError
    from proctor.core.results import result_from_dict

    store = context.spec.get("result")
    location = full or task_run.result_location
    if not location or not isinstance(store, dict):
        where = _where(flow_run_id, task_run.task_slug, task_run.map_index)
        raise ResultError(
            f"The {where} has no persisted result: give its flow or task a result store "
            "(result=LocalResult(dir=...)) to read it later."
        )
    return result_from_dict(store).read(location)


__all__ = ["LOCATION_QUERY", "find_task_run", "full_location", "read_result"]
