"""What every delivery shares: its inputs (`Delivery`), its settings (`DeliveryConfig`)
and its result (`Outcome`).

A delivery never raises for a failure at the receiver: it returns an `Outcome` saying
what happened and whether trying again could help (`retryable`). A 4xx from a webhook or
a refused mail address will not get better by itself; a timeout, a refused connection or
a 5xx may.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from proctor.server.services.alerting.context import template_values
from proctor.server.services.alerting.templates import render
from proctor.settings import Settings
from proctor.settings.services import SmtpSettings

DEFAULT_MESSAGE = "{title}\n{message}\n{link}"
DEFAULT_SUBJECT = "[Proctor] {title}"
MAX_DETAIL_CHARS = 500


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one attempt."""

    success: bool
    status_code: int | None = None
    error: str | None = None
    detail: str | None = None
    retryable: bool = False

    @classmethod
    def failed(
        cls,
        error: str,
        *,
        retryable: bool,
        status_code: int | None = None,
        detail: str | None = None,
    ) -> Outcome:
        return cls(False, status_code, error[:2000], _clip(detail), retryable)

    @classmethod
    def ok(cls, detail: str | None = None, status_code: int | None = None) -> Outcome:
        return cls(True, status_code, None, _clip(detail), False)


def _clip(text: str | None) -> str | None:
    if text is None:
        return None
    return text if len(text) <= MAX_DETAIL_CHARS else text[:MAX_DETAIL_CHARS] + "..."


@dataclass(frozen=True, slots=True)
class DeliveryConfig:
    """The notifier's settings a delivery needs (built from `server.services.notifier`)."""

    timeout: float = 10.0
    ui_url: str = "http://127.0.0.1:4200"
    smtp: SmtpSettings | None = None
    settings: Settings | None = None  # whose keyring opens signing secrets (None: the process's)

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryConfig:
        notifier = settings.server.services.notifier
        server = settings.server
        ui_url = notifier.ui_url or f"http://{server.host}:{server.port}"
        return cls(
            timeout=notifier.timeout_seconds, ui_url=ui_url, smtp=notifier.smtp, settings=settings
        )


@dataclass(frozen=True, slots=True)
class Delivery:
    """One notification to deliver: its action, its event's context, and whose it is."""

    notification_id: uuid.UUID
    tenant_id: uuid.UUID
    automation_id: uuid.UUID | None
    automation_name: str
    secret: str
    action: dict[str, Any]
    context: dict[str, Any]
    test: bool = False
    values: dict[str, str] = field(default_factory=dict)

    def with_values(self, ui_url: str) -> Delivery:
        return Delivery(
            self.notification_id,
            self.tenant_id,
            self.automation_id,
            self.automation_name,
            self.secret,
            self.action,
            self.context,
            self.test,
            template_values(self.context, self.automation_name, ui_url),
        )

    def text(self, key: str = "message", default: str = DEFAULT_MESSAGE) -> str:
        """The action's template `key` (or `default`) filled with this event's values."""
        template = self.action.get(key) or default
        return render(template, self.values).strip()


__all__ = ["DEFAULT_MESSAGE", "DEFAULT_SUBJECT", "Delivery", "DeliveryConfig", "Outcome"]
