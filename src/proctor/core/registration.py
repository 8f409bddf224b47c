"""The seam between `Flow.register` and whoever sends a flow to a server.

Registering talks to the server, which is the client's job; the engine must not import
`proctor.client` (DESIGN.md's layering). So `Flow.register` builds a `RegistrationRequest`
and hands it to the hook installed here. `proctor/__init__.py` installs one that loads
the client on first use, so `flow.register(...)` works as before and `import proctor`
still loads no HTTP client. Tests (or another transport) may install their own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from proctor.core.errors import ProctorError


@dataclass(frozen=True)
class RegistrationRequest:
    """What `Flow.register` asks a server to store: the serialized flow and where its code
    lives, plus the options of the call."""

    project: str
    spec: dict[str, Any]
    storage: dict[str, Any]
    labels: list[str]
    archive_previous: bool
    create_project: bool
    api_url: str | None
    # False turns the flow's schedule off after registering (1.x's set_schedule_active).
    schedule_active: bool


class Registration(Protocol):
    """The server's answer, as the engine promises it to `flow.register` callers."""

    @property
    def status(self) -> str: ...

    @property
    def archived(self) -> Sequence[str]: ...

    @property
    def flow(self) -> Any: ...


RegisterHook = Callable[[RegistrationRequest], Registration]

_hook: RegisterHook | None = None


def install_register_hook(hook: RegisterHook | None) -> RegisterHook | None:
    """Make `hook` the one `Flow.register` calls (None removes it); returns the previous."""
    global _hook
    previous, _hook = _hook, hook
    return previous


def register_flow(request: RegistrationRequest) -> Registration:
    """Send `request` through the installed hook, or say plainly that nothing can send it."""
    if _hook is None:
        raise ProctorError(
            f"flow.register() cannot send flow {request.spec.get('name')!r}: no client is "
            "installed to reach a server (import proctor.client, or install a hook with "
            "proctor.core.registration.install_register_hook)."
        )
    return _hook(request)


__all__ = [
    "RegisterHook",
    "Registration",
    "RegistrationRequest",
    "install_register_hook",
    "register_flow",
]
