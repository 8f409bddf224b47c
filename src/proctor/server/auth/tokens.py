"""Random secrets and the one-way digests stored in their place.

Session, invitation and API-key tokens are 256 random bits: nobody can guess one, so a
fast digest (SHA-256) is as safe for them as a slow password hash, and it lets the server
find the row by an indexed equality lookup on every request. Passwords, which people
choose and attackers can guess, go through argon2 instead (`passwords.py`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32


def new_token() -> str:
    """A URL-safe random token (256 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(token: str) -> str:
    """What the database stores for `token`: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def derived(token: str, purpose: str) -> str:
    """A value bound to `token` that cannot be computed without it (HMAC-SHA256)."""
    return hmac.new(token.encode("utf-8", "surrogatepass"), purpose.encode(), "sha256").hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two secrets."""
    return hmac.compare_digest(
        a.encode("utf-8", "surrogatepass"), b.encode("utf-8", "surrogatepass")
    )


__all__ = ["derived", "digest", "new_token", "same"]
