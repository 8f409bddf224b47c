# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""Automations, the delivery log and SLAs in GraphQL: `AlertingQuery`, `AlertingMutation`.

Inputs keep `type` fields (trigger type, action type, states, SLA kinds) as strings so
that the services validate them and a mistake is an `INVALID_INPUT` naming the field,
like every other invalid value. Reading automations never shows their signing secret:
only the mutation that sets it (`createAutomation`, `updateAutomation` with a new or
rotated secret) returns it, in `signingSecret`. The credentials inside actions (webhook
and Slack URLs, webhook header values) are returned in clear only to the roles that may
edit automations (`alerts:write`), since they need them to edit; other roles see them
masked (`Authorization: ****`, `https://hooks.slack.com/****`).
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from proctor.server.api.loaders import ctx, paging
from proctor.server.api.pagination import Connection, connection_from_page
from proctor.server.api.secrets import keyring
from proctor.server.auth.permissions import Action, allowed
from proctor.server.services.alerting import automations, notifications, records, slas
from proctor.server.services.alerting.delivery import DeliveryConfig
from proctor.server.services.keyring import Keyring


def _id(value: Any) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(str(value))


def _ids(values: Any) -> list[strawberry.ID]:
    return [strawberry.ID(str(value)) for value in values or []]


# -- output types ----------------------------------------------------------------------


@strawberry.type(description="What sets an automation off (fields that apply to its type).")
class AutomationTrigger:
    type: str = strawberry.field(
        description="flow_run_state, sla_breach, agent_unhealthy or task_run_failures."
    )
    states: list[str]
    project_id: strawberry.ID | None
    flow_group_ids: list[strawberry.ID]
    tags: list[str]
    kinds: list[str]
    agent_names: list[str]
    count: int | None
    task_slugs: list[str]

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> AutomationTrigger:
        return cls(
            type=document["type"],
            states=list(document.get("states", [])),
            project_id=_id(document.get("project_id")),
            flow_group_ids=_ids(document.get("flow_group_ids")),
            tags=list(document.get("tags", [])),
            kinds=list(document.get("kinds", [])),
            agent_names=list(document.get("agent_names", [])),
            count=document.get("count"),
            task_slugs=list(document.get("task_slugs", [])),
        )


@strawberry.type(description="One thing an automation does (fields that apply to its type).")
class AutomationAction:
    type: str = strawberry.field(
        description="webhook, slack, email, start_flow_run, cancel_flow_run or pause_schedule."
    )
    url: str | None = strawberry.field(
        description="webhook, slack: where it posts. Clear for roles that may edit "
        "automations; others see it with user info, path and query masked."
    )
    headers: JSON | None = strawberry.field(
        description="webhook: extra headers. Values are clear for roles that may edit "
        "automations and `****` for others."
    )
    message: str | None
    to: list[str]
    subject: str | None
    flow_group_id: strawberry.ID | None
    parameters: JSON | None

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> AutomationAction:
        return cls(
            type=document["type"],
            url=document.get("url"),
            headers=document.get("headers"),
            message=document.get("message"),
            to=list(document.get("to", [])),
            subject=document.get("subject"),
            flow_group_id=_id(document.get("flow_group_id")),
            parameters=document.get("parameters"),
        )


@strawberry.type(description="A trigger and the actions it sets off.")
class Automation:
    id: strawberry.ID
    name: str
    description: str | None
    enabled: bool
    trigger: AutomationTrigger
    actions: list[AutomationAction]
    created: datetime
    updated: datetime
    signing_secret: str | None = strawberry.field(
        description="The HMAC key of webhook signatures: only in the answer of the mutation "
        "that set it (create, or update with a new or rotated secret)."
    )

    @classmethod
    def from_record(cls, record: records.Automation, *, reveal: bool = False) -> Automation:
        return cls(
            id=strawberry.ID(str(record.id)),
            name=record.name,
            description=record.description,
            enabled=record.enabled,
            trigger=AutomationTrigger.from_document(record.trigger),
            actions=[AutomationAction.from_document(action) for action in record.actions],
            created=record.created,
            updated=record.updated,
            signing_secret=record.secret if reveal else None,
        )


@strawberry.type(description="One attempt at delivering a notification.")
class NotificationAttempt:
    number: int
    success: bool
    status_code: int | None = strawberry.field(description="HTTP status or SMTP reply code.")
    error: str | None
    detail: str | None = strawberry.field(description="The receiver's answer (shortened).")
    started: datetime
    duration_ms: float


@strawberry.type(description="One delivery of one action for one trigger event.")
class Notification:
    id: strawberry.ID
    automation_id: strawberry.ID | None
    automation_name: str
    action_index: int
    action_type: str
    trigger_key: str
    event: JSON = strawberry.field(description="The trigger event's facts (run, SLA, agent).")
    flow_run_id: strawberry.ID | None
    test: bool
    status: str = strawberry.field(description="pending, delivering, delivered, failed or skipped.")
    attempt_count: int
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created: datetime
    updated: datetime
    attempts: list[NotificationAttempt]

    @classmethod
    def from_record(cls, record: records.Notification) -> Notification:
        return cls(
            id=strawberry.ID(str(record.id)),
            automation_id=_id(record.automation_id),
            automation_name=record.automation_name,
            action_index=record.action_index,
            action_type=record.action_type,
            trigger_key=record.trigger_key,
            event=record.event,  # type: ignore[arg-type]  # JSON is any JSON value
            flow_run_id=_id(record.flow_run_id),
            test=record.test,
            status=record.status,
            attempt_count=record.attempts,
            last_error=record.last_error,
            next_attempt_at=record.next_attempt_at,
            delivered_at=record.delivered_at,
            created=record.created,
            updated=record.updated,
            attempts=[
                NotificationAttempt(
                    **{f.name: getattr(attempt, f.name) for f in fields(records.Attempt)}
                )
                for attempt in record.attempt_log
            ],
        )


@strawberry.type(description="A flow's service levels (null thresholds are off).")
class FlowSla:
    flow_group_id: strawberry.ID
    late_start_seconds: float | None
    long_run_seconds: float | None
    missed_run_seconds: float | None
    updated: datetime | None

    @classmethod
    def from_record(cls, record: records.FlowSla) -> FlowSla:
        return cls(
            flow_group_id=strawberry.ID(str(record.flow_group_id)),
            late_start_seconds=record.late_start_seconds,
            long_run_seconds=record.long_run_seconds,
            missed_run_seconds=record.missed_run_seconds,
            updated=record.updated,
        )


@strawberry.type(description="A service level that was not met.")
class SlaBreach:
    id: strawberry.ID
    flow_group_id: strawberry.ID
    flow_name: str
    flow_run_id: strawberry.ID | None
    kind: str = strawberry.field(description="late_start, long_run or missed_run.")
    subject: str = strawberry.field(description="The run id, or the missed scheduled time.")
    threshold_seconds: float
    expected_at: datetime = strawberry.field(description="When the level was due.")
    detected: datetime
    message: str | None

    @classmethod
    def from_record(cls, record: records.SlaBreach) -> SlaBreach:
        return cls(
            id=strawberry.ID(str(record.id)),
            flow_group_id=strawberry.ID(str(record.flow_group_id)),
            flow_name=record.flow_name,
            flow_run_id=_id(record.flow_run_id),
            kind=record.kind,
            subject=record.subject,
            threshold_seconds=record.threshold_seconds,
            expected_at=record.expected_at,
            detected=record.detected,
            message=record.details.get("message"),
        )


# -- inputs ----------------------------------------------------------------------------


@strawberry.input(description="A trigger; give the fields its `type` uses.")
class TriggerInput:
    type: str = strawberry.field(
        description="flow_run_state, sla_breach, agent_unhealthy or task_run_failures."
    )
    states: list[str] | None = strawberry.field(
        default=None, description="flow_run_state: state names or families (e.g. Failed)."
    )
    project: str | None = strawberry.field(
        default=None, description="Only flows of this project (name or id)."
    )
    flow_group_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only these flows (flow group ids, or any version's id)."
    )
    tags: list[str] | None = strawberry.field(
        default=None, description="Only flows carrying one of these labels."
    )
    kinds: list[str] | None = strawberry.field(
        default=None, description="sla_breach: late_start, long_run, missed_run (all if none)."
    )
    agent_names: list[str] | None = strawberry.field(
        default=None, description="agent_unhealthy: only these agents (all if none)."
    )
    count: int | None = strawberry.field(
        default=None, description="task_run_failures: failures in a row (consecutive runs)."
    )
    task_slugs: list[str] | None = strawberry.field(
        default=None, description="task_run_failures: only these tasks (all if none)."
    )


@strawberry.input(description="An action; give the fields its `type` uses.")
class ActionInput:
    type: str = strawberry.field(
        description="webhook, slack, email, start_flow_run, cancel_flow_run or pause_schedule."
    )
    url: str | None = strawberry.field(default=None, description="webhook, slack: http(s) URL.")
    headers: JSON | None = strawberry.field(
        default=None, description="webhook: extra headers (object of strings)."
    )
    message: str | None = strawberry.field(
        default=None, description="webhook, slack, email: message template ({flow}, {link}...)."
    )
    to: list[str] | None = strawberry.field(default=None, description="email: recipients.")
    subject: str | None = strawberry.field(default=None, description="email: subject template.")
    flow_group_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="start_flow_run: the flow to start; pause_schedule: the flow to pause "
        "(default: the trigger's).",
    )
    parameters: JSON | None = strawberry.field(
        default=None, description="start_flow_run: the run's parameters."
    )


@strawberry.input(description="A new automation.")
class AutomationInput:
    name: str
    trigger: TriggerInput
    actions: list[ActionInput]
    description: str | None = None
    enabled: bool = True
    secret: str | None = strawberry.field(
        default=None, description="Webhook signing secret (16-100 chars); generated if absent."
    )


@strawberry.input(description="Changes to an automation (absent fields stay as they are).")
class AutomationPatch:
    name: str | None = None
    description: str | None = None
    enabled: bool | None = None
    trigger: TriggerInput | None = None
    actions: list[ActionInput] | None = None
    secret: str | None = None
    rotate_secret: bool = strawberry.field(
        default=False, description="Replace the signing secret with a new generated one."
    )


def _document(value: Any) -> dict[str, Any]:
    """An input object as the services' snake_case document, absent fields left out."""
    return {
        key: item
        for key, item in vars(value).items()
        if item is not None and not key.startswith("_")
    }


def _editor_keyring(info: strawberry.Info) -> Keyring | None:
    """The keyring to open actions with when the caller may edit automations (they see
    the credentials they are editing); None, so masked, for every other role."""
    principal = ctx(info).principal
    if principal is None or not allowed(principal.role, Action.ALERTS_WRITE):
        return None
    return keyring(info)


def _config(info: strawberry.Info) -> DeliveryConfig:
    connection = ctx(info).connection
    settings = getattr(getattr(getattr(connection, "app", None), "state", None), "settings", None)
    if settings is None:
        from proctor.settings import get_settings

        settings = get_settings()
    return DeliveryConfig.from_settings(settings)


# -- roots -----------------------------------------------------------------------------


@strawberry.type
class AlertingQuery:
    @strawberry.field(description="The team's automations, by name.")
    async def automations(
        self, info: strawberry.Info, enabled: bool | None = None
    ) -> list[Automation]:
        context = ctx(info)
        found = await automations.list_automations(
            context.db, context.tenant_id, enabled=enabled, keyring=_editor_keyring(info)
        )
        return [Automation.from_record(record) for record in found]

    @strawberry.field(description="One automation.")
    async def automation(self, info: strawberry.Info, id: strawberry.ID) -> Automation:
        context = ctx(info)
        return Automation.from_record(
            await automations.get_automation(
                context.db, context.tenant_id, id, keyring=_editor_keyring(info)
            )
        )

    @strawberry.field(
        description="The delivery log, newest first, each notification with its attempts."
    )
    async def notifications(
        self,
        info: strawberry.Info,
        automation_id: strawberry.ID | None = None,
        status: str | None = None,
        since: datetime | None = None,
        flow_run_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Notification]:
        context = ctx(info)
        page = await notifications.list_notifications(
            context.db,
            context.tenant_id,
            automation_id=automation_id,
            status=status,
            since=since,
            flow_run_id=flow_run_id,
            **paging(first, after, info),
        )
        return connection_from_page(page, Notification.from_record)

    @strawberry.field(description="A flow's SLA (flow group id, or any version's id).")
    async def flow_sla(self, info: strawberry.Info, flow_id: strawberry.ID) -> FlowSla:
        context = ctx(info)
        return FlowSla.from_record(await slas.get_flow_sla(context.db, context.tenant_id, flow_id))

    @strawberry.field(description="SLA breaches, newest first.")
    async def sla_breaches(
        self,
        info: strawberry.Info,
        flow_id: strawberry.ID | None = None,
        kind: str | None = None,
        since: datetime | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[SlaBreach]:
        context = ctx(info)
        page = await slas.list_sla_breaches(
            context.db,
            context.tenant_id,
            flow_id=flow_id,
            kind=kind,
            since=since,
            **paging(first, after, info),
        )
        return connection_from_page(page, SlaBreach.from_record)


@strawberry.type
class AlertingMutation:
    @strawberry.mutation(description="Create an automation; returns its signing secret once.")
    async def create_automation(self, info: strawberry.Info, input: AutomationInput) -> Automation:
        context = ctx(info)
        record = await automations.create_automation(
            context.db,
            context.tenant_id,
            name=input.name,
            description=input.description,
            enabled=input.enabled,
            trigger=_document(input.trigger),
            actions=[_document(action) for action in input.actions],
            secret=input.secret,
            keyring=keyring(info),
        )
        return Automation.from_record(record, reveal=True)

    @strawberry.mutation(description="Change an automation (absent fields are kept).")
    async def update_automation(
        self, info: strawberry.Info, id: strawberry.ID, input: AutomationPatch
    ) -> Automation:
        context = ctx(info)
        record = await automations.update_automation(
            context.db,
            context.tenant_id,
            id,
            name=input.name,
            description=input.description,
            enabled=input.enabled,
            trigger=None if input.trigger is None else _document(input.trigger),
            actions=None
            if input.actions is None
            else [_document(action) for action in input.actions],
            secret=input.secret,
            rotate_secret=input.rotate_secret,
            keyring=keyring(info),
        )
        return Automation.from_record(
            record, reveal=input.secret is not None or input.rotate_secret
        )

    @strawberry.mutation(description="Delete an automation (its delivery log stays).")
    async def delete_automation(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = ctx(info)
        return await automations.delete_automation(context.db, context.tenant_id, id)

    @strawberry.mutation(description="Turn an automation on or off.")
    async def set_automation_enabled(
        self, info: strawberry.Info, id: strawberry.ID, enabled: bool
    ) -> Automation:
        context = ctx(info)
        return Automation.from_record(
            await automations.set_automation_enabled(
                context.db, context.tenant_id, id, enabled, keyring=_editor_keyring(info)
            )
        )

    @strawberry.mutation(
        description="Deliver a sample failed-run event through the automation's message "
        "actions now, once; returns the notifications with their attempt (run actions "
        "are logged as skipped)."
    )
    async def send_test_notification(
        self, info: strawberry.Info, automation_id: strawberry.ID
    ) -> list[Notification]:
        context = ctx(info)
        sent = await notifications.send_test(
            context.db, context.tenant_id, automation_id, _config(info)
        )
        return [Notification.from_record(record) for record in sent]

    @strawberry.mutation(
        description="Set a flow's SLA in seconds (flow group id or any version's id); "
        "null turns a threshold off, all null removes the SLA."
    )
    async def set_flow_sla(
        self,
        info: strawberry.Info,
        flow_id: strawberry.ID,
        late_start_seconds: float | None = None,
        long_run_seconds: float | None = None,
        missed_run_seconds: float | None = None,
    ) -> FlowSla:
        context = ctx(info)
        record = await slas.set_flow_sla(
            context.db,
            context.tenant_id,
            flow_id,
            late_start_seconds=late_start_seconds,
            long_run_seconds=long_run_seconds,
            missed_run_seconds=missed_run_seconds,
        )
        return FlowSla.from_record(record)


__all__ = ["AlertingMutation", "AlertingQuery"]
