"""Follow a flow run on the server with the same live display as `run-local`.

`RemoteRun` polls the server twice a second: the run's state, and the task runs that
changed most recently (up to one page, newest first). Each task run whose version moved
becomes a `TaskRunChange` for the `ProgressTracker`, so `LiveProgress` and `LineProgress`
draw a server run exactly as they draw a local one. Polling keeps this robust across
server restarts; a page per poll bounds its cost however large the run.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from proctor.core.observers import TaskRunChange
from proctor.core.states import Running, State, state_from_dict

if TYPE_CHECKING:
    from proctor.cli.tracker import ProgressTracker
    from proctor.client import Client

POLL_SECONDS = 0.5
FINISHED = frozenset({"Success", "Failed", "Cancelled", "Finished"})

RUN_QUERY = """query ($id: ID!, $first: Int!) {
  flowRun(id: $id) { id name flowId flowName state stateType stateMessage startTime endTime }
  taskRuns(flowRunId: $id, first: $first, orderBy: STATE_TIMESTAMP_DESC) {
    nodes { taskSlug mapIndex state stateMessage stateTimestamp version runCount }
  }
}"""


class RemoteRun:
    """The state of one server run, folded into a tracker at each `poll()`."""

    def __init__(self, client: Client, flow_run_id: str, tracker: ProgressTracker) -> None:
        self.client = client
        self.flow_run_id = flow_run_id
        self.tracker = tracker
        self.run: dict[str, Any] = {}
        self.started = time.monotonic()
        self._versions: dict[tuple[str, int], int] = {}
        self._children: dict[str, int] = {}
        self._own: dict[str, tuple[State, int]] = {}
        # The server's rows do not say how many children a mapped task has: they are
        # counted as they appear, and the task's row is updated when the count grows.
        self._resized: set[str] = set()

    def begin(self) -> None:
        """Show the flow's tasks (parameters hidden) before any of them ran."""
        run = self.client.get_flow_run(self.flow_run_id)
        flow = self.client.get_flow(run.flow_id)
        self.tracker.start(
            flow.name,
            run.id,
            run.name,
            [(task.slug, task.name, task.mapped) for task in flow.tasks],
            hidden=[task.slug for task in flow.tasks if task.is_parameter],
        )

    @property
    def state(self) -> str | None:
        return self.run.get("state")

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    def poll(self) -> None:
        data = self.client.query(RUN_QUERY, {"id": self.flow_run_id, "first": 1000})
        self.run = data.get("flowRun") or {}
        rows = (data.get("taskRuns") or {}).get("nodes") or []
        # Count mapped children first, so a mapped task shows its size from the start.
        for row in rows:
            index = row["mapIndex"]
            if index >= 0 and index + 1 > self._children.get(row["taskSlug"], 0):
                self._children[row["taskSlug"]] = index + 1
                self._resized.add(row["taskSlug"])
        # Oldest first, so a task run's changes reach the tracker in order.
        for row in reversed(rows):
            key = (row["taskSlug"], row["mapIndex"])
            if self._versions.get(key) == row["version"]:
                continue
            self._versions[key] = row["version"]
            self._fold(row)
        for slug in self._resized:
            own_state, own_count = self._own.get(slug, (Running(), 1))
            self._tell(TaskRunChange(slug, slug, None, own_state, own_count, self._children[slug]))
        self._resized.clear()
        self.tracker.flow_state = self.state

    def _fold(self, row: dict[str, Any]) -> None:
        slug, index = row["taskSlug"], row["mapIndex"]
        state = state_from_dict(
            {
                "type": row["state"],
                "message": row["stateMessage"],
                "timestamp": row["stateTimestamp"],
            }
        )
        run_count = row.get("runCount") or 1
        if index < 0:
            self._own[slug] = (state, run_count)
            self._tell(TaskRunChange(slug, slug, None, state, run_count, self._children.get(slug)))
            return
        self._tell(TaskRunChange(slug, slug, index, state, run_count))

    def _tell(self, change: TaskRunChange) -> None:
        self.tracker.task_run_state(None, change)  # type: ignore[arg-type]  # no engine context


def outcome_line(run: dict[str, Any], seconds: float) -> str:
    """`✔ Flow run NAME of FLOW finished Success in 2.1s: message` as rich markup."""
    from rich.markup import escape

    from proctor.cli.progress import format_seconds

    state = run.get("state") or "?"
    if state == "Success":
        symbol, style = "✔", "bold green"
    elif state == "Failed":
        symbol, style = "✘", "bold red"
    else:
        symbol, style = "■", "bold magenta"
    message = f": {escape(run['stateMessage'])}" if run.get("stateMessage") else ""
    name = escape(str(run.get("name")))
    flow = escape(repr(run.get("flowName")))
    return (
        f"[{style}]{symbol} Flow run {name} of {flow} ended {state}[/] "
        f"after {format_seconds(seconds)}{message}"
    )


__all__ = ["POLL_SECONDS", "RemoteRun", "outcome_line"]
