"""Delivering one notification: one function per action type.

base.py    Delivery (what to deliver), DeliveryConfig (settings), Outcome (result)
http.py    webhook (signed JSON) and Slack-compatible webhook
email.py   email over SMTP
runs.py    start a flow run, cancel the trigger's run, pause a schedule
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from proctor.server.database import Database
from proctor.server.services.alerting.delivery import email, http, runs
from proctor.server.services.alerting.delivery.base import Delivery, DeliveryConfig, Outcome


async def deliver(db: Database, delivery: Delivery, config: DeliveryConfig) -> Outcome:
    """Carry out `delivery.action` once; never raises for a receiver's failure."""
    delivery = delivery.with_values(config.ui_url)
    kind = delivery.action.get("type")
    senders: dict[str, Callable[[Delivery, DeliveryConfig], Awaitable[Outcome]]] = {
        "webhook": http.deliver_webhook,
        "slack": http.deliver_slack,
        "email": email.deliver_email,
    }
    actors: dict[str, Callable[[Database, Delivery], Awaitable[Outcome]]] = {
        "start_flow_run": runs.start_flow_run,
        "cancel_flow_run": runs.cancel_flow_run,
        "pause_schedule": runs.pause_schedule,
    }
    if kind in senders:
        return await senders[kind](delivery, config)
    if kind in actors:
        return await actors[kind](db, delivery)
    return Outcome.failed(f"unknown action type {kind!r}", retryable=False)


__all__ = ["Delivery", "DeliveryConfig", "Outcome", "deliver"]
