"""Delivering notifications, and the delivery log.

A notification is *claimed* before it is delivered, in a short transaction: due rows
(pending and `next_attempt_at` reached, or delivering with an expired claim: the replica
that claimed it died) are locked with FOR UPDATE SKIP LOCKED on PostgreSQL (SQLite's
BEGIN IMMEDIATE already serialises claims) and marked `delivering` with a claim token
and an expiry. The delivery itself runs outside any transaction; its outcome is written
in another short one, as an attempt row plus the notification's new status:

    delivered                     the receiver accepted it
    pending + next_attempt_at     failed, will be retried after an exponential backoff
    failed                        failed for good (permanent error, or attempts used up)

So a state change never waits for a receiver, two replicas never deliver the same
notification at once, and every attempt is in the log with its time, duration, HTTP
status or error.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database, record_event
from proctor.server.database.ids import new_id
from proctor.server.database.models import Automation, Notification, NotificationAttempt
from proctor.server.errors import InvalidInput, NotFound
from proctor.server.events import Event
from proctor.server.services.alerting import action_secrets, records, signing
from proctor.server.services.alerting.context import sample_context
from proctor.server.services.alerting.delivery import Delivery, DeliveryConfig, Outcome, deliver
from proctor.server.services.alerting.matching import Candidate, Match, notification_rows
from proctor.server.services.alerting.specs import MESSAGE_ACTIONS
from proctor.server.services.keyring import Keyring, KeyringError
from proctor.server.services.plumbing.pagination import Ordering, SortKey, fetch_page
from proctor.server.services.plumbing.records import Page
from proctor.server.services.plumbing.validation import as_uuid, optional_uuid, page_size

logger = logging.getLogger("proctor.server.alerting")

STATUSES = ("pending", "delivering", "delivered", "failed", "skipped")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Attempts and the backoff between them: base, 2 x base, 4 x base, ... up to max."""

    max_attempts: int = 8
    base_seconds: float = 10.0
    max_seconds: float = 900.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        return float(min(self.max_seconds, self.base_seconds * 2 ** (attempt - 1)))


@dataclass(frozen=True, slots=True)
class Claim:
    notification_id: uuid.UUID
    token: str
    attempt: int
    delivery: Delivery


@dataclass(slots=True)
class DeliveryReport:
    """What one notifier pass did."""

    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    outcomes: list[tuple[uuid.UUID, Outcome]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.delivered + self.retrying + self.failed


def _due(now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(
        sa.and_(Notification.status == "pending", Notification.next_attempt_at <= now),
        sa.and_(Notification.status == "delivering", Notification.claimed_until < now),
    )


def _current_action(row: Notification, automation: Automation | None) -> dict[str, Any] | str:
    """The action to carry out (the automation's current version of it), or why not."""
    if automation is None:
        return "The automation was deleted."
    if not automation.enabled:
        return "The automation was disabled."
    actions = list(automation.actions)
    if row.action_index >= len(actions) or actions[row.action_index]["type"] != row.action_type:
        return "The automation's actions changed; this one no longer exists."
    return dict(actions[row.action_index])


async def claim_due(
    db: Database,
    *,
    limit: int,
    lease_seconds: float,
    now: datetime | None = None,
    keyring: Keyring | None = None,
) -> list[Claim]:
    """Claim up to `limit` due notifications for delivery by this process (each with its
    automation's signing secret, opened with `keyring`: the process's by default)."""
    moment = now or datetime.now(UTC)
    ring = keyring or signing.current_keyring()
    token = uuid.uuid4().hex

    async def work(session: AsyncSession) -> list[Claim]:
        found = (
            await session.execute(
                sa.select(Notification, Automation)
                .outerjoin(Automation, Automation.id == Notification.automation_id)
                .where(_due(moment), Notification.test.is_(False))
                .order_by(Notification.next_attempt_at, Notification.id)
                .limit(limit)
                .with_for_update(skip_locked=True, of=Notification)
            )
        ).all()
        claims: list[Claim] = []
        dropped: list[tuple[uuid.UUID, str]] = []
        for row, automation in found:
            action = _current_action(row, automation)
            if isinstance(action, str):
                dropped.append((row.id, action))
                continue
            assert automation is not None
            try:
                secret = signing.open_row(ring, automation)
                # The stored action has its URL and headers masked: the clear ones.
                action = action_secrets.open_actions(ring, automation)[row.action_index]
            except KeyringError as error:  # its key is gone: retrying will not bring it back
                dropped.append((row.id, error.message))
                continue
            delivery = Delivery(
                notification_id=row.id,
                tenant_id=row.tenant_id,
                automation_id=automation.id,
                automation_name=automation.name,
                secret=secret,
                action=action,
                context=dict(row.event),
            )
            claims.append(Claim(row.id, token, row.attempts + 1, delivery))
        for notification_id, reason in dropped:
            await session.execute(
                sa.update(Notification)
                .where(Notification.id == notification_id)
                .values(status="failed", last_error=reason, claim_token=None, updated=moment)
            )
        if claims:
            await session.execute(
                sa.update(Notification)
                .where(Notification.id.in_([claim.notification_id for claim in claims]))
                .values(
                    status="delivering",
                    claim_token=token,
                    claimed_until=moment + timedelta(seconds=lease_seconds),
                    attempts=Notification.attempts + 1,
                    updated=moment,
                )
            )
        return claims

    return await db.run_in_transaction(work)


def _attempt_row(
    tenant: uuid.UUID,
    notification_id: uuid.UUID,
    number: int,
    outcome: Outcome,
    started: datetime,
    duration: float,
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "tenant_id": tenant,
        "notification_id": notification_id,
        "number": number,
        "success": outcome.success,
        "status_code": outcome.status_code,
        "error": outcome.error,
        "detail": outcome.detail,
        "started": started,
        "duration_ms": round(duration * 1000, 3),
    }


async def record_outcome(
    db: Database,
    claim: Claim,
    outcome: Outcome,
    *,
    started: datetime,
    duration: float,
    policy: RetryPolicy,
) -> str:
    """Write the attempt and the notification's next status (returned)."""
    finished = datetime.now(UTC)
    if outcome.success:
        status, next_at = "delivered", None
    elif outcome.retryable and claim.attempt < policy.max_attempts:
        status = "pending"
        next_at = finished + timedelta(seconds=policy.delay(claim.attempt))
    else:
        status, next_at = "failed", None

    async def work(session: AsyncSession) -> str:
        await session.execute(
            sa.insert(NotificationAttempt),
            [
                _attempt_row(
                    claim.delivery.tenant_id,
                    claim.notification_id,
                    claim.attempt,
                    outcome,
                    started,
                    duration,
                )
            ],
        )
        # Only while our claim holds: if it expired and another replica took over, that
        # replica owns the status now (our attempt is still in the log).
        result = await session.execute(
            sa.update(Notification)
            .where(
                Notification.id == claim.notification_id, Notification.claim_token == claim.token
            )
            .values(
                status=status,
                next_attempt_at=next_at,
                last_error=outcome.error,
                delivered_at=finished if outcome.success else None,
                claimed_until=None,
                claim_token=None,
                updated=finished,
            )
        )
        if status != "pending" and cast(Any, result).rowcount:
            # The activity feed's "alert sent" (or given up); a retry is not news.
            record_event(session, _outcome_event(claim, status))
        return status

    return await db.run_in_transaction(work)


def _outcome_event(claim: Claim, status: str) -> Event:
    delivery = claim.delivery
    run_id = delivery.context.get("flow_run_id")
    return Event(
        f"notification.{status}",
        str(delivery.tenant_id),
        flow_run_id=str(run_id) if isinstance(run_id, str) and run_id else None,
        data={
            "notification_id": str(claim.notification_id),
            "automation": delivery.automation_name,
            "action_type": str(delivery.action.get("type", "")),
        },
    )


async def _attempt(db: Database, delivery: Delivery, config: DeliveryConfig) -> Outcome:
    """One delivery, bounded in time; an unexpected error is a retryable failure."""
    try:
        return await asyncio.wait_for(deliver(db, delivery, config), config.timeout * 3 + 5)
    except TimeoutError:
        return Outcome.failed(f"timed out after {config.timeout:g} s", retryable=True)
    except Exception as error:
        logger.exception("notification %s: delivery failed unexpectedly", delivery.notification_id)
        return Outcome.failed(f"{type(error).__name__}: {error}", retryable=True)


async def deliver_due(
    db: Database,
    config: DeliveryConfig,
    policy: RetryPolicy,
    *,
    limit: int = 20,
    now: datetime | None = None,
) -> DeliveryReport:
    """Claim due notifications and deliver them (concurrently); record each outcome."""
    claims = await claim_due(
        db,
        limit=limit,
        lease_seconds=config.timeout * 3 + 30,
        now=now,
        keyring=signing.current_keyring(config.settings),
    )
    report = DeliveryReport()

    async def one(claim: Claim) -> None:
        started, clock = datetime.now(UTC), time.monotonic()
        outcome = await _attempt(db, claim.delivery, config)
        status = await record_outcome(
            db, claim, outcome, started=started, duration=time.monotonic() - clock, policy=policy
        )
        report.outcomes.append((claim.notification_id, outcome))
        if status == "delivered":
            report.delivered += 1
        elif status == "pending":
            report.retrying += 1
        else:
            report.failed += 1

    await asyncio.gather(*(one(claim) for claim in claims))
    return report


async def next_due(db: Database) -> datetime | None:
    """When the next pending notification is due (None: nothing is pending)."""
    async with db.session() as session:
        found: datetime | None = await session.scalar(
            sa.select(sa.func.min(Notification.next_attempt_at)).where(
                Notification.status == "pending"
            )
        )
    return found


# -- "send a test" ---------------------------------------------------------------------


async def _signing_secret(
    db: Database, automation: records.Automation, config: DeliveryConfig
) -> str:
    """The automation's signing secret, opened to sign the test's webhooks."""
    async with db.session() as session:
        row = await session.get(Automation, automation.id)
    if row is None:
        raise NotFound(
            f"No automation {automation.id}", details={"automation_id": str(automation.id)}
        )
    return signing.open_row(signing.current_keyring(config.settings), row)


async def send_test(
    db: Database,
    tenant_id: uuid.UUID | str,
    automation_id: uuid.UUID | str,
    config: DeliveryConfig,
) -> list[records.Notification]:
    """Deliver a made-up failed run through each message action of the automation, now
    and once (no retries), and log it like any delivery (marked `test`). Run actions are
    logged as skipped: a test must not start, cancel or pause anything."""
    from proctor.server.services.alerting.automations import get_automation

    ring = signing.current_keyring(config.settings)
    automation = await get_automation(db, tenant_id, automation_id, keyring=ring)
    secret = await _signing_secret(db, automation, config)
    candidate = Candidate(
        automation.id, automation.tenant_id, automation.name, None, automation.actions
    )
    match = Match(candidate, f"test:{uuid.uuid4().hex}", sample_context())
    now = datetime.now(UTC)
    rows = notification_rows(automation.tenant_id, [match], now, test=True)
    for row in rows:
        if row["action_type"] in MESSAGE_ACTIONS:
            row.update(status="delivering", attempts=1, next_attempt_at=None)
        else:
            row.update(
                status="skipped",
                next_attempt_at=None,
                last_error="Not carried out by a test: it would change runs or schedules.",
            )
    async with db.transaction() as session:
        await session.execute(sa.insert(Notification), rows)

    async def one(row: dict[str, Any]) -> None:
        delivery = Delivery(
            notification_id=row["id"],
            tenant_id=automation.tenant_id,
            automation_id=automation.id,
            automation_name=automation.name,
            secret=secret,
            action=automation.actions[row["action_index"]],
            context=row["event"],
            test=True,
        )
        claim = Claim(row["id"], "", 1, delivery)
        started, clock = datetime.now(UTC), time.monotonic()
        outcome = await _attempt(db, delivery, config)
        async with db.transaction() as session:
            await session.execute(
                sa.insert(NotificationAttempt),
                [
                    _attempt_row(
                        automation.tenant_id,
                        row["id"],
                        1,
                        outcome,
                        started,
                        time.monotonic() - clock,
                    )
                ],
            )
            await session.execute(
                sa.update(Notification)
                .where(Notification.id == claim.notification_id)
                .values(
                    status="delivered" if outcome.success else "failed",
                    last_error=outcome.error,
                    delivered_at=datetime.now(UTC) if outcome.success else None,
                    updated=datetime.now(UTC),
                )
            )

    await asyncio.gather(*(one(row) for row in rows if row["status"] == "delivering"))
    return await get_notifications(db, automation.tenant_id, [row["id"] for row in rows])


# -- the delivery log ------------------------------------------------------------------


def _attempt_record(row: NotificationAttempt) -> records.Attempt:
    return records.Attempt(
        number=row.number,
        success=row.success,
        status_code=row.status_code,
        error=row.error,
        detail=row.detail,
        started=row.started,
        duration_ms=row.duration_ms,
    )


def _record(row: Notification, attempts: list[records.Attempt]) -> records.Notification:
    return records.Notification(
        id=row.id,
        tenant_id=row.tenant_id,
        automation_id=row.automation_id,
        automation_name=row.automation_name,
        action_index=row.action_index,
        action_type=row.action_type,
        trigger_key=row.trigger_key,
        event=dict(row.event),
        flow_run_id=row.flow_run_id,
        test=row.test,
        status=row.status,
        attempts=row.attempts,
        last_error=row.last_error,
        next_attempt_at=row.next_attempt_at,
        delivered_at=row.delivered_at,
        created=row.created,
        updated=row.updated,
        attempt_log=attempts,
    )


async def _with_attempts(
    session: AsyncSession, rows: Sequence[Notification]
) -> list[records.Notification]:
    by_notification: dict[uuid.UUID, list[records.Attempt]] = {row.id: [] for row in rows}
    if rows:
        attempts = await session.scalars(
            sa.select(NotificationAttempt)
            .where(NotificationAttempt.notification_id.in_(list(by_notification)))
            .order_by(NotificationAttempt.notification_id, NotificationAttempt.number)
        )
        for attempt in attempts:
            by_notification[attempt.notification_id].append(_attempt_record(attempt))
    return [_record(row, by_notification[row.id]) for row in rows]


async def get_notifications(
    db: Database, tenant_id: uuid.UUID | str, ids: Sequence[uuid.UUID]
) -> list[records.Notification]:
    tenant = as_uuid(tenant_id, "tenant_id")
    async with db.session() as session:
        rows = (
            await session.scalars(
                sa.select(Notification).where(
                    Notification.tenant_id == tenant, Notification.id.in_(list(ids))
                )
            )
        ).all()
        order = {notification_id: index for index, notification_id in enumerate(ids)}
        return await _with_attempts(session, sorted(rows, key=lambda row: order[row.id]))


_NEWEST_FIRST = Ordering(
    "-created", (SortKey(Notification.created, True), SortKey(Notification.id, True))
)


async def list_notifications(
    db: Database,
    tenant_id: uuid.UUID | str,
    *,
    automation_id: uuid.UUID | str | None = None,
    status: str | None = None,
    since: datetime | None = None,
    flow_run_id: uuid.UUID | str | None = None,
    first: int | None = None,
    after: str | None = None,
    count: bool = False,
) -> Page[records.Notification]:
    """The delivery log, newest first, with every attempt of each notification."""
    tenant = as_uuid(tenant_id, "tenant_id")
    size = page_size(first)
    statement = sa.select(Notification).where(Notification.tenant_id == tenant)
    if automation_id is not None:
        statement = statement.where(
            Notification.automation_id == as_uuid(automation_id, "automation_id")
        )
    if status is not None:
        if status not in STATUSES:
            raise InvalidInput(
                f"status must be one of {', '.join(STATUSES)}; got {status!r:.40}",
                details={"field": "status"},
            )
        statement = statement.where(Notification.status == status)
    if since is not None:
        statement = statement.where(Notification.created >= since)
    run = optional_uuid(flow_run_id, "flow_run_id")
    if run is not None:
        statement = statement.where(Notification.flow_run_id == run)
    async with db.session() as session:
        page = await fetch_page(
            session,
            statement,
            _NEWEST_FIRST,
            first=size,
            after=after,
            sort_values=lambda row: (row[0].created, row[0].id),
            count=count,
        )
        items = await _with_attempts(session, [row[0] for row in page.rows])
    return Page(
        items=items,
        end_cursor=page.end_cursor,
        has_next_page=page.has_next_page,
        total_count=page.total_count,
    )


__all__ = [
    "STATUSES",
    "Claim",
    "DeliveryReport",
    "RetryPolicy",
    "claim_due",
    "deliver_due",
    "get_notifications",
    "list_notifications",
    "next_due",
    "record_outcome",
    "send_test",
]
