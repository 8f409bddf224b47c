"""In-process publish/subscribe for server events, with bounded, never-blocking queues.

Services publish small events (ids and kinds, never payloads) after their transaction
commits; API subscriptions and background services listen to topics:

    tenant:<tenant_id>      everything that happens in a team (the UI's live feed)
    flow_run:<flow_run_id>  state changes, task-run batches and logs of one run
    *                       every event (metrics, debugging)

A writer must never wait for a slow reader, so each subscription holds a bounded buffer
that drops its *oldest* event when full and counts the drop; subscribers re-read the
database anyway, so a dropped event costs a refresh, not correctness.

Across server replicas (PostgreSQL only), `proctor.server.database.notify` sends each
committed event through NOTIFY and feeds other replicas' buses via `deliver_remote`;
`origin` lets a bus ignore its own echoes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

ALL_TOPICS = "*"
DEFAULT_QUEUE_SIZE = 1000


def tenant_topic(tenant_id: object) -> str:
    return f"tenant:{tenant_id}"


def flow_run_topic(flow_run_id: object) -> str:
    return f"flow_run:{flow_run_id}"


@dataclass(frozen=True, slots=True)
class Event:
    """Something that changed: `kind` (e.g. "flow_run.state"), whose, and a few ids.

    `data` stays small (ids, a state name, a count): NOTIFY payloads are limited to 8 kB
    and subscribers are expected to re-read what they show.
    """

    kind: str
    tenant_id: str
    flow_run_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    occurred: float = field(default_factory=time.time)
    origin: str | None = None

    @property
    def topics(self) -> tuple[str, ...]:
        if self.flow_run_id is None:
            return (tenant_topic(self.tenant_id), ALL_TOPICS)
        return (tenant_topic(self.tenant_id), flow_run_topic(self.flow_run_id), ALL_TOPICS)

    def to_json(self) -> str:
        return json.dumps(
            {
                "k": self.kind,
                "t": self.tenant_id,
                "r": self.flow_run_id,
                "d": self.data,
                "i": self.id,
                "o": self.origin,
                "at": self.occurred,
            },
            separators=(",", ":"),
            default=str,
        )

    @classmethod
    def from_json(cls, text: str) -> Event:
        raw = json.loads(text)
        return cls(
            kind=raw["k"],
            tenant_id=raw["t"],
            flow_run_id=raw.get("r"),
            data=raw.get("d") or {},
            id=raw.get("i") or uuid.uuid4().hex,
            occurred=raw.get("at") or time.time(),
            origin=raw.get("o"),
        )


class Subscription:
    """A subscriber's bounded buffer of events; iterate it, or `await get(timeout)`.

    Created by `EventBus.subscribe`; close it (or use it as a context manager) so the bus
    stops feeding it. Bound to the event loop it was first awaited on; publishing from
    another thread hands events over with `call_soon_threadsafe`.
    """

    def __init__(self, bus: EventBus, topics: frozenset[str], maxsize: int) -> None:
        self._bus = bus
        self.topics = topics
        self.maxsize = maxsize
        self._buffer: deque[Event] = deque()
        self._wakeup: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.get_ident()
        with contextlib.suppress(RuntimeError):
            self._bind(asyncio.get_running_loop())
        self.dropped = 0
        self.received = 0
        self.closed = False

    def _bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._wakeup = asyncio.Event()

    @property
    def pending(self) -> int:
        return len(self._buffer)

    def _push(self, event: Event) -> None:
        if self.closed:
            return
        if len(self._buffer) >= self.maxsize:
            self._buffer.popleft()
            self.dropped += 1
            self._bus.dropped += 1
        self._buffer.append(event)
        self.received += 1
        if self._wakeup is not None:
            self._wakeup.set()

    def _offer(self, event: Event) -> None:
        """Called by the bus: deliver now if on our loop's thread, else hand over."""
        loop = self._loop
        if loop is None or threading.get_ident() == self._thread:
            self._push(event)
            return
        try:
            loop.call_soon_threadsafe(self._push, event)
        except RuntimeError:  # that loop is closed: nobody will ever read this
            self.close()

    def get_nowait(self) -> Event | None:
        return self._buffer.popleft() if self._buffer else None

    async def get(self, timeout: float | None = None) -> Event | None:
        """The next event, or None when `timeout` passes (or the subscription closes)."""
        if self._wakeup is None:
            self._bind(asyncio.get_running_loop())
            self._thread = threading.get_ident()
        assert self._wakeup is not None
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._buffer:
            if self.closed:
                return None
            self._wakeup.clear()
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return None
            try:
                await asyncio.wait_for(self._wakeup.wait(), remaining)
            except TimeoutError:
                return None
        return self._buffer.popleft()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._bus._remove(self)
            if self._wakeup is not None and self._loop is not None:
                with contextlib.suppress(RuntimeError):
                    if threading.get_ident() == self._thread:
                        self._wakeup.set()
                    else:
                        self._loop.call_soon_threadsafe(self._wakeup.set)

    def __aiter__(self) -> AsyncIterator[Event]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Event]:
        while True:
            event = await self.get()
            if event is None:
                return
            yield event

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Subscription:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()


class EventBus:
    """Topic-based fan-out to local subscribers; `publish` never blocks and never raises."""

    def __init__(self, *, queue_size: int = DEFAULT_QUEUE_SIZE) -> None:
        self.origin = uuid.uuid4().hex
        self.queue_size = queue_size
        self._by_topic: dict[str, set[Subscription]] = {}
        self._lock = threading.Lock()
        self.published = 0
        self.delivered = 0
        self.dropped = 0
        self.remote_received = 0

    def subscribe(self, *topics: str, maxsize: int | None = None) -> Subscription:
        """Subscribe to one or more topics (see the module docstring for their names)."""
        if not topics:
            raise ValueError("subscribe() needs at least one topic")
        subscription = Subscription(self, frozenset(topics), maxsize or self.queue_size)
        with self._lock:
            for topic in subscription.topics:
                self._by_topic.setdefault(topic, set()).add(subscription)
        return subscription

    def _remove(self, subscription: Subscription) -> None:
        with self._lock:
            for topic in subscription.topics:
                subscribers = self._by_topic.get(topic)
                if subscribers is not None:
                    subscribers.discard(subscription)
                    if not subscribers:
                        del self._by_topic[topic]

    def _deliver(self, event: Event) -> None:
        with self._lock:
            targets: set[Subscription] = set()
            for topic in event.topics:
                subscribers = self._by_topic.get(topic)
                if subscribers:
                    targets.update(subscribers)
        for subscription in targets:
            subscription._offer(event)
        self.delivered += len(targets)

    def stamp(self, event: Event) -> Event:
        """The event as this bus publishes it (with its `origin`)."""
        if event.origin == self.origin:
            return event
        return Event(
            kind=event.kind,
            tenant_id=event.tenant_id,
            flow_run_id=event.flow_run_id,
            data=event.data,
            id=event.id,
            occurred=event.occurred,
            origin=self.origin,
        )

    def publish(self, event: Event) -> None:
        """Deliver to local subscribers (call it after the commit that made it true)."""
        self.published += 1
        self._deliver(self.stamp(event))

    def publish_many(self, events: Iterable[Event]) -> None:
        for event in events:
            self.publish(event)

    def deliver_remote(self, event: Event) -> None:
        """An event published by another replica (ignored if it is our own echo)."""
        if event.origin == self.origin:
            return
        self.remote_received += 1
        self._deliver(event)

    def subscriber_count(self) -> int:
        with self._lock:
            return len({s for subscribers in self._by_topic.values() for s in subscribers})

    def stats(self) -> dict[str, int]:
        """Counters for /metrics."""
        return {
            "subscribers": self.subscriber_count(),
            "published": self.published,
            "delivered": self.delivered,
            "dropped": self.dropped,
            "remote_received": self.remote_received,
        }


__all__ = [
    "ALL_TOPICS",
    "Event",
    "EventBus",
    "Subscription",
    "flow_run_topic",
    "tenant_topic",
]
