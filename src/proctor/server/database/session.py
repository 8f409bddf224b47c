"""Per-transaction bookkeeping kept on the session: the events to publish after commit."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.events import Event

EVENTS_KEY = "proctor_events"


def pending_events(session: AsyncSession) -> list[Event]:
    """The list of events this transaction will publish if (and only if) it commits."""
    events: list[Event] | None = session.info.get(EVENTS_KEY)
    if events is None:
        events = session.info[EVENTS_KEY] = []
    return events


def record_event(session: AsyncSession, event: Event) -> None:
    """Publish `event` after this session's transaction commits (dropped on rollback)."""
    pending_events(session).append(event)


__all__ = ["EVENTS_KEY", "pending_events", "record_event"]
