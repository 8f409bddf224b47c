"""A restarted run keeps each attempt's own times: the run and its task runs start again
with the new attempt, the earlier attempt stays in the history (as `attempts`), and its
failure stays in the dashboard's recent failures. Real server, agent and run processes."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from tests.agent.processes import FLOWS, AgentProcess, all_task_runs, proctor_json, wait_until

from proctor.client import Client

pytestmark = pytest.mark.slow

FINISHED = {"Success", "Failed", "Cancelled"}

RUN = """
query($id: ID!) {
  flowRun(id: $id) {
    state startTime endTime scheduledStartTime
    attempts { number began state startTime endTime }
    states { state }
    restartPreview { restartable rerunCount reusedCount rerun { taskSlug reason count } }
  }
}
"""
TASK_ATTEMPTS = """
query($id: ID!) { taskRun(id: $id) { taskSlug startTime endTime
  attempts { number state startTime endTime } } }
"""
FAILURES = """
{ recentFailures(first: 20) { flowRun { id state } attempt restarted state
  failureSummary { text causes { taskRunName exceptionType } } } }
"""


def when(value: str | None) -> datetime:
    assert value is not None
    return datetime.fromisoformat(value)


def finished(client: Client, run_id: str) -> dict:
    return wait_until(
        lambda: (run := client.query(RUN, {"id": run_id})["flowRun"])["state"] in FINISHED and run,
        60,
        f"flow run {run_id} to finish",
    )


def test_each_attempt_of_a_restarted_run_has_its_own_times(home, server, client, agents, work):
    project = f"p-{uuid.uuid4().hex[:8]}"
    proctor_json("register", str(FLOWS / "restartable.py"), "--project", project,
                 "--label", "attempts-box", home=home, api_url=server.url)  # fmt: skip
    agents.append(
        AgentProcess(home, server.url, "attempts-agent", labels=["attempts-box"],
                     env={"AGENT_TEST_DIR": str(work)})
    )  # fmt: skip
    created = proctor_json("run", "restartable", "--project", project,
                           home=home, api_url=server.url)  # fmt: skip
    first = finished(client, created["id"])
    assert first["state"] == "Failed"
    # What a restart would do, said before it is asked for: `fragile` failed, `report`
    # comes after it, `expensive` persisted its result and is reused.
    preview = first["restartPreview"]
    assert preview["restartable"] is True
    assert {(g["taskSlug"], g["reason"]) for g in preview["rerun"]} == {
        ("fragile", "failed"),
        ("report", "downstream"),
    }
    assert (preview["rerunCount"], preview["reusedCount"]) == (2, 1)
    before = {t.task_slug: t for t in all_task_runs(client, created["id"])}

    (work / "fixed").touch()
    proctor_json("runs", "restart", created["id"], home=home, api_url=server.url)
    second = finished(client, created["id"])
    assert second["state"] == "Success"

    one, two = second["attempts"]
    assert (one["number"], one["state"], two["number"], two["state"]) == (1, "Failed", 2, "Success")
    assert when(one["startTime"]) < when(one["endTime"]) <= when(two["began"])
    assert when(two["began"]) <= when(two["startTime"]) < when(two["endTime"])
    # The run's own times are the current attempt's: it cannot start before it was
    # (re)scheduled, nor span both attempts.
    assert when(second["startTime"]) == when(two["startTime"])
    assert when(second["startTime"]) >= when(second["scheduledStartTime"])
    assert when(second["endTime"]) == when(two["endTime"])
    assert "Failed" in [s["state"] for s in second["states"]]

    after = {t.task_slug: t for t in all_task_runs(client, created["id"])}
    for slug in ("fragile", "report"):  # ran again: the second attempt's times only
        assert after[slug].start_time >= when(two["began"]), slug
        assert after[slug].end_time <= when(two["endTime"]), slug
        task = client.query(TASK_ATTEMPTS, {"id": str(after[slug].id)})["taskRun"]
        states = [a["state"] for a in task["attempts"]]
        assert states[-1] == "Success" and len(states) == 2, (slug, states)
    fragile = client.query(TASK_ATTEMPTS, {"id": str(after["fragile"].id)})["taskRun"]
    assert fragile["attempts"][0]["state"] == "Failed"
    assert when(fragile["attempts"][0]["endTime"]) == before["fragile"].end_time
    # Reused from the first attempt: untouched.
    assert after["expensive"].start_time == before["expensive"].start_time
    assert after["expensive"].end_time == before["expensive"].end_time

    # The first attempt's failure is still a recent failure, with its cause.
    failures = client.query(FAILURES)["recentFailures"]
    [entry] = [f for f in failures if f["flowRun"]["id"] == created["id"]]
    assert entry["flowRun"]["state"] == "Success"
    assert (entry["attempt"], entry["restarted"], entry["state"]) == (1, True, "Failed")
    assert [c["taskRunName"] for c in entry["failureSummary"]["causes"]] == ["fragile"]
    assert entry["failureSummary"]["causes"][0]["exceptionType"] == "RuntimeError"
