"""One real server process per module (SQLite), clients and a websocket per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from proctor.client import Client
from proctor.testing import ServerProcess


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    home = tmp_path_factory.mktemp("housekeeping-home")
    process = ServerProcess(f"sqlite+aiosqlite:///{home / 'proctor.db'}", home)
    process.start()
    yield process
    process.stop()


@pytest.fixture
def client(server: ServerProcess) -> Iterator[Client]:
    with Client(server.url) as api:
        yield api


def flow_spec(name: str, default: int = 3, hourly: bool = False) -> dict[str, object]:
    """A two-task flow named `name`, serialized (another `default`: another version)."""
    from proctor import Flow, Parameter, task
    from proctor.schedules import IntervalClock, Schedule

    @task
    def double(x: int) -> int:
        return 2 * x

    @task
    def show(value: int) -> None:
        print(value)

    with Flow(name, schedule=Schedule([IntervalClock(3600)]) if hourly else None) as flow:
        n = Parameter("n", default=default, type=int)
        show(double(n))
    return dict(flow.serialize())
