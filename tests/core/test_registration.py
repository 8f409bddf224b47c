"""Flow.register hands a RegistrationRequest to the hook the client installs; the engine
itself never imports the client. These tests need no server: tests/client/
test_flow_register.py sends the same calls to a real one."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from proctor import Flow, task
from proctor.core import registration
from proctor.core.errors import ProctorError
from proctor.core.registration import RegistrationRequest, install_register_hook
from proctor.schedules import IntervalClock, Schedule


class Answer:
    status = "new"
    archived: list[str] = []
    flow = None


@pytest.fixture
def sent():
    """Install a recording hook for one test, then put the previous one back."""
    requests: list[RegistrationRequest] = []

    def record(request: RegistrationRequest) -> Answer:
        requests.append(request)
        return Answer()

    previous = install_register_hook(record)
    yield requests
    install_register_hook(previous)


def small_flow(**options) -> Flow:
    @task
    def one() -> int:
        return 1

    with Flow("small", **options) as made:
        one()
    return made


def test_register_sends_the_flow_and_its_options_through_the_hook(sent):
    flow = small_flow()
    flow.labels = {"laptop"}
    answer = flow.register(
        "etl", labels=["gpu", "laptop"], archive_previous=False, api_url="http://x:1"
    )
    assert isinstance(answer, Answer)
    [request] = sent
    assert request.project == "etl"
    assert request.spec["name"] == "small"
    # No storage given: the file that defined the flow, for an agent on this machine.
    assert request.storage == {"type": "local", "path": str(Path(__file__).resolve())}
    assert request.spec["storage"] == request.storage
    assert request.labels == ["gpu", "laptop"]
    assert (request.archive_previous, request.create_project) == (False, True)
    assert request.api_url == "http://x:1"
    assert request.schedule_active is True


def test_the_1x_spellings_reach_the_hook(sent):
    flow = small_flow(schedule=Schedule([IntervalClock(timedelta(hours=1))]))
    flow.run_config = {"labels": ["from-run-config"]}
    flow.register(project_name="legacy", set_schedule_active=False, idempotency_key="k")
    [request] = sent
    assert request.project == "legacy"
    assert request.labels == ["from-run-config"]
    assert request.schedule_active is False


def test_turning_off_a_schedule_that_does_not_exist_asks_nothing(sent):
    small_flow().register("etl", set_schedule_active=False)
    assert sent[0].schedule_active is True


def test_without_a_hook_register_says_what_is_missing():
    previous = install_register_hook(None)
    try:
        with pytest.raises(ProctorError, match="no client is installed to reach a server"):
            small_flow().register("etl")
    finally:
        install_register_hook(previous)


def test_a_client_that_cannot_be_imported_is_a_clear_error(monkeypatch):
    import proctor._client_hook as client_hook

    # None in sys.modules makes `import proctor.client._register` raise ImportError.
    monkeypatch.setitem(sys.modules, "proctor.client._register", None)
    request = RegistrationRequest("p", {"name": "f"}, {}, [], True, True, None, True)
    with pytest.raises(ProctorError, match=r"flow\.register\(\) needs Proctor's client"):
        client_hook.register_with_client(request)


def test_import_proctor_installs_the_client_hook_without_loading_the_client():
    code = (
        "import json, sys, proctor\n"
        "from proctor.core import registration\n"
        "from proctor._client_hook import register_with_client\n"
        "print(json.dumps([registration._hook is register_with_client,"
        " any(name.startswith('proctor.client') for name in sys.modules)]))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert json.loads(output) == [True, False]


def test_the_hook_is_the_client_in_this_process_too():
    from proctor._client_hook import register_with_client

    assert registration._hook is register_with_client
