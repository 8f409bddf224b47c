"""Webhooks and Slack-compatible incoming webhooks: one JSON POST each.

Webhook bodies are signed with the automation's secret:

    X-Proctor-Signature: sha256=<hex HMAC-SHA256 of the raw body>

A receiver recomputes the HMAC over the bytes it received (before parsing them) and
compares with `hmac.compare_digest`. `X-Proctor-Delivery` (the notification id) is the
same on every retry of one delivery, so a receiver can also drop repeats.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import httpx

from proctor._version import __version__
from proctor.server.services.alerting.delivery.base import Delivery, DeliveryConfig, Outcome

SIGNATURE_HEADER = "X-Proctor-Signature"
USER_AGENT = f"proctor/{__version__}"


def sign(secret: str, body: bytes) -> str:
    """The signature header's value for `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """Whether `header` is the signature of `body` (what a receiver does)."""
    return hmac.compare_digest(sign(secret, body), header)


def webhook_payload(delivery: Delivery) -> dict[str, Any]:
    context = delivery.context
    return {
        "automation": {"id": _str(delivery.automation_id), "name": delivery.automation_name},
        "delivery": str(delivery.notification_id),
        "test": delivery.test,
        "event": {"kind": context.get("kind"), "occurred": context.get("occurred")},
        "title": delivery.values.get("title"),
        "text": delivery.text(),
        "link": delivery.values.get("link"),
        "flow_run": context.get("flow_run"),
        "flow_group": context.get("flow_group"),
        "sla": context.get("sla"),
        "agent": context.get("agent"),
        "task": context.get("task"),
    }


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def _mrkdwn(text: str) -> str:
    """Slack's three escapes: text must not open links or mentions by accident."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(delivery: Delivery) -> dict[str, Any]:
    text = delivery.text()
    link = delivery.values.get("link", "")
    return {
        "text": text,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": _mrkdwn(text)[:2900]}},
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Open in Proctor"},
                        "url": link,
                    }
                ],
            },
        ],
    }


async def post_json(
    url: str, body: bytes, headers: dict[str, str], config: DeliveryConfig
) -> Outcome:
    """POST `body`; 2xx is success, 408/429/5xx and network errors may be retried."""
    try:
        async with httpx.AsyncClient(timeout=config.timeout, follow_redirects=False) as client:
            response = await client.post(url, content=body, headers=headers)
    except httpx.TimeoutException:
        return Outcome.failed(f"timed out after {config.timeout:g} s", retryable=True)
    except httpx.HTTPError as error:
        return Outcome.failed(f"{type(error).__name__}: {error}", retryable=True)
    excerpt = response.text[:500] if response.content else None
    if 200 <= response.status_code < 300:
        return Outcome.ok(excerpt, response.status_code)
    retryable = response.status_code in (408, 425, 429) or response.status_code >= 500
    return Outcome.failed(
        f"HTTP {response.status_code}",
        retryable=retryable,
        status_code=response.status_code,
        detail=excerpt,
    )


async def deliver_webhook(delivery: Delivery, config: DeliveryConfig) -> Outcome:
    body = json.dumps(webhook_payload(delivery), separators=(",", ":"), default=str).encode()
    headers = {
        **delivery.action.get("headers", {}),
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Proctor-Event": str(delivery.context.get("kind") or ""),
        "X-Proctor-Delivery": str(delivery.notification_id),
        SIGNATURE_HEADER: sign(delivery.secret, body),
    }
    return await post_json(delivery.action["url"], body, headers, config)


async def deliver_slack(delivery: Delivery, config: DeliveryConfig) -> Outcome:
    body = json.dumps(slack_payload(delivery), separators=(",", ":")).encode()
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    return await post_json(delivery.action["url"], body, headers, config)


__all__ = [
    "SIGNATURE_HEADER",
    "deliver_slack",
    "deliver_webhook",
    "sign",
    "slack_payload",
    "verify",
    "webhook_payload",
]
