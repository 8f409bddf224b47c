"""Fixtures of the UI tests: a real `proctor server start` process on a free loopback port
with a temporary SQLite database, Debian's Chromium driven by Playwright, and an API
client to change runs while the browser watches.

The tests need the built UI (`make ui-build`), Playwright (`pip install -e '.[dev]'`) and
`/usr/bin/chromium` (`apt-get install -y chromium`); without them they are skipped with
the command that fixes it. Screenshots go to `test-artifacts/ui/`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from uiapi import Api
from uiauth import AuthApi, WebhookReceiver, start_auth_server
from uiharness import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    UI_DIST,
    ServerProcess,
    free_port,
    new_page,
)

from proctor.testing import ServerProcess as ProctorServer


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.ui)


def _requirements() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is missing: pip install -e '.[dev]'"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing: apt-get install -y chromium"
    if not (UI_DIST / "index.html").exists():
        return "the UI is not built: make ui-build"
    return None


@pytest.fixture(scope="session")
def ui_ready() -> None:
    problem = _requirements()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"UI tests cannot run in CI: {problem}")
        pytest.skip(problem)


# Each test file has a server (and database) of its own: a file's lists show only its own
# flows whatever ran before it, and the files can be spread over workers.
@pytest.fixture(scope="module")
def server(
    ui_ready: None, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path_factory.mktemp("ui-server"), free_port())
    process.start()
    yield process
    process.stop()
    # The server's own log, for when a test saw an internal error.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"server-{request.module.__name__}.log").write_text("".join(process.output))


@pytest.fixture
def fresh_server(ui_ready: None, tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of this test's own, with an empty database."""
    process = ServerProcess(tmp_path, free_port())
    process.start()
    yield process
    process.stop()


@pytest.fixture
def api(server: ServerProcess) -> Iterator[Api]:
    client = Api(server.url)
    yield client
    client.close()


@pytest.fixture(scope="session")
def browser(ui_ready: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, server: ServerProcess) -> Iterator[Any]:
    context, page, errors = new_page(browser, server.url)
    yield page
    context.close()
    assert not errors, errors


@pytest.fixture(scope="session")
def artifacts() -> Path:
    # Spread over workers, one worker must not wipe the screenshots another just took.
    if ARTIFACTS.exists() and "PYTEST_XDIST_WORKER" not in os.environ:
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def auth_server(
    ui_ready: None, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[ProctorServer]:
    """A server in auth mode (`PROCTOR_SERVER_AUTH_ENABLED`), its owner made with
    `proctor server create-admin`: one per test file (team, alerting)."""
    process = start_auth_server(tmp_path_factory.mktemp("ui-auth-server"))
    yield process
    process.stop()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"auth-server-{request.module.__name__}.log").write_text("".join(process.output))


@pytest.fixture
def admin_api(auth_server: ProctorServer) -> Iterator[AuthApi]:
    client = AuthApi(auth_server.url)
    yield client
    client.close()


@pytest.fixture
def auth_page(browser: Any, auth_server: ProctorServer) -> Iterator[Any]:
    """A browser page on the auth-mode server, nobody logged in yet."""
    context, page, errors = new_page(browser, auth_server.url)
    yield page
    context.close()
    assert not errors, errors


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    hook = WebhookReceiver().start()
    yield hook
    hook.stop()
