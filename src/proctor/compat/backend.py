"""1.x `prefect.backend`: read-only views of runs on the server, and the hosted-only parts.

`FlowRunView` and `TaskRunView` read a Proctor server through `proctor.client`; the
artifact functions are Proctor's own (`proctor.artifacts`); the key-value store belonged
to the hosted backend and raises `NotOfferedError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from proctor.compat.not_offered import function
from proctor.core.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    delete_artifact,
    update_link_artifact,
    update_markdown_artifact,
)
from proctor.core.errors import ProctorError, ResultError
from proctor.core.states import STATE_TYPES, State

if TYPE_CHECKING:
    from proctor.client import Client
    from proctor.client._models import FlowRunContext


def _client(client: Client | None) -> Client:
    from proctor.client import Client

    return client if client is not None else Client()


def _state(type_name: str | None, name: str | None, message: str | None) -> State:
    cls = STATE_TYPES.get(name or "") or STATE_TYPES.get(type_name or "") or State
    return cls(message)


@dataclass
class TaskRunView:
    """One task run of a flow run on the server (1.x `TaskRunView`)."""

    task_run_id: str
    flow_run_id: str
    task_slug: str
    map_index: int
    state: State
    result_location: str | None
    _result_store: dict[str, Any] | None = field(default=None, repr=False)

    def get_result(self) -> Any:
        """The task run's value, read from where the run persisted it.

        Needs the flow to persist results (`Flow(result=LocalResult(...))` or a
        `PrefectResult`), and, for a file result, this machine to see those files.
        """
        import proctor.compat.results  # noqa: F401 - registers the in-state JSON result
        from proctor.core.results import result_from_dict

        if not self.result_location or not self._result_store:
            raise ResultError(
                f"Task run {self.task_slug!r} (map index {self.map_index}) of flow run "
                f"{self.flow_run_id} has no persisted result: give its flow a result store "
                "(Flow(result=LocalResult(dir=...)) or PrefectResult()) to read it later."
            )
        return result_from_dict(self._result_store).read(self.result_location)


@dataclass
class FlowRunView:
    """A flow run on the server as it was when read (1.x `FlowRunView`)."""

    flow_run_id: str
    name: str
    flow_id: str
    state: State
    parameters: dict[str, Any]
    labels: list[str]
    _context: FlowRunContext | None = field(default=None, repr=False)

    @classmethod
    def from_flow_run_id(cls, flow_run_id: str, client: Client | None = None) -> FlowRunView:
        owned = client is None
        active = _client(client)
        try:
            context = active.get_flow_run_context(flow_run_id)
        finally:
            if owned:
                active.close()
        run = context.flow_run
        return cls(
            flow_run_id=run.id,
            name=run.name,
            flow_id=run.flow_id,
            state=_state(run.state_type, run.state, run.state_message),
            parameters=dict(run.parameters),
            labels=list(run.labels),
            _context=context,
        )

    def get_latest(self, client: Client | None = None) -> FlowRunView:
        return type(self).from_flow_run_id(self.flow_run_id, client)

    def get_all_task_runs(self) -> list[TaskRunView]:
        context = self._context
        if context is None:
            return []
        store = context.spec.get("result")
        return [
            TaskRunView(
                task_run_id=run.id,
                flow_run_id=self.flow_run_id,
                task_slug=run.task_slug,
                map_index=run.map_index,
                state=_state(getattr(run, "state_type", None), run.state, None),
                result_location=run.result_location,
                _result_store=store,
            )
            for run in context.task_runs
        ]

    def get_task_run(self, task_slug: str, map_index: int = -1) -> TaskRunView:
        for view in self.get_all_task_runs():
            if view.task_slug == task_slug and view.map_index == map_index:
                return view
        known = sorted({view.task_slug for view in self.get_all_task_runs()})
        raise ProctorError(
            f"Flow run {self.flow_run_id} has no task run {task_slug!r} at map index "
            f"{map_index}. Its task slugs: {', '.join(known) or 'none yet'}."
        )


set_key_value = function("prefect.backend.set_key_value")
get_key_value = function("prefect.backend.get_key_value")
delete_key = function("prefect.backend.delete_key")
list_keys = function("prefect.backend.list_keys")


__all__ = [
    "FlowRunView",
    "TaskRunView",
    "create_link_artifact",
    "create_markdown_artifact",
    "delete_artifact",
    "delete_key",
    "get_key_value",
    "list_keys",
    "set_key_value",
    "update_link_artifact",
    "update_markdown_artifact",
]
