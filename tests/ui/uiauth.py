"""Auth mode for the UI tests: a server started with auth on (its first owner made with
`proctor server create-admin`), an API client that logs in like the browser does (session
cookie + CSRF header), the login form driven in a page, and a webhook receiver."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from uiapi import Api

from proctor.testing import ServerProcess

ADMIN_EMAIL = "owner@example.com"
ADMIN_PASSWORD = "correct horse battery"
# Cheap password hashing: the default argon2 cost is ~150 ms and 64 MiB a hash.
CHEAP_ARGON2 = {
    "PROCTOR_SERVER_AUTH_ARGON2_TIME_COST": "1",
    "PROCTOR_SERVER_AUTH_ARGON2_MEMORY_KIB": "8",
    "PROCTOR_SERVER_AUTH_ARGON2_PARALLELISM": "1",
}


def start_auth_server(home: Path) -> ServerProcess:
    """A fresh database with one owner, and a server on it in auth mode."""
    database_url = f"sqlite+aiosqlite:///{home / 'proctor.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROCTOR_")}
    env.update({"PROCTOR_HOME": str(home), **CHEAP_ARGON2})
    subprocess.run(
        [
            sys.executable,
            "-m",
            "proctor",
            "server",
            "create-admin",
            "--email",
            ADMIN_EMAIL,
            "--password-stdin",
            "--database-url",
            database_url,
        ],
        input=ADMIN_PASSWORD,
        text=True,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    server = ServerProcess(
        database_url,
        home,
        env={
            "PROCTOR_SERVER_AUTH_ENABLED": "true",
            **CHEAP_ARGON2,
            # Quick services: SLA breaches and deliveries show up within seconds.
            "PROCTOR_SERVER_SERVICES_SLA_LOOP_SECONDS": "1",
            "PROCTOR_SERVER_SERVICES_NOTIFIER_LOOP_SECONDS": "0.5",
        },
    )
    server.start(timeout=60)
    return server


class AuthApi(Api):
    """`Api` logged in as a person: the session cookie, and its CSRF token on every POST."""

    def __init__(self, url: str, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> None:
        super().__init__(url)
        response = self.http.post("/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.text
        self.me = response.json()
        self.http.headers["X-CSRF-Token"] = self.me["csrfToken"]

    def invite(self, email: str, role: str) -> str:
        data = self.gql(
            "mutation($e: String!, $r: String!) { inviteMember(email: $e, role: $r) { token } }",
            {"e": email, "r": role},
        )
        return str(data["inviteMember"]["token"])


def add_member(api: AuthApi, email: str, password: str, role: str) -> None:
    """Invite someone and accept for them (the way their invitation link does)."""
    token = api.invite(email, role)
    anonymous = Api(api.url)
    try:
        anonymous.gql(
            "mutation($t: String!, $p: String) { acceptInvitation(token: $t, password: $p) "
            "{ user { email } } }",
            {"t": token, "p": password},
        )
    finally:
        anonymous.close()


def log_in(page: Any, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> None:
    form = page.get_by_test_id("login-form")
    expect(form).to_be_visible()
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("user-box")).to_contain_text(email)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    """An HTTP server on a free loopback port that records every POST and answers 200."""

    requests: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/proctor"

    def start(self) -> WebhookReceiver:
        received = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                received.append(Received(self.path, dict(self.headers.items()), body))
                self.send_response(200)
                self.send_header("content-type", "text/plain")
                self.end_headers()
                self.wfile.write(b"thanks")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
