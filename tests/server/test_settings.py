"""Settings: one tree, env prefixes derived from the path, lazy reads, test overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from proctor.settings import get_settings, setting_names, temporary_settings


def test_defaults(monkeypatch: pytest.MonkeyPatch, isolated_home: Path):
    settings = get_settings()
    assert settings.home == isolated_home
    assert (settings.server.host, settings.server.port) == ("127.0.0.1", 4200)
    assert settings.database_url == f"sqlite+aiosqlite:///{isolated_home / 'proctor.db'}"
    assert settings.api.url == "http://127.0.0.1:4200"
    assert settings.server.limits.max_page_size > 0
    assert settings.server.services.scheduler.loop_seconds > 0


def test_environment_names_follow_the_tree(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PROCTOR_SERVER_PORT", "4321")
    monkeypatch.setenv("PROCTOR_SERVER_LIMITS_MAX_PAGE_SIZE", "7")
    monkeypatch.setenv("PROCTOR_SERVER_SERVICES_ZOMBIE_LOOP_SECONDS", "2.5")
    monkeypatch.setenv("PROCTOR_API_URL", "http://example.test")
    settings = get_settings()
    assert settings.server.port == 4321
    assert settings.server.limits.max_page_size == 7
    assert settings.server.services.zombie.loop_seconds == 2.5
    assert settings.api.url == "http://example.test"
    assert "PROCTOR_SERVER_DATABASE_URL" in setting_names()


def test_database_url_alias_and_precedence(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PROCTOR_DATABASE_URL", "postgresql+asyncpg://alias/db")
    assert get_settings().database_url == "postgresql+asyncpg://alias/db"
    monkeypatch.setenv("PROCTOR_SERVER_DATABASE_URL", "postgresql+asyncpg://full/db")
    assert get_settings().database_url == "postgresql+asyncpg://full/db"


def test_settings_follow_environment_changes_without_restart(monkeypatch: pytest.MonkeyPatch):
    first = get_settings()
    assert get_settings() is first  # cached while nothing changes
    monkeypatch.setenv("PROCTOR_SERVER_HOST", "0.0.0.0")
    assert get_settings().server.host == "0.0.0.0"


def test_temporary_settings_override_and_restore(tmp_path: Path):
    before = get_settings().server.port
    with temporary_settings(server_port=5555, home=tmp_path) as settings:
        assert settings.server.port == 5555
        assert get_settings().home == tmp_path
        assert get_settings().database_url.endswith(f"{tmp_path}/proctor.db")
    assert get_settings().server.port == before


def test_temporary_settings_refuse_unknown_names():
    with pytest.raises(KeyError, match="PROCTOR_SERVER_PROT"), temporary_settings(server_prot=1):
        pass


def test_invalid_values_name_the_setting(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PROCTOR_SERVER_PORT", "many")
    with pytest.raises(ValidationError, match="port"):
        get_settings()


def test_importing_settings_reads_no_environment(monkeypatch: pytest.MonkeyPatch):
    import subprocess
    import sys

    code = (
        "import os, proctor.settings as s; os.environ['PROCTOR_SERVER_PORT'] = '1234';"
        "print(s.get_settings().server.port)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1234"


def test_service_defaults_suit_a_small_deployment():
    from proctor.server.background import check_thresholds

    services = get_settings().server.services
    assert (services.scheduler.loop_seconds, services.scheduler.max_runs) == (5.0, 10)
    assert services.scheduler.horizon_seconds == 3600.0
    assert (services.heartbeat_seconds, services.lazarus.after_seconds) == (10.0, 30.0)
    assert (services.zombie.after_seconds, services.lazarus.max_requeues) == (60.0, 3)
    assert check_thresholds(get_settings()) == []
    with temporary_settings(server_services_lazarus_after_seconds=15) as tight:
        [warning] = check_thresholds(tight)
        assert "lazarus.after_seconds (15)" in warning
