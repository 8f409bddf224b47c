"""`flow.register(...)` carried out by the client: the engine describes the flow
(`proctor.core.registration.RegistrationRequest`), this module sends it."""

from __future__ import annotations

from proctor.client._models import RegisterResult
from proctor.client._sync import Client
from proctor.core.registration import RegistrationRequest


def register_flow(request: RegistrationRequest) -> RegisterResult:
    """Register the flow of `request` with the server at `request.api_url` (or the
    configured one) and turn its schedule off when asked."""
    with Client(request.api_url) as client:
        registered = client.register_flow(
            request.project,
            request.spec,
            storage=request.storage,
            labels=request.labels,
            archive_previous=request.archive_previous,
            create_project=request.create_project,
        )
        if not request.schedule_active:
            client.set_schedule_active(registered.flow.id, False)
        return registered


__all__ = ["register_flow"]
