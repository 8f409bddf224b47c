"""The end of an agent's life, as operations for `Client.execute`: an agent that stops
cleanly says so (`stop_agent`: it shows as stopped, not unhealthy), and a stale agent is
removed (`delete_agent`, what `proctor agents rm` and the UI send)."""

from __future__ import annotations

from typing import Any

from proctor.client._models import Agent
from proctor.client._operations import AGENT
from proctor.client._wire import Operation


def stop_agent(agent_id: str) -> Operation[Agent]:
    def parse(data: dict[str, Any]) -> Agent:
        return Agent.model_validate(data["stopAgent"])

    return Operation(
        "mutation ($id: ID!) { stopAgent(agentId: $id) { ...AgentFields health } }\n" + AGENT,
        {"id": agent_id},
        parse,
        idempotent=True,
    )


def delete_agent(agent_id: str) -> Operation[str]:
    """Returns the removed agent's name."""

    def parse(data: dict[str, Any]) -> str:
        return str(data["deleteAgent"])

    return Operation("mutation ($id: ID!) { deleteAgent(id: $id) }", {"id": agent_id}, parse)


__all__ = ["delete_agent", "stop_agent"]
