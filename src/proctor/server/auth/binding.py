"""Local mode is for loopback only: a server reachable from the network needs auth mode."""

from __future__ import annotations

import ipaddress

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    name = host.strip().strip("[]").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def bind_refusal(host: str, auth_enabled: bool) -> str | None:
    """Why the server must not listen on `host`, or None when it may."""
    if auth_enabled or is_loopback(host):
        return None
    return (
        f"refusing to listen on {host} without authentication: anyone who can reach it "
        "could run code on your agents. Start with --auth (or set "
        "PROCTOR_SERVER_AUTH_ENABLED=true) and create the first user with "
        "`proctor server create-admin --email you@example.com`; or listen on 127.0.0.1."
    )


__all__ = ["bind_refusal", "is_loopback"]
