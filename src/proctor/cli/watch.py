"""Follow a flow run on the server with the same live display as `run-local`.

`RemoteRun` polls the server twice a second for the run's state and its task-run summary:
one entry per task node with the node's own task run and its mapped children counted by
state on the server. The counts are therefore the true ones however many children
changed between two polls (reading changed rows instead missed children of big maps and
showed "mapped into 58 task runs" for a map of 200). Each node whose version moved
becomes a `TaskRunChange` for the `ProgressTracker`, so `LiveProgress` and `LineProgress`
draw a server run exactly as they draw a local one.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from proctor.core.observers import TaskRunChange
from proctor.core.states import State, state_from_dict

if TYPE_CHECKING:
    from proctor.cli.tracker import ProgressTracker
    from proctor.client import Client

POLL_SECONDS = 0.5
FINISHED = frozenset({"Success", "Failed", "Cancelled", "Finished"})

RUN_QUERY = """query ($id: ID!) {
  flowRun(id: $id) {
    id name flowId flowName state stateType stateMessage startTime endTime taskRunSummary
  }
}"""

# The engine names a map's size in its node's messages ("Mapped into 200 task runs" while
# the children run, "200 mapped task runs, 1 failed" at the end). The server creates the
# children's rows as they report, so early on it has fewer rows than the map has children.
_DECLARED_SIZE = re.compile(r"^(?:Mapped into (\d+) task runs|(\d+) mapped task runs)")


def declared_children(message: str | None) -> int | None:
    """The number of children a mapped node's state message announces, if it does."""
    found = _DECLARED_SIZE.match(message or "")
    if found is None:
        return None
    return int(found.group(1) or found.group(2))


def child_categories(states: dict[str, int]) -> dict[str, int]:
    """Children counted by state name -> counted by the tracker's categories."""
    from proctor.cli.tracker import OTHER, category

    counts: dict[str, int] = {}
    for name, count in states.items():
        try:
            kind = category(state_from_dict({"type": name}))
        except ValueError:  # a state this client does not know: count it, as finished
            kind = OTHER
        counts[kind] = counts.get(kind, 0) + count
    return counts


class RemoteRun:
    """The state of one server run, folded into a tracker at each `poll()`."""

    def __init__(self, client: Client, flow_run_id: str, tracker: ProgressTracker) -> None:
        self.client = client
        self.flow_run_id = flow_run_id
        self.tracker = tracker
        self.run: dict[str, Any] = {}
        self.started = time.monotonic()
        self._versions: dict[str, int] = {}
        self._sizes: dict[str, int] = {}

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
        data = self.client.query(RUN_QUERY, {"id": self.flow_run_id})
        self.run = data.get("flowRun") or {}
        summary: list[dict[str, Any]] = self.run.get("taskRunSummary") or []
        # Children first, so a node's change is drawn with its true size and outcome.
        for entry in summary:
            self._count_children(entry)
        parents = [entry["parent"] for entry in summary if entry.get("parent")]
        # Oldest change first, so lines come out in the order things happened.
        for row in sorted(parents, key=lambda row: row.get("stateTimestamp") or ""):
            if self._versions.get(row["taskSlug"]) == row["version"]:
                continue
            self._versions[row["taskSlug"]] = row["version"]
            self._fold(row)
        self.tracker.flow_state = self.state

    def _count_children(self, entry: dict[str, Any]) -> None:
        slug = entry["taskSlug"]
        parent = entry.get("parent") or {}
        children = entry.get("children")
        declared = declared_children(parent.get("stateMessage"))
        if children is None and declared is None:
            return
        counted = children["count"] if children else 0
        total = max(counted, declared or 0, self._sizes.get(slug, 0))
        self._sizes[slug] = total
        self.tracker.set_children(
            slug, total, child_categories(children["states"] if children else {})
        )

    def _fold(self, row: dict[str, Any]) -> None:
        slug = row["taskSlug"]
        state: State = state_from_dict(
            {
                "type": row["state"],
                "message": row["stateMessage"],
                "timestamp": row["stateTimestamp"],
            }
        )
        change = TaskRunChange(
            slug, slug, None, state, row.get("runCount") or 1, self._sizes.get(slug)
        )
        self.tracker.task_run_state(None, change)  # type: ignore[arg-type]  # no engine context


def outcome_line(run: dict[str, Any], seconds: float, cause: str | None = None) -> str:
    """`✔ Flow run NAME of FLOW ended Success after 2.1s: message` as rich markup; `cause`
    (the task run that made it fail) replaces the run's own message, which names the
    task that failed last."""
    from rich.markup import escape

    from proctor.cli.progress import format_seconds

    state = run.get("state") or "?"
    if state == "Success":
        symbol, style = "✔", "bold green"
    elif state == "Failed":
        symbol, style = "✘", "bold red"
    else:
        symbol, style = "■", "bold magenta"
    said = cause or run.get("stateMessage")
    message = f": {escape(said)}" if said else ""
    name = escape(str(run.get("name")))
    flow = escape(repr(run.get("flowName")))
    return (
        f"[{style}]{symbol} Flow run {name} of {flow} ended {state}[/] "
        f"after {format_seconds(seconds)}{message}"
    )


__all__ = [
    "POLL_SECONDS",
    "RemoteRun",
    "child_categories",
    "declared_children",
    "outcome_line",
]
