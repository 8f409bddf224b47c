"""The UI tests' harness: a `proctor server start` process, Chromium pages, screenshots."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
UI_DIST = ROOT / "src" / "proctor" / "server" / "ui_dist"
ARTIFACTS = ROOT / "test-artifacts" / "ui"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
READY = "Proctor server ready at "


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """`proctor server start` in a subprocess; `url` once it printed its ready line."""

    def __init__(self, home: Path, port: int) -> None:
        self.home = home
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[str] | None = None
        self.output: list[str] = []

    def start(self, timeout: float = 90.0) -> None:
        env = {
            **os.environ,
            "PROCTOR_HOME": str(self.home),
            "PROCTOR_SERVER_DATABASE_URL": f"sqlite+aiosqlite:///{self.home / 'proctor.db'}",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "proctor",
                "server",
                "start",
                "--port",
                str(self.port),
                "--no-open",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        ready = threading.Event()

        def read(stream: Any) -> None:
            for line in stream:
                self.output.append(line)
                if line.startswith(READY):
                    ready.set()

        threading.Thread(target=read, args=(self.process.stdout,), daemon=True).start()
        deadline = time.monotonic() + timeout
        while not ready.wait(0.05):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the server did not start:\n" + "".join(self.output))

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.process and self.process.stdout:
            self.process.stdout.close()
        self.process = None


class PageErrors(list[str]):
    """Uncaught errors of the page; a test fails if any happened."""


def new_page(
    browser: Any, base_url: str, color_scheme: str = "light"
) -> tuple[Any, Any, PageErrors]:
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": 1440, "height": 900},
        color_scheme=color_scheme,
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = PageErrors()
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def shot(page: Any, artifacts: Path, name: str) -> None:
    """Save a full-page screenshot once the page has settled."""
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
