"""Makes the client the way `Flow.register` reaches a server, loaded only when used.

The engine (`proctor.core`) may not import the client, so the top-level package wires the
two together: `import proctor` installs `register_with_client` as the registration hook,
and the client itself is imported the first time a flow is registered.
"""

from __future__ import annotations

from proctor.core.errors import ProctorError
from proctor.core.registration import Registration, RegistrationRequest, install_register_hook


def register_with_client(request: RegistrationRequest) -> Registration:
    try:
        from proctor.client._register import register_flow
    except ImportError as exc:  # e.g. httpx or pydantic missing from a trimmed install
        raise ProctorError(
            f"flow.register() needs Proctor's client, which cannot be imported here "
            f"({type(exc).__name__}: {exc}); install proctor with its dependencies."
        ) from exc
    return register_flow(request)


def install() -> None:
    install_register_hook(register_with_client)


__all__ = ["install", "register_with_client"]
