"""An agent's problem (what keeps it from starting runs, e.g. its Docker daemon is down)
travels with its heartbeats: shown until a heartbeat without one, and gone on a new
registration."""

from __future__ import annotations


async def _agents(api) -> dict:
    return {agent.name: agent for agent in await api.list_agents()}


async def test_a_heartbeat_reports_and_clears_the_agents_problem(api):
    agent = await api.register_agent("boxer", ["docker"])
    assert (await _agents(api))["boxer"].problem is None

    beat = await api.agent_heartbeat(agent.id, problem="Docker daemon unreachable: refused")
    assert beat.problem == "Docker daemon unreachable: refused"
    assert (await _agents(api))["boxer"].problem == "Docker daemon unreachable: refused"

    await api.agent_heartbeat(agent.id)  # the daemon answers again
    assert (await _agents(api))["boxer"].problem is None


async def test_a_long_problem_is_cut_and_a_new_life_starts_without_one(api):
    agent = await api.register_agent("boxer", [])
    beat = await api.agent_heartbeat(agent.id, problem="x" * 2000)
    assert beat.problem == "x" * 500
    await api.register_agent("boxer", [])  # restarted
    assert (await _agents(api))["boxer"].problem is None
