"""Servers reachable by URL inside this process: the in-process test server's hook.

`proctor.testing.InProcessServer` registers its URL here while it runs. A client made
for that URL without a transport then uses the one the server provides, so code that
builds its own `Client(url)` (`flow.register(api_url=...)`, the CLI) reaches the server in
this process as it would reach a real one. Nothing else registers; for every other URL
the client uses httpx's own network transport.
"""

from __future__ import annotations

import threading
from typing import Protocol, TypeVar

import httpx

TransportT = TypeVar("TransportT", httpx.BaseTransport, httpx.AsyncBaseTransport)


class LocalServer(Protocol):
    """What a server in this process offers: a transport for each kind of client."""

    def transport(self) -> httpx.BaseTransport: ...

    def async_transport(self) -> httpx.AsyncBaseTransport: ...


_servers: dict[str, LocalServer] = {}
_lock = threading.Lock()


def _key(url: str) -> str:
    return url.rstrip("/").lower()


def register_local_server(url: str, server: LocalServer) -> None:
    """Route clients of `url` to `server` until `unregister_local_server(url)`."""
    with _lock:
        if _key(url) in _servers:
            raise ValueError(f"a server in this process already answers at {url}")
        _servers[_key(url)] = server


def unregister_local_server(url: str) -> None:
    with _lock:
        _servers.pop(_key(url), None)


def local_transport(url: str, kind: type[TransportT]) -> TransportT | None:
    """The transport of the server registered at `url` (of `kind`), or None."""
    with _lock:
        server = _servers.get(_key(url))
    if server is None:
        return None
    made = server.async_transport() if kind is httpx.AsyncBaseTransport else server.transport()
    if not isinstance(made, kind):
        raise TypeError(f"the server at {url} gave a {type(made).__name__}, not a {kind}")
    return made


__all__ = ["LocalServer", "local_transport", "register_local_server", "unregister_local_server"]
