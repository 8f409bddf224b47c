"""The HTTP edges of the server: static UI routes that never fail on hostile paths, and
the security headers (CSP, nosniff, no framing, referrer policy) on every kind of page."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from proctor.server.app import create_app
from proctor.settings import get_settings

SECRET_TEXT = "outside-the-ui-folder"
INLINE = 'document.documentElement.dataset.theme = "dark";'
INDEX = (
    "<!doctype html><html><head><script>" + INLINE + "</script>"
    '<script type="module" src="/assets/app.js"></script>'
    '<link rel="stylesheet" href="/assets/app.css"></head><body>the app</body></html>'
)


# The GraphiQL page as the UI build makes it: its code and styles from this server.
GRAPHIQL = (
    '<!doctype html><html><head><script type="module" src="/assets/graphiql.js"></script>'
    '<link rel="stylesheet" href="/assets/graphiql.css"></head>'
    '<body><div id="graphiql">Loading GraphiQL</div></body></html>'
)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.fixture
def ui_dir(tmp_path: Path) -> Path:
    dist = tmp_path / "ui" / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX)
    (dist / "assets" / "app.js").write_text("console.log('app')")
    (dist / "assets" / "app.css").write_text("body{}")
    (dist / "assets" / "ünï.js").write_text("console.log('unicode')")
    (dist / "src" / "graphiql").mkdir(parents=True)
    (dist / "src" / "graphiql" / "index.html").write_text(GRAPHIQL)
    # Files next to and above the UI folder: never served, whatever the path.
    (tmp_path / "ui" / "secret.txt").write_text(SECRET_TEXT)
    (tmp_path / "secret.txt").write_text(SECRET_TEXT)
    return dist


@pytest.fixture
async def ui_app(database: Any, ui_dir: Path) -> AsyncIterator[Starlette]:
    app = create_app(get_settings(), database=database, ui_dir=ui_dir, background=False)
    async with app.router.lifespan_context(app):
        await app.state.warm_up
        yield app


async def raw_get(app: Starlette, path: str) -> tuple[int, dict[str, str], bytes]:
    """GET `path` straight through the ASGI interface, as a server passes it after
    percent-decoding: no client library normalises or refuses anything on the way."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("utf-8", "surrogateescape"),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"proctor.test")],
        "client": ("127.0.0.1", 1234),
        "server": ("proctor.test", 80),
        "state": {},
    }
    sent: list[dict[str, Any]] = []
    requested = False
    finished = asyncio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await finished.wait()  # the client hangs up once the response is complete
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            finished.set()

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], headers, body


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_nul_byte_or_an_overlong_name_is_a_client_error(ui_app):
    status, _, _ = await raw_get(ui_app, "/\x00")
    assert status == 400
    status, _, _ = await raw_get(ui_app, "/assets/a\x00.js")
    assert status == 400
    status, _, body = await raw_get(ui_app, "/" + "a" * 5000 + ".js")
    assert status == 404 and SECRET_TEXT.encode() not in body
    status, _, body = await raw_get(ui_app, "/" + "a" * 300 + "/" + "b" * 300)
    assert status == 200 and b"the app" in body  # a deep link: the app decides
    status, _, body = await raw_get(ui_app, "/assets/ünï.js")
    assert status == 200 and body == b"console.log('unicode')"


paths = st.one_of(
    st.text(max_size=300).map(lambda text: "/" + text),
    st.lists(
        st.sampled_from(
            ["..", ".", "", "%2e%2e", "%2F", "\\", "\x00", "assets", "app.js", "secret.txt",
             "ui", "dist", "index.html", "ü", "\u202e", "a" * 255, "a" * 5000, "~", "//"]
        ),
        max_size=8,
    ).map(lambda parts: "/" + "/".join(parts)),
)  # fmt: skip


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(path=paths)
async def test_static_routes_never_fail_and_never_leave_the_ui_folder(ui_app, path):
    status, headers, body = await raw_get(ui_app, path)
    assert status in (200, 400, 404), (path, status)
    assert SECRET_TEXT.encode() not in body
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def _directives(policy: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            found[words[0]] = words[1:]
    return found


def _assert_common(headers: httpx.Headers) -> dict[str, list[str]]:
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    policy = _directives(headers["content-security-policy"])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    return policy


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_security_headers_on_the_ui_an_asset_graphiql_and_a_404(ui_app):
    transport = httpx.ASGITransport(app=ui_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://proctor.test") as http:
        index = await http.get("/")
        assert index.status_code == 200 and "the app" in index.text
        policy = _assert_common(index.headers)
        # The page's own inline script is allowed by its hash, and nothing else inline.
        assert policy["script-src"] == ["'self'", _sha256(INLINE)]
        assert policy["connect-src"] == ["'self'"]
        deep = await http.get("/flow-run/abc")
        assert deep.headers["content-security-policy"] == index.headers["content-security-policy"]

        asset = await http.get("/assets/app.js")
        assert asset.status_code == 200
        assert _assert_common(asset.headers)["script-src"] == ["'self'"]

        missing = await http.get("/assets/missing.js")
        assert missing.status_code == 404
        _assert_common(missing.headers)

        api = await http.post("/graphql", json={"query": "{ projects { id } }"})
        assert api.status_code == 200
        _assert_common(api.headers)

        graphiql = await http.get("/graphql", headers={"accept": "text/html"})
        # The page built with the UI, loading only this server's files: no CDN allowed.
        assert graphiql.status_code == 200 and graphiql.text == GRAPHIQL
        policy = _assert_common(graphiql.headers)
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert not any("https:" in value for values in policy.values() for value in values)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_placeholder_page_gets_a_policy_for_its_inline_style(database, tmp_path):
    app = create_app(get_settings(), database=database, ui_dir=tmp_path / "not-built")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            page = await http.get("/")
            policy = _assert_common(page.headers)
            [style] = re.findall(r"<style>(.*?)</style>", page.text, re.S)
            assert policy["style-src"] == ["'self'", _sha256(style)]
