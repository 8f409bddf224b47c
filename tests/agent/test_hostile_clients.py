"""A misbehaving client does not stop the server: while hostile documents keep arriving
(a megabyte of aliases, thousands of aliases, fragment bombs, a deeply nested query),
every one is refused with its code, `/health` answers 200 every time, and an agent
claims, heartbeats and reports a running flow to the end."""

from __future__ import annotations

import uuid

import pytest
from tests.agent.hostile import HealthProbe, HostileClients
from tests.agent.processes import FLOWS, AgentProcess, all_task_runs, proctor_json, wait_until

pytestmark = pytest.mark.slow

REFUSED = {"QUERY_TOO_LARGE", "QUERY_TOO_DEEP"}


def test_a_hostile_client_and_a_running_flow_at_once(home, server, client, agents):
    project = f"hostile-{uuid.uuid4().hex[:6]}"
    [registered] = proctor_json(
        "register", str(FLOWS / "mapped.py"), "--project", project, "--label", "hostile-box",
        home=home, api_url=server.url,
    )  # fmt: skip
    with HealthProbe(server.url) as health, HostileClients(server.url, threads=2) as hostile:
        wait_until(lambda: hostile.sent >= 4, 120, "the hostile clients to get answers")
        probes_before_run = len(health.statuses)
        run = client.create_flow_run(flow_id=registered["flow"]["id"], parameters={"n": 300})
        agents.append(AgentProcess(home, server.url, "steady", labels=["hostile-box"]))
        final = wait_until(
            lambda: (r := client.get_flow_run(run.id)).state in {"Success", "Failed"} and r,
            180,
            "the flow run to finish under hostile load",
        )
        sent_during_run = hostile.sent
    assert final.state == "Success", agents[0].output()
    task_runs = all_task_runs(client, run.id)
    # the parameter, numbers, the mapped parent and its 300 children, total
    assert len(task_runs) == 1 + 1 + 1 + 300 + 1
    assert all(t.state in {"Success", "Mapped"} for t in task_runs)
    # The hostile load really overlapped the run, and every document was refused by code.
    assert sent_during_run >= 4
    assert set(hostile.codes) <= REFUSED, hostile.codes
    assert hostile.codes["QUERY_TOO_LARGE"] > 0 and hostile.codes["QUERY_TOO_DEEP"] > 0
    # /health answered every probe (each with a 10 s client timeout) with 200, before and
    # while the flow ran under the hostile load: it answers from the background prober's
    # record, and the hostile documents are refused without holding the event loop.
    assert health.statuses[probes_before_run:], health.statuses
    assert all(status == 200 for status in health.statuses), (health.statuses, health.failures)
    print(
        f"health probes: {len(health.latencies)}, max {max(health.latencies) * 1000:.0f} ms; "
        f"hostile requests: {hostile.sent}"
    )
