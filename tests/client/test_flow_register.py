"""flow.register() against the server app in process: the engine builds the request, the
hook that `import proctor` installs sends it with a `Client(api_url)` of its own, which
finds the in-process server by its URL."""

from __future__ import annotations

import uuid
from datetime import timedelta

from proctor import Flow, task
from proctor.client import Client
from proctor.schedules import IntervalClock, Schedule
from proctor.testing import InProcessServer


def hourly_flow(name: str) -> Flow:
    @task
    def tick() -> int:
        return 1

    with Flow(name, schedule=Schedule([IntervalClock(timedelta(hours=1))])) as made:
        tick()
    return made


def test_flow_register_reaches_the_server_through_the_client(in_process: InProcessServer):
    project, name = f"reg-{uuid.uuid4().hex[:6]}", f"hourly-{uuid.uuid4().hex[:6]}"
    flow = hourly_flow(name)
    first = flow.register(project, labels=["box"], api_url=in_process.url)
    assert first.status == "new"
    again = flow.register(project, labels=["box"], api_url=in_process.url)
    assert again.status == "unchanged"
    assert again.flow.id == first.flow.id
    with Client(in_process.url) as client:
        stored = client.get_flow(first.flow.id)
    assert stored.name == name
    assert stored.project_name == project
    assert stored.labels == ["box"]
    assert stored.storage is not None and stored.storage["type"] == "local"
    assert stored.schedule_active is True


def test_set_schedule_active_false_turns_the_schedule_off(in_process: InProcessServer):
    project = f"reg-{uuid.uuid4().hex[:6]}"
    registered = hourly_flow(f"paused-{uuid.uuid4().hex[:6]}").register(
        project_name=project, set_schedule_active=False, api_url=in_process.url
    )
    with Client(in_process.url) as client:
        assert client.get_flow(registered.flow.id).schedule_active is False
