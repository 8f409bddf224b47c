"""Security headers on every HTTP response, and the Content-Security-Policy of each page.

Every response gets `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` and
`Referrer-Policy: no-referrer` (an invitation link carries its token in the query string:
it must not leak to another site through a Referer), plus a Content-Security-Policy:

- `DEFAULT_POLICY` for everything that does not set its own: only this origin's scripts,
  styles, images and connections; no plugins, no framing, no `<base>` tricks;
- the UI's `index.html` (`UIApp`) sets `page_policy(html)`: the same, plus the hashes of
  the inline scripts and styles the built page itself holds (the theme script that runs
  before the first paint), read from the file on disk;
- the GraphiQL page (`GET /graphql` answered with HTML) gets `page_policy(html,
  external=True)`: its inline scripts by hash and exactly the https files it loads, on
  that page only. The page Proctor serves is built with the UI and loads only this
  server's files (so the policy is `'self'`); a strawberry CDN template would get its
  exact CDN files. Its HTML is a static file, never built from request input, so hashing
  what it holds trusts nothing a client sent.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from html.parser import HTMLParser

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
FIXED_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)
CSP = b"content-security-policy"
GRAPHIQL_PATH = "/graphql"
# The GraphiQL page is a few kilobytes; anything much larger is not that page.
MAX_BUFFERED_PAGE = 1 << 20


class _PageParts(HTMLParser):
    """What a page runs: inline script and style bodies, external script/style URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.inline_scripts: list[str] = []
        self.inline_styles: list[str] = []
        self.script_urls: list[str] = []
        self.style_urls: list[str] = []
        self._open: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            source = attributes.get("src")
            if source:
                self.script_urls.append(source)
            else:
                self._open, self._text = "script", []
        elif tag == "style":
            self._open, self._text = "style", []
        elif tag == "link" and "stylesheet" in (attributes.get("rel") or "").split():
            self.style_urls.extend(href for href in [attributes.get("href")] if href)

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            body = "".join(self._text)
            (self.inline_scripts if tag == "script" else self.inline_styles).append(body)
            self._open = None


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


_URL_SAFE = re.compile(r"^https://[A-Za-z0-9.-]+(?::\d+)?/[^\s;,']*$")


def _external(urls: list[str]) -> list[str]:
    # Only plain https URLs: anything odd (spaces, quotes, other schemes) is left out
    # rather than written into the header.
    return sorted({url for url in urls if _URL_SAFE.match(url)})


@functools.lru_cache(maxsize=16)
def page_policy(html: str, *, external: bool = False) -> str:
    """The policy for one static page: `DEFAULT_POLICY` plus its inline scripts and
    styles by hash, and (with `external`) the exact https files it loads."""
    parts = _PageParts()
    parts.feed(html)
    parts.close()
    scripts = ["'self'", *(_hash(body) for body in parts.inline_scripts)]
    styles = ["'self'", *(_hash(body) for body in parts.inline_styles)]
    fonts = ["'self'", "data:"]
    if external:
        scripts += _external(parts.script_urls)
        sheets = _external(parts.style_urls)
        styles += sheets
        # A stylesheet's fonts come from its own host.
        fonts += sorted({url.split("/", 3)[0] + "//" + url.split("/", 3)[2] for url in sheets})
    return (
        f"default-src 'self'; script-src {' '.join(scripts)}; style-src {' '.join(styles)}; "
        f"img-src 'self' data:; font-src {' '.join(fonts)}; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(
        name.lower() == b"content-type" and value.lower().startswith(b"text/html")
        for name, value in headers
    )


def _with_security(headers: list[tuple[bytes, bytes]], policy: str | None) -> list[Message]:
    present = {name.lower() for name, _ in headers}
    added = [(name, value) for name, value in FIXED_HEADERS if name not in present]
    if policy is not None:
        headers = [(name, value) for name, value in headers if name.lower() != CSP]
        added.append((CSP, policy.encode()))
    elif CSP not in present:
        added.append((CSP, DEFAULT_POLICY.encode()))
    return [*headers, *added]  # type: ignore[list-item]


class SecurityHeadersMiddleware:
    """Adds the headers above to every HTTP response (websockets are left alone)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        graphiql = scope.get("path") == GRAPHIQL_PATH and scope.get("method") == "GET"
        held: Message | None = None
        body: list[bytes] = []

        async def send_secured(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if graphiql and _is_html(headers):
                    held = {**message, "headers": headers}  # sent with the whole page
                    return
                await send({**message, "headers": _with_security(headers, None)})
                return
            if held is not None and message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if message.get("more_body", False) and sum(map(len, body)) < MAX_BUFFERED_PAGE:
                    return
                page = b"".join(body)
                policy = page_policy(page.decode("utf-8", "replace"), external=True)
                await send({**held, "headers": _with_security(held["headers"], policy)})
                held = None
                await send({**message, "body": page})
                return
            await send(message)

        await self.app(scope, receive, send_secured)


__all__ = ["DEFAULT_POLICY", "SecurityHeadersMiddleware", "page_policy"]
