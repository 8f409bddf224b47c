"""Why a server run failed, in one line: its first task runs that failed by themselves.

When one task raises, every task after it ends `TriggerFailed` and the flow run's own
message names a reference task ("write_warehouse"): the victim. People want the cause,
`enrich[137]: ValueError: record 137 cannot be enriched`. A server that has the run's
`failureSummary` says it (read from the state history, so a restarted attempt is
explained too); an older server does not have the field, and the cause is then worked
out here from the run's task runs: those in a failed state that is not TriggerFailed,
earliest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from proctor.client import InvalidInput

if TYPE_CHECKING:
    from proctor.client import Client

MAX_CAUSES = 5
PAGE_SIZE = 1000
# A TriggerFailed task run did not fail by itself: it only reports an upstream failure.
VICTIM_STATES = frozenset({"TriggerFailed"})

_SERVER_SUMMARY = """query ($id: ID!) {
  flowRun(id: $id) {
    failureSummary { total text causes { taskRunName state message } }
  }
}"""

_FAILED_TASK_RUNS = """query ($id: ID!, $first: Int!, $after: String) {
  taskRuns(flowRunId: $id, states: ["Failed"], orderBy: STATE_TIMESTAMP_ASC, first: $first,
           after: $after) {
    pageInfo { endCursor hasNextPage } nodes { taskSlug mapIndex state stateMessage }
  }
}"""


@dataclass(frozen=True)
class Cause:
    """One task run that failed by itself."""

    task_run: str  # `enrich` or `enrich[137]`
    state: str
    message: str | None

    @property
    def text(self) -> str:
        return f"{self.task_run}: {self.message or self.state}"


@dataclass(frozen=True)
class FailureCauses:
    causes: list[Cause]
    total: int

    @property
    def text(self) -> str | None:
        """`enrich[137]: ValueError: ... (and 2 more failed task runs)`, or None."""
        if not self.causes:
            return None
        more = self.total - 1
        return self.causes[0].text + (f" (and {more} more failed task runs)" if more > 0 else "")


def failure_causes(client: Client, flow_run_id: str) -> FailureCauses:
    """The first task runs that made the run fail (none when no task run failed by
    itself, e.g. the flow could not be loaded)."""
    try:
        data = client.query(_SERVER_SUMMARY, {"id": flow_run_id})
    except InvalidInput as error:
        if "failureSummary" not in str(error):
            raise
        return _from_task_runs(client, flow_run_id)  # a server without the field
    summary = (data.get("flowRun") or {}).get("failureSummary")
    if summary is None:
        return FailureCauses([], 0)
    return FailureCauses(
        [Cause(c["taskRunName"], c["state"], c.get("message")) for c in summary["causes"]],
        int(summary["total"]),
    )


def _from_task_runs(client: Client, flow_run_id: str) -> FailureCauses:
    # The server filters by state family, so TriggerFailed rows come too: left out here.
    causes: list[Cause] = []
    total = 0
    after: str | None = None
    while True:
        variables: dict[str, Any] = {"id": flow_run_id, "first": PAGE_SIZE, "after": after}
        page = client.query(_FAILED_TASK_RUNS, variables).get("taskRuns") or {}
        for row in page.get("nodes") or []:
            if row["state"] in VICTIM_STATES:
                continue
            total += 1
            if len(causes) < MAX_CAUSES:
                name = _name(row["taskSlug"], row["mapIndex"])
                causes.append(Cause(name, row["state"], row.get("stateMessage")))
        info = page.get("pageInfo") or {}
        if not info.get("hasNextPage") or not info.get("endCursor"):
            return FailureCauses(causes, total)
        after = info["endCursor"]


def _name(slug: str, map_index: int | None) -> str:
    return f"{slug}[{map_index}]" if map_index is not None and map_index >= 0 else slug


__all__ = ["VICTIM_STATES", "Cause", "FailureCauses", "failure_causes"]
