"""Shared fixtures: every test gets its own PROCTOR_HOME and a clean in-process cache."""

from __future__ import annotations

import pytest

from proctor.core.runner.caching import clear_memory_cache


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("proctor-home")
    monkeypatch.setenv("PROCTOR_HOME", str(home))
    clear_memory_cache()
    yield home
    clear_memory_cache()


# Files that take a minute or more each (many processes, containers, a 1.x venv): they are
# handed to the workers first, so no worker starts one of them when the others are done.
LONGEST_FIRST = (
    "tests/docker/test_docker_agent.py",
    "tests/agent/test_many_agents.py",
    "tests/compat/test_differential.py",
    "tests/agent/test_hybrid.py",
    "tests/agent/test_slow_start.py",
    "tests/docker/test_docker_storage.py",
    "tests/server/auth/test_permission_matrix.py",
    "tests/agent/test_crashes.py",
    "tests/server/concurrency/test_limits_end_to_end.py",
    "tests/server/api/test_api_runs_page.py",
)


def _start_rank(item: pytest.Item) -> tuple[int, int]:
    path = item.nodeid.split("::", 1)[0]
    if path in LONGEST_FIRST:
        return (0, LONGEST_FIRST.index(path))
    return (1, 0) if item.get_closest_marker("slow") else (2, 0)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Workers run files in the order collected (`--dist loadfile`); a stable sort keeps
    # each file's own order and the order of files of the same rank.
    items.sort(key=_start_rank)
