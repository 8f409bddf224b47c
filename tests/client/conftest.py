"""Fixtures for client and CLI tests: the server in process, or as a real process.

`in_process` is one `InProcessServer` per test module, on a SQLite file: the real app and
database, reached without a socket. Tests of what the API answers use it.
`server` is one `proctor server start` per test module, on a SQLite file: tests of what a
process does (the CLI finding the server by URL, websockets, crashes) use it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from proctor.testing import InProcessServer, ServerProcess


@pytest.fixture(scope="module")
def in_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcessServer]:
    with InProcessServer(tmp_path_factory.mktemp("in-process")) as running:
        yield running


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    home = tmp_path_factory.mktemp("server-home")
    process = ServerProcess(f"sqlite+aiosqlite:///{home / 'proctor.db'}", home)
    process.start()
    yield process
    process.stop()


@pytest.fixture
def in_process_url(in_process: InProcessServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """The in-process server's URL, also as PROCTOR_API_URL: a client or CLI command
    made for it in this process reaches it (see `proctor.testing.InProcessServer`)."""
    monkeypatch.setenv("PROCTOR_API_URL", in_process.url)
    return in_process.url


@pytest.fixture
def api_url(server: ServerProcess, monkeypatch: pytest.MonkeyPatch) -> str:
    """The running server's URL, also as PROCTOR_API_URL for clients and the CLI."""
    monkeypatch.setenv("PROCTOR_API_URL", server.url)
    return server.url


@pytest.fixture(scope="module")
def flow_spec_dict() -> dict[str, object]:
    from proctor import Flow, Parameter, task

    @task
    def double(x: int) -> int:
        return 2 * x

    @task
    def add(values: list[int]) -> int:
        return sum(values)

    with Flow("numbers") as flow:
        Parameter("n", default=3, type=int)
        add(double.map([1, 2, 3]))
    return dict(flow.serialize())
