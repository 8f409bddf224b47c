"""Replay a registered flow run on this machine, for debugging: the same flow version
(loaded from its storage, as an agent would), the same parameters, and the upstream
results the run persisted, read back from the flow's result stores.

Two ways:

- `replay_flow`: the whole flow, locally and in this process (a `LocalExecutor`, so a
  breakpoint or a debugger works), with every task run that succeeded *and* whose result
  can be read back handed to the engine as done; the rest runs again with the same
  inputs, so the failure of a production run happens again here.
- `replay_task`: one task only: its inputs are the run's parameters and its upstream
  task runs' persisted results; the task's function is called directly (no retries, no
  timeout), and an exception comes back with its traceback. Inputs that cannot be loaded
  are listed with the reason (not persisted, unreadable, never ran, did not succeed) and
  the task is not called.

Nothing is written to the server, and no result is written: the flow's and tasks'
result stores are read, then switched off for the replay, so production results are
never overwritten.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from proctor.agent.prior_states import prior_task_states
from proctor.core.errors import ProctorError
from proctor.core.graph import unmapped
from proctor.core.states import Mapped, State

if TYPE_CHECKING:
    from proctor.client import Client, FlowRunContext, TaskRunSummary
    from proctor.core.flow import Flow
    from proctor.core.graph import Node
    from proctor.core.results import Result


class ReplayError(ProctorError):
    """The replay cannot start (unknown task, a mapped task without a map index...)."""


@dataclass(frozen=True, slots=True)
class TaskOutcome:
    """One task run of the replay: its state, and where it came from."""

    slug: str
    map_index: int | None
    state: str
    message: str | None
    reused: bool = False  # the production run's persisted result, not run again here
    traceback: str | None = None


@dataclass(frozen=True, slots=True)
class MissingInput:
    """An input of the replayed task that could not be loaded, and why."""

    argument: str
    upstream: str
    reason: str


@dataclass(slots=True)
class ReplayReport:
    flow_run_id: str
    flow_run_name: str
    flow_name: str
    version: int
    parameters: dict[str, Any]
    state: str = "Pending"
    message: str | None = None
    tasks: list[TaskOutcome] = field(default_factory=list)
    missing: list[MissingInput] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)  # argument -> short repr
    value: str | None = None  # the replayed task's return value (repr), for --task

    @property
    def failed(self) -> bool:
        return self.state in ("Failed", "TriggerFailed", "TimedOut") or bool(self.missing)

    def as_dict(self) -> dict[str, Any]:
        return {
            "flow_run_id": self.flow_run_id,
            "flow_run_name": self.flow_run_name,
            "flow_name": self.flow_name,
            "version": self.version,
            "parameters": self.parameters,
            "state": self.state,
            "message": self.message,
            "tasks": [
                {
                    "slug": t.slug,
                    "map_index": t.map_index,
                    "state": t.state,
                    "message": t.message,
                    "reused": t.reused,
                    "traceback": t.traceback,
                }
                for t in self.tasks
            ],
            "missing_inputs": [
                {"argument": m.argument, "upstream": m.upstream, "reason": m.reason}
                for m in self.missing
            ],
            "inputs": self.inputs,
            "value": self.value,
        }


@dataclass(slots=True)
class ReplaySource:
    """What the replay starts from: the run's context and its flow, loaded here."""

    context: FlowRunContext
    flow: Flow
    parameters: dict[str, Any]

    def report(self) -> ReplayReport:
        run = self.context.flow_run
        return ReplayReport(
            flow_run_id=run.id,
            flow_run_name=run.name,
            flow_name=self.context.flow.name,
            version=self.context.flow.version,
            parameters=dict(self.parameters),
        )


def load_source(client: Client, flow_run_id: str) -> ReplaySource:
    """Read the run from the server and load its flow version from storage."""
    from proctor.agent.execute import load_registered_flow

    context = client.get_flow_run_context(flow_run_id)
    flow = load_registered_flow(context)
    parameters = flow.validate_parameters(context.parameters)
    return ReplaySource(context, flow, parameters)


def _store_of(flow: Flow, node: Node) -> Result | None:
    result: Result | None = node.task.result if node.task.result is not None else flow.result
    return result


def _no_writes(flow: Flow) -> None:
    """Switch the result stores off: a replay must not overwrite production results."""
    flow.result = None
    for node in flow.nodes:
        node.task.result = None
    flow.graph_version += 1  # the compiled plan holds the stores: rebuild it


def _short(value: Any, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _traceback_of(state: State) -> str | None:
    error = state.result
    if isinstance(error, BaseException):
        return "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return None


def _outcomes(flow: Flow, final: State, reused: dict[str, State]) -> list[TaskOutcome]:
    results = final.result if isinstance(final.result, dict) else {}
    parameters = {node.slug for node in flow.parameters.values()}
    outcomes: list[TaskOutcome] = []
    for node in flow.nodes:
        if node.slug in parameters:
            continue
        state = results.get(node)
        if state is None:
            continue
        earlier = reused.get(node.slug)
        outcomes.append(_outcome(node.slug, None, state, earlier))
        if isinstance(state, Mapped):
            kids = earlier.map_states if isinstance(earlier, Mapped) else []
            for index, child in enumerate(state.map_states):
                before = kids[index] if index < len(kids) else None
                outcomes.append(_outcome(node.slug, index, child, before))
    return outcomes


def _outcome(slug: str, index: int | None, state: State, earlier: State | None) -> TaskOutcome:
    return TaskOutcome(
        slug=slug,
        map_index=index,
        state=type(state).__name__,
        message=state.message,
        reused=earlier is not None and earlier is state,
        traceback=_traceback_of(state) if state.is_failed() else None,
    )


def _reusable(prior: dict[str, State]) -> dict[str, State]:
    """Only what succeeded: a `Retrying` state would make the replay wait for its time."""
    return {slug: state for slug, state in prior.items() if state.is_successful()}


def replay_flow(source: ReplaySource, *, rerun_all: bool = False) -> ReplayReport:
    """Run the whole flow here with the run's parameters; persisted successes are reused
    (unless `rerun_all`), everything else runs again in this process."""
    from proctor.core.executors.local import LocalExecutor
    from proctor.core.runner.flow_runner import FlowRunner

    flow = source.flow
    report = source.report()
    reused = {} if rerun_all else _reusable(prior_task_states(flow, source.context.task_runs))
    _no_writes(flow)
    final = FlowRunner(flow, executor=LocalExecutor()).run(
        source.parameters,
        task_states=reused,
        flow_run_name=source.context.flow_run.name,
        scheduled_start=source.context.flow_run.scheduled_start_time,
    )
    report.state = type(final).__name__
    report.message = final.message
    report.tasks = _outcomes(flow, final, reused)
    return report


# -- one task ------------------------------------------------------------------------------


def _find_node(flow: Flow, slug: str) -> Node:
    for node in flow.nodes:
        if node.slug == slug:
            return node
    known = ", ".join(sorted(n.slug for n in flow.nodes if n.slug not in _parameter_slugs(flow)))
    raise ReplayError(f"Flow {flow.name!r} has no task {slug!r}; its tasks: {known}")


def _parameter_slugs(flow: Flow) -> set[str]:
    return {node.slug for node in flow.parameters.values()}


def _rows_of(task_runs: Iterable[TaskRunSummary], slug: str) -> list[TaskRunSummary]:
    return [row for row in task_runs if row.task_slug == slug]


class _Unloadable(Exception):
    """Why an upstream value cannot be had (the message is the reason)."""


def _read(row: TaskRunSummary, store: Result | None) -> Any:
    where = row.task_slug if row.map_index < 0 else f"{row.task_slug}[{row.map_index}]"
    if row.state_type != "Success":
        raise _Unloadable(f"{where} did not succeed in this run ({row.state})")
    if not row.result_location or store is None:
        raise _Unloadable(
            f"{where}'s result was not persisted (give the task or the flow a `result`, "
            "e.g. LocalResult(dir=...), and keep checkpointing on)"
        )
    try:
        return store.read(row.result_location)
    except ProctorError as error:
        raise _Unloadable(
            f"{where}'s result at {row.result_location} cannot be read here: {error}"
        ) from None


def _upstream_value(source: ReplaySource, node: Node) -> Any:
    """The value `node` produced in the run: a parameter's value, a task's persisted
    result, or for a mapped node the list of its children's results."""
    flow = source.flow
    if node.slug in _parameter_slugs(flow):
        return source.parameters[node.task.name]
    rows = _rows_of(source.context.task_runs, node.slug)
    store = _store_of(flow, node)
    if not rows:
        raise _Unloadable(f"{node.slug} never ran in this run")
    if node.mapped:
        children = sorted((r for r in rows if r.map_index >= 0), key=lambda r: r.map_index)
        if not children:
            raise _Unloadable(f"{node.slug} mapped over nothing in this run")
        return [_read(child, store) for child in children]
    own = [r for r in rows if r.map_index < 0]
    return _read(own[0], store)


def _flatten(value: Any) -> list[Any]:
    return [item for part in value for item in part]


def _task_inputs(
    source: ReplaySource, node: Node, map_index: int | None, report: ReplayReport
) -> dict[str, Any]:
    flow = source.flow
    inputs: dict[str, Any] = {}
    for key, value in node.constants.items():
        if isinstance(value, unmapped):
            inputs[key] = value.value
        elif node.mapped and map_index is not None:
            inputs[key] = list(value)[map_index]  # a constant mapped over: one element
        else:
            inputs[key] = value
    for edge in flow.upstream_edges(node):
        if edge.key is None:
            continue
        try:
            value = _upstream_value(source, edge.upstream)
        except _Unloadable as why:
            report.missing.append(MissingInput(edge.key, edge.upstream.slug, str(why)))
            continue
        if edge.flatten and value is not None:
            value = _flatten(value)
        if edge.mapped and map_index is not None:
            try:
                value = list(value)[map_index]
            except (IndexError, TypeError):
                report.missing.append(
                    MissingInput(
                        edge.key,
                        edge.upstream.slug,
                        f"{edge.upstream.slug} has no element {map_index} to map over",
                    )
                )
                continue
        inputs[edge.key] = value
    return inputs


def replay_task(source: ReplaySource, slug: str, *, map_index: int | None = None) -> ReplayReport:
    """Call one task's function here with the inputs it had in the run (see module doc)."""
    flow = source.flow
    node = _find_node(flow, slug)
    if slug in _parameter_slugs(flow):
        raise ReplayError(f"{slug!r} is a parameter, not a task: nothing to replay")
    if node.mapped and map_index is None:
        raise ReplayError(f"Task {slug!r} is mapped: say which child to replay with --map-index N")
    if not node.mapped and map_index is not None:
        raise ReplayError(f"Task {slug!r} is not mapped: --map-index does not apply")
    report = source.report()
    inputs = _task_inputs(source, node, map_index, report)
    report.inputs = {key: _short(value) for key, value in inputs.items()}
    if report.missing:
        report.state = "NotRun"
        report.message = "Some inputs could not be loaded; the task was not called"
        return report
    try:
        value = node.task.run(**inputs)
    except Exception as error:
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        report.state = "Failed"
        report.message = f"{type(error).__name__}: {error}"
        report.tasks = [TaskOutcome(slug, map_index, "Failed", report.message, traceback=text)]
        return report
    report.state = "Success"
    report.value = _short(value)
    report.tasks = [TaskOutcome(slug, map_index, "Success", None)]
    return report


__all__ = [
    "MissingInput",
    "ReplayError",
    "ReplayReport",
    "ReplaySource",
    "TaskOutcome",
    "load_source",
    "replay_flow",
    "replay_task",
]
