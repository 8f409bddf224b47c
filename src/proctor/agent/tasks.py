"""`run_flow`: a task that starts a run of another registered flow, and waits for it.

    from proctor import flow
    from proctor.agent import run_flow

    @flow
    def nightly(day: str):
        loaded = run_flow(name="etl", project="warehouse", parameters={"day": day})
        run_flow(name="reports", project="warehouse", upstream_tasks=[loaded])

The child run is created on the server and run by whichever agent has its flow's labels,
so a parent can fan work out to other machines. Its idempotency key is the parent run, the
task and its map index: a parent that retries or is restarted finds the child it already
started instead of starting another. With `wait` (the default) the task returns once the
child finished, and fails if the child did not succeed. It lives in the agent package
because it talks to the server; the engine stays free of the client.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from proctor.core import signals
from proctor.core.context import get_task_run_context
from proctor.core.task import Task

if TYPE_CHECKING:
    from proctor.client import Client

logger = logging.getLogger("proctor.agent.tasks")

FINISHED = frozenset({"Success", "Failed", "Cancelled", "Finished"})
STATE_QUERY = "query ($id: ID!) { flowRun(id: $id) { state stateType stateMessage } }"


class RunFlow(Task):
    """Start a run of the registered flow `name` (in `project`) with `parameters`.

    Returns a dict: `flow_run_id`, `name`, `state`, `message`, and `results`: the values
    of the child's reference tasks that were persisted in its flow's result store (by
    task slug; empty when nothing was persisted, or without `wait`). `poll_seconds` is how
    often the child's state is read while waiting (growing to 10 s for long runs).
    """

    def __init__(self, name: str = "run_flow", *, poll_seconds: float = 1.0, **options: Any):
        super().__init__(name=name, **options)
        self.poll_seconds = poll_seconds

    def run(
        self,
        name: str,
        project: str | None = None,
        parameters: dict[str, Any] | None = None,
        wait: bool = True,
    ) -> dict[str, Any]:
        from proctor.client import Client

        with Client() as client:
            child = client.create_flow_run(
                project=project,
                flow_name=name,
                parameters=parameters,
                idempotency_key=_idempotency_key(),
            )
            logger.info("Started child flow run %s (%s) of %r", child.name, child.id, name)
            outcome: dict[str, Any] = {
                "flow_run_id": child.id,
                "name": child.name,
                "state": child.state,
                "message": child.state_message,
                "results": {},
            }
            if not wait:
                return outcome
            run = self._wait(client, child.id)
            outcome.update(state=run.get("state"), message=run.get("stateMessage"))
            if run.get("stateType") != "Success":
                raise signals.FAIL(
                    f"Child flow run {child.name} of {name!r} ended {run.get('state')}: "
                    f"{run.get('stateMessage') or 'no message'}",
                    result=outcome,
                )
            outcome["results"] = _reference_results(client, child.id)
            return outcome

    def _wait(self, client: Client, flow_run_id: str) -> dict[str, Any]:
        delay = self.poll_seconds
        while True:
            run: dict[str, Any] = client.query(STATE_QUERY, {"id": flow_run_id})["flowRun"]
            if run.get("stateType") in FINISHED or run.get("state") in FINISHED:
                return run
            time.sleep(delay)
            delay = min(delay * 1.2, 10.0)


def _idempotency_key() -> str | None:
    context = get_task_run_context()
    if context is None:
        return None
    index = "" if context.map_index is None else f"[{context.map_index}]"
    return f"child-of:{context.flow_run.flow_run_id}:{context.task_slug}{index}"


def _reference_results(client: Client, flow_run_id: str) -> dict[str, Any]:
    """Values of the child's reference tasks, read from its flow's result store."""
    from proctor.core.errors import ProctorError
    from proctor.core.results import result_from_dict

    context = client.get_flow_run_context(flow_run_id)
    spec = context.spec
    if not spec.get("result"):
        return {}
    try:
        store = result_from_dict(spec["result"])
    except ProctorError:
        return {}
    reference = {task["slug"] for task in spec.get("tasks", []) if task.get("is_reference")}
    values: dict[str, Any] = {}
    for task_run in context.task_runs:
        location = task_run.result_location
        if task_run.task_slug in reference and task_run.map_index < 0 and location:
            try:
                values[task_run.task_slug] = store.read(location)
            except ProctorError as error:
                logger.warning("Cannot read %s of the child run: %s", task_run.task_slug, error)
    return values


run_flow = RunFlow()

__all__ = ["RunFlow", "run_flow"]
