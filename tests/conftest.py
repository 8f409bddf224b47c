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
