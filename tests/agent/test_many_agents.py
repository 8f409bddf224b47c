"""Three agents against 150 due runs: every run starts exactly once.

(The server's side of the same race, 300 due runs claimed by three agents at once, is
`tests/server/test_claims.py`; here each run is a real process on a real agent, so the
count is what a loaded two-core machine finishes in a few minutes.)"""

from __future__ import annotations

import collections
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.agent.processes import (
    FAST_SERVER,
    FLOWS,
    AgentProcess,
    DrainedServer,
    proctor_json,
    wait_until,
)

from proctor.client import Client
from proctor.testing import ServerProcess

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

RUNS = 150


@pytest.fixture(scope="module")
def server(home: Path) -> Iterator[ServerProcess]:
    """Fast services, except that a run is thought lost (Lazarus) or a zombie only after
    two minutes without a heartbeat instead of seconds. This test is about claims: with
    twelve run processes starting at once on a loaded machine, a process can miss a few
    one-second heartbeats, and Lazarus would then rightly start its run again (as seen
    beside a CPU hog). Losing a process is tested by tests/server/test_lazarus.py and the
    agent's crash tests."""
    patient = {
        "PROCTOR_SERVER_SERVICES_LAZARUS_AFTER_SECONDS": "120",
        "PROCTOR_SERVER_SERVICES_ZOMBIE_AFTER_SECONDS": "120",
    }
    process = DrainedServer(
        f"sqlite+aiosqlite:///{home / 'proctor.db'}", home, env={**FAST_SERVER, **patient}
    )
    process.start(timeout=60)
    yield process
    process.stop()


def create_runs(client, flow_id: str, count: int, per_request: int = 25) -> list[str]:
    """`count` due runs, `per_request` per request (aliased mutations), not `count` round
    trips; in chunks so that one request stays well inside the client's timeout on a
    loaded machine. A mutation is sent once (the client does not resend one whose answer
    it lost), so a chunk that timed out fails the test instead of creating twice."""
    created: list[str] = []
    for start in range(0, count, per_request):
        numbers = range(start, min(count, start + per_request))
        fields = " ".join(
            f'r{i}: createFlowRun(input: {{flowId: "{flow_id}", parameters: {{who: "{i}"}}}})'
            " { id }"
            for i in numbers
        )
        data = client.query(f"mutation {{ {fields} }}")
        created.extend(data[f"r{i}"]["id"] for i in numbers)
    return created


HISTORIES = """query ($flowId: ID!, $first: Int!, $after: String) {
  flowRuns(flowId: $flowId, first: $first, after: $after) {
    nodes { id state states { state message } }
    pageInfo { endCursor hasNextPage }
  }
}"""


def histories(client, flow_id: str) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    after = None
    while True:
        page = client.query(HISTORIES, {"flowId": flow_id, "first": 100, "after": after})
        for run in page["flowRuns"]["nodes"]:
            found[run["id"]] = run["states"]
        if not page["flowRuns"]["pageInfo"]["hasNextPage"]:
            return found
        after = page["flowRuns"]["pageInfo"]["endCursor"]


def test_three_agents_start_each_of_150_runs_exactly_once(home, server, client, agents):
    [registered] = proctor_json("register", str(FLOWS / "simple.py"), "--project", "herd",
                                "--label", "herd", home=home, api_url=server.url)  # fmt: skip
    flow_id = registered["flow"]["id"]
    for number in range(3):
        agents.append(AgentProcess(home, server.url, f"herd-{number}", labels=["herd"], max_runs=4))
    with Client(server.url, timeout=120) as patient:  # the agents load the server meanwhile
        created = create_runs(patient, flow_id, RUNS)

    def all_succeeded() -> bool:
        page = client.list_flow_runs(flow_id=flow_id, states=["Success"], first=1)
        return page.total_count == RUNS

    # A hang is what the deadline is for: three agents on a busy machine take minutes.
    wait_until(all_succeeded, 600, f"{RUNS} runs to succeed", interval=0.5)
    found = histories(client, flow_id)
    assert sorted(found) == sorted(created)
    claimed_by: collections.Counter[str] = collections.Counter()
    for states in found.values():
        names = [state["state"] for state in states]
        # Started exactly once. (A claim whose process was slow to start may have been
        # handed back to the queue by the server and claimed again: never run twice.)
        assert names.count("Running") == 1, names
        assert names[-1] == "Success"
        submitted = [state for state in states if state["state"] == "Submitted"]
        claimed_by[submitted[-1]["message"] or ""] += 1
    # Each agent took a share: the claims were spread, not serialised on one agent.
    assert len(claimed_by) == 3, claimed_by
