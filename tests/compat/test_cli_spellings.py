"""1.x command spellings and the flow-run tasks against a real server and a real agent.

`proctor register --project P -p DIR`, `proctor agent local start --label L`,
`proctor create project NAME`, `proctor run --name N --project P --param k=v --watch`;
then a parent flow, run here, starts the registered child with `create_flow_run`, waits
for it with `wait_for_flow_run` and reads its value with `get_task_run_result`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.agent.processes import base_env, proctor, proctor_json, start_server, wait_until

from proctor import Flow
from proctor.client import Client
from proctor.testing import ServerProcess

pytestmark = pytest.mark.slow

FLOWS = Path(__file__).resolve().parent / "flows_1x"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("compat-home")


@pytest.fixture(scope="module")
def server(home: Path) -> Iterator[ServerProcess]:
    process = start_server(home)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def project(home: Path, server: ServerProcess) -> str:
    name = f"compat-{uuid.uuid4().hex[:8]}"
    created = proctor("create", "project", name, home=home, api_url=server.url)
    assert created.returncode == 0, created.stderr
    assert name in created.stdout
    return name


@pytest.fixture(scope="module")
def registered(home: Path, server: ServerProcess, project: str) -> dict[str, dict]:
    done = proctor_json(
        "register", "--project", project, "-p", str(FLOWS), home=home, api_url=server.url
    )
    return {item["flow"]["name"]: item["flow"] for item in done}


@pytest.fixture(scope="module")
def agent(home: Path, server: ServerProcess, registered: dict) -> Iterator[subprocess.Popen]:
    log = home / "agent-local.log"
    command = [sys.executable, "-m", "proctor", "agent", "local", "start", "--label",
               "compat-box", "--name", "compat-agent"]  # fmt: skip
    with log.open("ab") as output:
        process = subprocess.Popen(
            command,
            env=base_env(home, server.url),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    yield process
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def test_register_dash_p_registers_every_flow_of_the_folder(registered, project):
    assert sorted(registered) == ["child-1x", "failing-1x"]
    child = registered["child-1x"]
    assert child["storage"] == {"type": "local", "path": str(FLOWS / "child.py")}
    # The run config travels in the spec as data, and its labels became the flow's.
    assert child["labels"] == ["compat-box"]
    assert child["project_name"] == project


def test_registered_spec_holds_the_run_config(server, registered):
    with Client(server.url) as client:
        data = client.query(
            "query ($id: ID!) { flow(id: $id) { runConfig } }", {"id": registered["child-1x"]["id"]}
        )
    assert data["flow"]["runConfig"] == {
        "type": "local",
        "env": {"CHILD": "1"},
        "labels": ["compat-box"],
    }


def test_run_by_name_with_params_and_watch(home, server, project, agent):
    done = proctor(
        "run", "--name", "child-1x", "--project", project, "--param", "x=21", "--watch",
        "--json", home=home, api_url=server.url,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    run_id = json.loads(done.stdout)["id"]
    with Client(server.url) as client:
        run = client.get_flow_run(run_id)
        assert run.state == "Success"
        assert run.parameters == {"x": 21}
        [compute] = [t for t in client.list_task_runs(run_id).items if t.task_slug == "compute"]
    # PrefectResult keeps the value in the state: its location is the JSON text.
    assert compute.state == "Success"
    assert compute.result_location == "42"


def test_run_needs_exactly_one_flow(home, server):
    done = proctor("run", "a", "--name", "b", home=home, api_url=server.url)
    assert done.returncode != 0
    assert "Name one flow to run" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_flow_run_tasks_start_wait_and_read_the_child(server, project, agent, monkeypatch):
    from proctor.tasks.prefect import create_flow_run, get_task_run_result, wait_for_flow_run

    monkeypatch.setenv("PROCTOR_API_URL", server.url)
    with Flow("parent-1x") as flow:
        child_id = create_flow_run(flow_name="child-1x", project_name=project, parameters={"x": 5})
        finished = wait_for_flow_run(child_id, raise_final_state=True)
        value = get_task_run_result(child_id, "compute", upstream_tasks=[finished])
    state = flow.run()
    assert state.is_successful(), {n.name: s for n, s in state.result.items()}
    assert state.result[value].result == 10
    view = state.result[finished].result
    assert type(view.state).__name__ == "Success"
    assert view.parameters == {"x": 5}
    assert sorted(t.task_slug for t in view.get_all_task_runs()) == ["compute", "x"]


def test_wait_for_a_failed_child_fails_the_waiting_task(server, project, agent, monkeypatch):
    from proctor.tasks.prefect import create_flow_run, wait_for_flow_run

    monkeypatch.setenv("PROCTOR_API_URL", server.url)
    with Flow("parent-of-failing") as flow:
        child_id = create_flow_run(flow_name="failing-1x", project_name=project)
        waited = wait_for_flow_run(child_id, raise_final_state=True)
    state = flow.run()
    assert type(state.result[child_id]).__name__ == "Success"
    assert type(state.result[waited]).__name__ == "Failed"
    assert "ended Failed" in state.result[waited].message


def test_start_flow_run_with_wait_returns_the_child_id(server, project, agent, monkeypatch):
    from proctor.tasks.prefect import StartFlowRun

    monkeypatch.setenv("PROCTOR_API_URL", server.url)
    start = StartFlowRun(flow_name="child-1x", project_name=project, wait=True)
    with Flow("starter") as flow:
        started = start(parameters={"x": 7})
    state = flow.run()
    assert state.is_successful()
    run_id = state.result[started].result
    with Client(server.url) as client:
        run = wait_until(lambda: client.get_flow_run(run_id), 5, "the child run")
        assert run.state == "Success" and run.parameters == {"x": 7}
