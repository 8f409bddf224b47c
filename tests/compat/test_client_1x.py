"""The 1.x `Client` methods (`from proctor import Client`) against a real Proctor server,
with a real agent running the flow: create a project, start a run by flow id and by
version group, read it back as 1.x did (`get_flow_run_info`, states as State objects),
cancel a run; `graphql()` (the hosted schema) raises the clear error."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from proctor import Client
from proctor.compat.errors import NotOfferedError
from proctor.core.states import Cancelled, Scheduled, State, Success
from proctor.testing import ServerProcess

FLOWS = Path(__file__).parent / "flows_1x"
AGENT_ENV = {
    "PROCTOR_AGENT_HEARTBEAT_SECONDS": "1",
    "PROCTOR_AGENT_CLAIM_WAIT_SECONDS": "1",
    "PROCTOR_FLOW_RUN_HEARTBEAT_SECONDS": "1",
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("client-1x")


@pytest.fixture(scope="module")
def server(home: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(f"sqlite+aiosqlite:///{home / 'proctor.db'}", home)
    process.start(timeout=60)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def client(server: ServerProcess) -> Iterator[Client]:
    with Client(server.url) as made:
        yield made


@pytest.fixture(scope="module")
def flow_ids(server: ServerProcess, client: Client) -> dict[str, str]:
    import runpy

    project = f"clients-{uuid.uuid4().hex[:6]}"
    project_id = client.create_project(project)
    assert isinstance(project_id, str) and project_id
    child = runpy.run_path(str(FLOWS / "child.py"))["flow"]
    registered = child.register(project_name=project, api_url=server.url)
    return {"flow": registered.flow.id, "group": registered.flow.flow_group_id or ""}


@pytest.fixture(scope="module")
def agent(home: Path, server: ServerProcess, flow_ids: dict[str, str]) -> Iterator[None]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PROCTOR_")}
    env |= AGENT_ENV | {"PROCTOR_HOME": str(home), "PROCTOR_API_URL": server.url}
    with (home / "agent.log").open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "proctor", "agent", "start", "--label", "compat-box"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    yield
    process.terminate()
    process.wait(timeout=30)


def _finished_state(client: Client, run_id: str) -> State:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        state = client.get_flow_run_state(run_id)
        if state.is_finished():
            return state
        time.sleep(0.2)
    raise AssertionError(f"flow run {run_id} did not finish; last state {state!r}")


def test_a_run_started_by_flow_id_is_read_back_as_1x_did(
    client: Client, flow_ids: dict[str, str], agent: None
) -> None:
    run_id = client.create_flow_run(
        flow_id=flow_ids["flow"], parameters={"x": 21}, run_name="answer"
    )
    assert isinstance(run_id, str)
    assert isinstance(_finished_state(client, run_id), Success)
    info = client.get_flow_run_info(run_id)
    assert (info.id, info.name, info.flow_id) == (run_id, "answer", flow_ids["flow"])
    assert info.parameters == {"x": 21}
    assert isinstance(info.state, Success)
    assert {(run.task_slug, type(run.state)) for run in info.task_runs} >= {
        ("compute", Success),
        ("x", Success),
    }
    compute = next(run for run in info.task_runs if run.task_slug == "compute")
    assert isinstance(client.get_task_run_state(compute.id), Success)


def test_a_run_started_by_version_group_and_cancelled(
    client: Client, flow_ids: dict[str, str]
) -> None:
    # Far in the future, so no agent starts it before it is cancelled.
    run_id = client.create_flow_run(
        version_group_id=flow_ids["group"],
        scheduled_start_time=datetime(2099, 1, 1, tzinfo=UTC),
        idempotency_key="once",
    )
    assert client.create_flow_run(version_group_id=flow_ids["group"], idempotency_key="once") == (
        run_id
    )
    assert isinstance(client.get_flow_run_state(run_id), Scheduled)
    assert client.cancel_flow_run(run_id) is True
    assert isinstance(client.get_flow_run_state(run_id), Cancelled)


def test_what_1x_sent_that_proctor_does_not_take_is_a_clear_error(
    client: Client, flow_ids: dict[str, str]
) -> None:
    with pytest.raises(NotOfferedError, match=r"Client\.graphql.*Client\.query"):
        client.graphql("{ flow { id } }")
    with pytest.raises(NotOfferedError, match="context"):
        client.create_flow_run(flow_id=flow_ids["flow"], context={"a": 1})
    with pytest.raises(Exception, match="version_group_id"):
        client.create_flow_run(version_group_id=str(uuid.uuid4()))
