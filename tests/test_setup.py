"""Setting up from a clone: `make run` without npm, wheels and the built UI, a busy port,
and the CLI following the server's port (`PROCTOR_HOME/server.json`)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from proctor.client._config import resolve_config
from proctor.settings import Settings
from proctor.settings.local_server import local_server_path, record_local_server
from proctor.settings.profile import Profile, save_profile
from proctor.testing import ServerProcess

ROOT = Path(__file__).resolve().parents[1]


def shell_without_npm(tmp_path: Path) -> dict[str, str]:
    """The environment of a user's shell with no npm on its PATH. Not make's own
    variables: run by `make test`, the tests inherit its job-server flags, and a make
    started from a shell has none."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return {**env, "PATH": without_npm(tmp_path)}


def without_npm(tmp_path: Path) -> str:
    """A PATH with the tools make and pip need here, and no npm or node."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("find", "sh", "python3", "git"):
        found = shutil.which(tool)
        if found is not None:
            (tools / tool).symlink_to(found)
    return str(tools)


# -- make run ------------------------------------------------------------------------------


def test_make_run_without_npm_says_what_to_install_and_does_nothing(tmp_path: Path):
    make = shutil.which("make")
    assert make is not None
    env = shell_without_npm(tmp_path)
    done = subprocess.run(
        [make, "--no-print-directory", "-C", str(ROOT), "run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "needs Node.js" in lines[0] and "npm" in lines[0] and "install" in lines[0]
    assert "Error 127" not in done.stderr + done.stdout
    assert done.stdout == ""  # stopped before any recipe ran


def test_targets_without_the_ui_do_not_ask_for_npm(tmp_path: Path):
    make = shutil.which("make")
    assert make is not None
    env = shell_without_npm(tmp_path)
    done = subprocess.run(
        [make, "-n", "-C", str(ROOT), "typecheck"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "npm" not in done.stderr


# -- wheels carry the UI -------------------------------------------------------------------


def project_copy(tmp_path: Path, *, with_ui: bool) -> Path:
    """What a wheel is built from: the project files, `ui/` sources, and (optionally) a
    built UI."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("pyproject.toml", "hatch_build.py", "README.md"):
        shutil.copy2(ROOT / name, copy / name)
    shutil.copytree(
        ROOT / "src",
        copy / "src",
        ignore=shutil.ignore_patterns("__pycache__", "ui_dist"),
    )
    shutil.copytree(ROOT / "ui", copy / "ui", ignore=shutil.ignore_patterns("node_modules"))
    if with_ui:
        built = copy / "src" / "proctor" / "server" / "ui_dist"
        (built / "assets").mkdir(parents=True)
        (built / "assets" / "app-1234.js").write_text("console.log('ui')\n")
        (built / "index.html").write_text("<!doctype html><title>Proctor</title>\n")
    return copy


def build_wheel(project: Path, out: Path, path: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": path}
    return subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(project)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_a_wheel_without_the_built_ui_and_without_npm_is_refused(tmp_path: Path):
    project = project_copy(tmp_path, with_ui=False)
    done = build_wheel(project, tmp_path / "out", without_npm(tmp_path))
    assert done.returncode != 0
    assert "The web UI is not built" in done.stderr + done.stdout
    assert "make ui-build" in done.stderr + done.stdout
    assert not list(tmp_path.glob("out/*.whl"))


@pytest.mark.slow
def test_a_wheel_carries_the_built_ui(tmp_path: Path):
    project = project_copy(tmp_path, with_ui=True)
    done = build_wheel(project, tmp_path / "out", without_npm(tmp_path))
    assert done.returncode == 0, done.stderr
    [wheel] = (tmp_path / "out").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "proctor/server/ui_dist/index.html" in names
    assert "proctor/server/ui_dist/assets/app-1234.js" in names


# -- the port, and the CLI following it ----------------------------------------------------


def settings_for(home: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name in list(os.environ):
        if name.startswith("PROCTOR_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PROCTOR_HOME", str(home))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings()


def a_finished_pid() -> int:
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    return done.pid


def test_the_api_url_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path / "home"
    assert settings_for(home, monkeypatch).api.url == "http://127.0.0.1:4200"
    record_local_server(home, "http://127.0.0.1:4311")  # this (live) process's record
    assert settings_for(home, monkeypatch).api.url == "http://127.0.0.1:4311"
    explicit = settings_for(home, monkeypatch, PROCTOR_API_URL="http://127.0.0.1:9")
    assert explicit.api.url == "http://127.0.0.1:9"
    # A `proctor login` profile names a server on purpose: it wins over the record.
    save_profile(home, Profile(api_url="http://proctor.example:4200", api_key="pk_test"))
    settings_for(home, monkeypatch)
    config = resolve_config(None, None, None, None)
    assert (config.api_url, config.api_key) == ("http://proctor.example:4200", "pk_test")


def test_a_record_left_by_a_dead_server_is_ignored(tmp_path: Path, monkeypatch):
    home = tmp_path / "home"
    record_local_server(home, "http://127.0.0.1:4312", pid=a_finished_pid())
    assert settings_for(home, monkeypatch).api.url == "http://127.0.0.1:4200"
    local_server_path(home).write_text("not json")
    assert settings_for(home, monkeypatch).api.url == "http://127.0.0.1:4200"


@pytest.mark.slow
def test_a_running_server_records_its_url_and_removes_it_when_it_stops(tmp_path: Path):
    home = tmp_path / "home"
    server = ServerProcess(f"sqlite+aiosqlite:///{home / 'proctor.db'}", home)
    server.start(timeout=60)
    try:
        record = json.loads(local_server_path(home).read_text())
        assert server.process is not None
        assert record == {"url": server.url, "pid": server.process.pid}
        assert local_server_path(home).stat().st_mode & 0o077 == 0
        env = {k: v for k, v in os.environ.items() if not k.startswith("PROCTOR_")}
        listed = subprocess.run(
            [sys.executable, "-m", "proctor", "projects", "ls", "--json"],
            env={**env, "PROCTOR_HOME": str(home)},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert listed.returncode == 0, listed.stderr  # found the server on its port
    finally:
        server.stop()
    assert not local_server_path(home).exists()


@pytest.mark.slow
def test_a_busy_port_is_named_with_what_to_do(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PROCTOR_")}
        done = subprocess.run(
            [sys.executable, "-m", "proctor", "server", "start", "--no-open"],
            env={**env, "PROCTOR_HOME": str(tmp_path), "PROCTOR_SERVER_PORT": str(port)},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in done.stderr
    assert f"PROCTOR_SERVER_PORT={port + 1} make run" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "proctor.db").exists()  # refused before touching anything
