"""Whether a healthy agent can take a new run, said when `proctor run` creates it.

An agent takes a run when every label of the run is among its own. A run whose labels no
healthy agent covers waits in Scheduled without a word; `proctor run` therefore says so,
names the labels missing from the closest healthy agent (all of the run's labels when no
agent is healthy) and the command that starts an agent able to take it. A server that
has the run's `agentMatch` answers; on a server without that field the same answer is
worked out here from the agents list and their health.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from proctor.client import InvalidInput

if TYPE_CHECKING:
    from proctor.client import Agent, Client

_SERVER_MATCH = """query ($id: ID!) {
  flowRun(id: $id) {
    agentMatch { covered healthyAgents missingLabels closestAgent suggestion }
  }
}"""


@dataclass(frozen=True)
class AgentCover:
    """`covered`: some healthy agent can take the run."""

    covered: bool
    healthy_agents: int
    missing_labels: list[str]
    closest_agent: str | None
    suggestion: str | None

    def warning(self, run_labels: Iterable[str]) -> str | None:
        """What to tell people when no healthy agent can take the run."""
        if self.covered:
            return None
        labels = ", ".join(sorted(run_labels)) or "none"
        if self.healthy_agents == 0:
            why = "no agent is healthy (none sent a heartbeat lately)"
        else:
            missing = ", ".join(self.missing_labels)
            why = (
                f"no healthy agent has all its labels ({labels}); the closest, "
                f"{self.closest_agent}, lacks {missing}"
            )
        start = f": start one with `{self.suggestion}`" if self.suggestion else ""
        return f"This run waits: {why}{start}"


def start_command(labels: Iterable[str]) -> str:
    words = ["proctor", "agent", "start"]
    for label in sorted(set(labels)):
        words += ["--label", label]
    return shlex.join(words)


def cover_from_agents(run_labels: Iterable[str], agents: Sequence[Agent]) -> AgentCover:
    """Which healthy agents of `agents` cover `run_labels` (the server's rule)."""
    wanted = set(run_labels)
    healthy = [agent for agent in agents if (agent.health or "").upper() == "HEALTHY"]
    if any(wanted <= set(agent.labels) for agent in healthy):
        return AgentCover(True, len(healthy), [], None, None)
    closest = min(
        healthy, key=lambda agent: (len(wanted - set(agent.labels)), agent.name), default=None
    )
    missing = sorted(wanted - set(closest.labels)) if closest else sorted(wanted)
    return AgentCover(
        False, len(healthy), missing, closest.name if closest else None, start_command(wanted)
    )


def agent_cover(client: Client, flow_run_id: str, run_labels: Sequence[str]) -> AgentCover | None:
    """Whether a healthy agent can take the run (None when the run no longer waits)."""
    try:
        data = client.query(_SERVER_MATCH, {"id": flow_run_id})
    except InvalidInput as error:
        if "agentMatch" not in str(error):
            raise
        return cover_from_agents(run_labels, client.list_agents())  # a server without it
    found = (data.get("flowRun") or {}).get("agentMatch")
    if found is None:
        return None
    return AgentCover(
        bool(found["covered"]),
        int(found["healthyAgents"]),
        list(found["missingLabels"]),
        found.get("closestAgent"),
        found.get("suggestion"),
    )


__all__ = ["AgentCover", "agent_cover", "cover_from_agents", "start_command"]
