"""Where the client connects and with what: URL, API key, timeout, transport, retries.

Defaults come from the settings (`PROCTOR_API_URL`, `PROCTOR_API_KEY`,
`PROCTOR_API_TIMEOUT`), read when a client is created, never at import time; without an
API key, the profile `proctor login --key` saved (its key goes to its URL only). The
`transport` is httpx's: `proctor.testing.InProcessServer` hands out transports (blocking and
async) that talk to the server app in this process (tests, embedded use) with exactly the
code that talks to a real one over a socket.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from proctor.client._retry import RetryPolicy

if TYPE_CHECKING:
    # Imported when a client is created (never at import time): see resolve_config.
    from proctor.settings import APISettings, Settings

DEFAULT_API_URL = "http://127.0.0.1:4200"


@dataclass(frozen=True)
class ClientConfig:
    """Resolved connection options shared by `Client` and `AsyncClient`."""

    api_url: str
    api_key: str | None
    timeout: float
    retry: RetryPolicy

    @property
    def graphql_url(self) -> str:
        return self.api_url.rstrip("/") + "/graphql"

    def headers(self) -> dict[str, str]:
        from proctor._version import __version__

        headers = {
            "content-type": "application/json",
            "accept": "application/json",
            "user-agent": f"proctor-client/{__version__}",
        }
        if self.api_key:
            headers["authorization"] = f"Bearer {self.api_key}"
        return headers


def resolve_config(
    api_url: str | None,
    api_key: str | None,
    timeout: float | None,
    retry: RetryPolicy | None,
) -> ClientConfig:
    """Fill what the caller left out from the settings."""
    settings: APISettings | None = None
    if api_url is None or api_key is None or timeout is None:
        from proctor.settings import get_settings

        root = get_settings()
        settings = root.api
        if api_key is None and settings.key is None:
            api_url, api_key = _from_profile(root, api_url)
    if api_key is None and settings is not None and settings.key is not None:
        api_key = settings.key.get_secret_value()
    return ClientConfig(
        api_url=api_url if api_url is not None else (settings.url if settings else DEFAULT_API_URL),
        api_key=api_key,
        timeout=timeout if timeout is not None else (settings.timeout if settings else 30.0),
        retry=retry or RetryPolicy(),
    )


def _from_profile(root: Settings, api_url: str | None) -> tuple[str | None, str | None]:
    """The URL and key saved by `proctor login` (when no key was given otherwise): its
    URL is the default one, and its key is used for that URL only."""
    from proctor.settings.profile import load_profile, same_url

    profile = load_profile(root.home)
    if profile is None:
        return api_url, None
    if api_url is None and "url" not in root.api.model_fields_set:
        api_url = profile.api_url
    target = api_url if api_url is not None else root.api.url
    return api_url, profile.api_key if same_url(target, profile.api_url) else None


__all__ = ["DEFAULT_API_URL", "ClientConfig", "resolve_config"]
