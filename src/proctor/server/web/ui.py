"""Serves the web UI at `/`: the built single-page app, or a placeholder until it exists.

The UI build (`ui/` -> `src/proctor/server/ui_dist/`) replaces the placeholder without a
code change: when `ui_dist/index.html` exists, files are served from there and any other
path gets `index.html` (the SPA's router takes over), so deep links like `/flow-run/ID`
survive a reload (a missing file with an extension, such as a stale asset, is a 404).
Paths are resolved and confined to the folder: no `..` escapes. A path the file system
cannot even look up (a NUL byte, a name longer than the system allows) is a 400 or a
404, never an error. HTML pages carry their own Content-Security-Policy (the inline
scripts they hold, by hash: see `web.security_headers`).
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.types import Receive, Scope, Send

from proctor.server.web.security_headers import page_policy

DEFAULT_UI_DIR = Path(__file__).resolve().parent.parent / "ui_dist"

_PLACEHOLDER = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Proctor</title>
<style>
 body {{ font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto;
        padding: 0 1rem; color: #1f2933; line-height: 1.5; }}
 code {{ background: #f0f4f8; padding: 0 .25rem; border-radius: 3px; }}
 a {{ color: #2563eb; }}
</style>
</head>
<body>
<h1>Proctor server</h1>
<p>The server is running (version {version}). The web UI lands soon; meanwhile:</p>
<ul>
 <li><a href="/graphql">GraphQL API</a>, with a GraphiQL page to explore it</li>
 <li><a href="/health">/health</a>: is the database answering?</li>
 <li><a href="/metrics">/metrics</a>: Prometheus metrics</li>
</ul>
<p>From a shell: <code>proctor flows ls</code>, <code>proctor runs ls</code>.</p>
</body>
</html>
"""


# The GraphiQL page is built with the UI (ui/src/graphiql/), so it loads only this
# server's files; its place in the build mirrors its place in the sources.
GRAPHIQL_PAGE = Path("src") / "graphiql" / "index.html"

_GRAPHIQL_NOT_BUILT = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Proctor GraphQL API</title></head>
<body>
<h1>Proctor GraphQL API</h1>
<p>This endpoint answers GraphQL over POST (and queries over GET, and subscriptions over
websockets). The GraphiQL page to explore it is part of the web UI, which is not built in
this installation: run <code>make ui-build</code> (it needs Node.js and npm) and restart
the server.</p>
</body>
</html>
"""


def graphiql_page(directory: Path | None = None) -> str:
    """The GraphiQL page of the UI build in `directory`, or a page saying how to build it
    (never one that loads scripts from elsewhere)."""
    file = (directory or DEFAULT_UI_DIR) / GRAPHIQL_PAGE
    try:
        return file.read_text(encoding="utf-8")
    except OSError:
        return _GRAPHIQL_NOT_BUILT


class UIApp:
    """ASGI app for everything that is not an API route."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = (directory or DEFAULT_UI_DIR).resolve()

    def _built(self) -> bool:
        return (self.directory / "index.html").is_file()

    def _file_for(self, path: str) -> Path | None:
        try:
            candidate = (self.directory / path.lstrip("/")).resolve()
            if not candidate.is_relative_to(self.directory) or not candidate.is_file():
                return None
        except (OSError, ValueError):  # a name too long for the file system, a loop
            return None
        return candidate

    def _page(self, file: Path) -> Response:
        """A file of the build; an HTML page with the policy its own inline code needs."""
        if file.suffix != ".html":
            return FileResponse(file)
        text = file.read_text(encoding="utf-8")
        return HTMLResponse(text, headers={"Content-Security-Policy": page_policy(text)})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response: Response
        path = request.url.path
        if request.method not in ("GET", "HEAD"):
            response = Response("Method Not Allowed", status_code=405)
        elif "\x00" in path:
            response = Response("Bad Request: the path holds a NUL character", status_code=400)
        elif not self._built():
            from proctor._version import __version__

            page = _PLACEHOLDER.format(version=html.escape(__version__))
            response = HTMLResponse(page, headers={"Content-Security-Policy": page_policy(page)})
        else:
            found = self._file_for(path)
            if found is not None:
                response = self._page(found)
            elif _has_suffix(path):
                # A missing asset is a 404, not the app: a stale bundle must fail loudly.
                response = Response("Not Found", status_code=404)
            else:
                response = self._page(self.directory / "index.html")
        await response(scope, receive, send)


def _has_suffix(path: str) -> bool:
    """Whether the last part of `path` looks like a file name (`app.js`, not `flows`)."""
    return bool(os.path.splitext(path.rsplit("/", 1)[-1])[1])


__all__ = ["DEFAULT_UI_DIR", "GRAPHIQL_PAGE", "UIApp", "graphiql_page"]
