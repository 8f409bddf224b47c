"""Agents and run processes: how registered flows run on your own machines.

    proctor agent start --label etl          # an agent (see `Agent`)
    proctor execute flow-run RUN_ID          # one run process (see `execute_flow_run`)

The agent claims due runs from the server and starts one process per run; the process
loads the flow from its storage, runs it with the engine and reports states and logs back
in batches (`Reporter`). `run_flow` is a task that starts a run of another registered
flow. Everything here talks to the server through `proctor.client`.
"""

from proctor.agent.agent import Agent
from proctor.agent.execute import execute_flow_run
from proctor.agent.reporter import Reporter
from proctor.agent.tasks import RunFlow, run_flow

__all__ = ["Agent", "Reporter", "RunFlow", "execute_flow_run", "run_flow"]
