"""What an automation is made of: its trigger and its actions, as validated documents.

Stored as JSON (snake_case keys, `type` first) and validated here on every write, so the
matcher and the notifier only ever read documents of these shapes:

Triggers
    flow_run_state     a flow run enters one of `states` (names like TimedOut, or
                       families like Failed)
    sla_breach         an SLA of a flow group was breached (`kinds`: any by default)
    agent_unhealthy    an agent stopped heartbeating (`agent_names`: any by default)
    task_run_failures  the same task of the same flow ended Failed in `count`
                       consecutive flow runs (fires once per streak; a success resets it)

    Run triggers may be narrowed to a project (`project_id`), flow groups
    (`flow_group_ids`) and/or flows carrying one of `tags` (the labels of the flow and
    its run): an empty filter matches every flow.

Actions
    webhook           POST a JSON payload to `url` with `headers`, signed with the
                      automation's secret (X-Proctor-Signature: sha256=<hex>)
    slack             POST a Slack-compatible message (text + blocks with a link)
    email             mail `to` through the server's SMTP settings
    start_flow_run    create a run of `flow_group_id` (newest version) with `parameters`
    cancel_flow_run   cancel the run the trigger is about
    pause_schedule    turn off the schedule of `flow_group_id` (default: the run's flow)

`message` (and an email's `subject`) are templates: see `templates.PLACEHOLDERS`.
"""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import pydantic
from pydantic import BaseModel, ConfigDict, Field, field_validator

from proctor.server.errors import InvalidInput
from proctor.server.orchestration.states import FAMILIES, STATE_NAMES
from proctor.server.services.alerting.templates import check_template
from proctor.server.services.plumbing.validation import json_value

TRIGGER_TYPES = ("flow_run_state", "sla_breach", "agent_unhealthy", "task_run_failures")
ACTION_TYPES = (
    "webhook",
    "slack",
    "email",
    "start_flow_run",
    "cancel_flow_run",
    "pause_schedule",
)
MESSAGE_ACTIONS = frozenset({"webhook", "slack", "email"})
RUN_TRIGGERS = frozenset({"flow_run_state", "sla_breach", "task_run_failures"})
SLA_KINDS = ("late_start", "long_run", "missed_run")
MAX_ACTIONS = 10
MAX_URL_CHARS = 2000
MAX_HEADERS = 20
# Headers the notifier sets itself: a user value would break the body or the signature.
RESERVED_HEADERS = frozenset(
    {"content-type", "content-length", "host", "x-proctor-signature", "transfer-encoding"}
)
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$")
_EMAIL = re.compile(r"^[^@\s<>,;\"]{1,64}@[A-Za-z0-9.-]{1,253}$")

ShortText = Annotated[str, Field(min_length=1, max_length=200)]


def check_url(value: str) -> str:
    """An absolute http(s) URL with a host."""
    if len(value) > MAX_URL_CHARS or any(c.isspace() or ord(c) < 32 for c in value):
        raise ValueError("must be an http(s) URL without spaces, at most 2000 characters")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError on a malformed port)
    except ValueError as error:
        raise ValueError(f"is not a valid URL ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"must be an absolute http:// or https:// URL, got {value!r:.100}")
    return value


def check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(f"{value!r:.100} is not an email address (name@domain)")
    return value


def _template_value(value: str, what: str) -> str:
    """`check_template` as a pydantic validator wants it (a ValueError)."""
    try:
        return check_template(value, what)
    except InvalidInput as error:
        raise ValueError(error.message.removeprefix(f"{what}: ")) from None


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _RunScope(_Spec):
    project_id: uuid.UUID | None = None
    flow_group_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)
    tags: list[ShortText] = Field(default_factory=list, max_length=50)


class FlowRunStateTrigger(_RunScope):
    type: Literal["flow_run_state"]
    states: list[str] = Field(min_length=1, max_length=50)

    @field_validator("states")
    @classmethod
    def _known_states(cls, states: list[str]) -> list[str]:
        known = STATE_NAMES | FAMILIES
        for state in states:
            if state not in known:
                raise ValueError(
                    f"{state!r:.50} is not a state; use names or families such as "
                    + ", ".join(sorted(FAMILIES))
                )
        return sorted(set(states))


class SlaBreachTrigger(_RunScope):
    type: Literal["sla_breach"]
    kinds: list[Literal["late_start", "long_run", "missed_run"]] = Field(default_factory=list)


class AgentUnhealthyTrigger(_Spec):
    type: Literal["agent_unhealthy"]
    agent_names: list[ShortText] = Field(default_factory=list, max_length=100)


class TaskRunFailuresTrigger(_RunScope):
    type: Literal["task_run_failures"]
    count: int = Field(ge=1, le=100)
    task_slugs: list[Annotated[str, Field(min_length=1, max_length=500)]] = Field(
        default_factory=list, max_length=100
    )


Trigger = Annotated[
    FlowRunStateTrigger | SlaBreachTrigger | AgentUnhealthyTrigger | TaskRunFailuresTrigger,
    Field(discriminator="type"),
]


class _MessageAction(_Spec):
    message: str | None = None

    @field_validator("message")
    @classmethod
    def _template(cls, value: str | None) -> str | None:
        return None if value is None else _template_value(value, "message")


class WebhookAction(_MessageAction):
    type: Literal["webhook"]
    url: str
    headers: dict[str, str] = Field(default_factory=dict)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_url(value)

    @field_validator("headers")
    @classmethod
    def _headers(cls, headers: dict[str, str]) -> dict[str, str]:
        if len(headers) > MAX_HEADERS:
            raise ValueError(f"at most {MAX_HEADERS} headers")
        for name, value in headers.items():
            if not _HEADER_NAME.match(name):
                raise ValueError(f"{name!r:.100} is not a valid header name")
            if name.lower() in RESERVED_HEADERS:
                raise ValueError(f"{name} is set by Proctor and cannot be overridden")
            if len(value) > 2000 or any(c in value for c in "\r\n\0"):
                raise ValueError(f"the value of {name} must be one line of at most 2000 chars")
        return headers


class SlackAction(_MessageAction):
    type: Literal["slack"]
    url: str

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_url(value)


class EmailAction(_MessageAction):
    type: Literal["email"]
    to: list[str] = Field(min_length=1, max_length=20)
    subject: str | None = None

    @field_validator("to")
    @classmethod
    def _addresses(cls, to: list[str]) -> list[str]:
        return [check_email(address) for address in to]

    @field_validator("subject")
    @classmethod
    def _subject(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if "\n" in value or "\r" in value:
            raise ValueError("the subject must be one line")
        return _template_value(value, "subject")


class StartFlowRunAction(_Spec):
    type: Literal["start_flow_run"]
    flow_group_id: uuid.UUID
    parameters: dict[str, Any] = Field(default_factory=dict)

    @field_validator("parameters")
    @classmethod
    def _json(cls, value: dict[str, Any]) -> dict[str, Any]:
        json_value(value, "parameters")
        return value


class CancelFlowRunAction(_Spec):
    type: Literal["cancel_flow_run"]


class PauseScheduleAction(_Spec):
    type: Literal["pause_schedule"]
    flow_group_id: uuid.UUID | None = None


Action = Annotated[
    WebhookAction
    | SlackAction
    | EmailAction
    | StartFlowRunAction
    | CancelFlowRunAction
    | PauseScheduleAction,
    Field(discriminator="type"),
]

_TRIGGER: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(Trigger)
_ACTION: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(Action)


def _problem(error: pydantic.ValidationError, where: str) -> InvalidInput:
    first = error.errors()[0]
    # The first part of the location is the union member's tag (e.g. "webhook"): the
    # user wrote the `type`, so name the field in their document instead.
    location = [str(part) for part in first.get("loc", ())][1:]
    path = ".".join([where, *location])
    message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    return InvalidInput(f"{path}: {message}", details={"field": path})


def _typed(document: Any, where: str, types: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise InvalidInput(f"{where} must be an object with a 'type'", details={"field": where})
    kind = document.get("type")
    if kind not in types:
        raise InvalidInput(
            f"{where}.type must be one of {', '.join(types)}; got {kind!r:.50}",
            details={"field": f"{where}.type"},
        )
    return document


def parse_trigger(document: Any) -> Any:
    """The trigger model of `document` (`InvalidInput` naming the field at fault)."""
    try:
        return _TRIGGER.validate_python(_typed(document, "trigger", TRIGGER_TYPES))
    except pydantic.ValidationError as error:
        raise _problem(error, "trigger") from None


def parse_action(document: Any, index: int) -> Any:
    try:
        return _ACTION.validate_python(_typed(document, f"actions.{index}", ACTION_TYPES))
    except pydantic.ValidationError as error:
        raise _problem(error, f"actions.{index}") from None


def parse_actions(documents: Any, trigger_type: str) -> list[Any]:
    """The action models, checked against the trigger they follow."""
    if not isinstance(documents, list) or not documents:
        raise InvalidInput("actions must be a non-empty list", details={"field": "actions"})
    if len(documents) > MAX_ACTIONS:
        raise InvalidInput(f"at most {MAX_ACTIONS} actions", details={"field": "actions"})
    actions = [parse_action(document, index) for index, document in enumerate(documents)]
    for index, action in enumerate(actions):
        if action.type == "cancel_flow_run" and trigger_type not in RUN_TRIGGERS:
            raise InvalidInput(
                f"actions.{index}: cancel_flow_run needs a trigger about a flow run "
                f"({', '.join(sorted(RUN_TRIGGERS))}), not {trigger_type}",
                details={"field": f"actions.{index}.type"},
            )
        if (
            action.type == "pause_schedule"
            and action.flow_group_id is None
            and trigger_type not in RUN_TRIGGERS
        ):
            raise InvalidInput(
                f"actions.{index}: pause_schedule needs a flow_group_id when the trigger is "
                f"not about a flow run ({trigger_type})",
                details={"field": f"actions.{index}.flow_group_id"},
            )
    return actions


def dump(model: BaseModel) -> dict[str, Any]:
    """The stored form of a trigger or action (JSON-ready, defaults included)."""
    return model.model_dump(mode="json")


__all__ = [
    "ACTION_TYPES",
    "MESSAGE_ACTIONS",
    "RUN_TRIGGERS",
    "SLA_KINDS",
    "TRIGGER_TYPES",
    "check_email",
    "check_url",
    "dump",
    "parse_action",
    "parse_actions",
    "parse_trigger",
]
