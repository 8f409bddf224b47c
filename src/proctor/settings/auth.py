"""Authentication settings (`PROCTOR_SERVER_AUTH_*`): auth mode, sessions, login
throttling, password hashing, cookies.

Auth mode is off by default: a server on loopback serves one person with no login (local
mode). Binding any other address requires `enabled` (`proctor server start --auth`).
"""

from __future__ import annotations

from pydantic import Field

from proctor.settings.base import SettingsGroup, group_config


class AuthSettings(SettingsGroup):
    """Who may use the server, and how hard guessing a password is made."""

    model_config = group_config("server", "auth")

    enabled: bool = Field(
        default=False,
        description="Auth mode: every request needs a session or an API key. Required to "
        "listen on a non-loopback address.",
    )
    session_lifetime_seconds: float = Field(
        default=7 * 24 * 3600, gt=0, description="How long a login lasts."
    )
    login_attempts: int = Field(
        default=5,
        ge=1,
        description="Failed logins per account from one client address within the window; "
        "then that address's logins to the account are refused until the window ends.",
    )
    login_ip_attempts: int = Field(
        default=50,
        ge=1,
        description="Failed logins per client address (all accounts) within the window.",
    )
    login_account_attempts: int = Field(
        default=100,
        ge=1,
        description="Failed logins per account from all addresses together within the "
        "window: stops a guess spread over many addresses.",
    )
    login_window_seconds: float = Field(
        default=300.0, gt=0, description="Length of the login throttling window."
    )
    argon2_time_cost: int = Field(default=3, ge=1, description="argon2id iterations.")
    argon2_memory_kib: int = Field(
        default=65536, ge=8, description="argon2id memory per hash, in KiB."
    )
    argon2_parallelism: int = Field(default=4, ge=1, description="argon2id lanes.")
    cookie_secure: bool = Field(
        default=False,
        description="Send the session cookie over HTTPS only: turn on behind a TLS proxy.",
    )
    invitation_lifetime_seconds: float = Field(
        default=7 * 24 * 3600, gt=0, description="How long an invitation can be accepted."
    )
    websocket_recheck_seconds: float = Field(
        default=30.0,
        gt=0,
        description="How often an open websocket checks that its session or API key "
        "still holds (and its role is unchanged); it is closed (code 4403) when not.",
    )


__all__ = ["AuthSettings"]
