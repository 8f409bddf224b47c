"""Message templates: text with `{placeholder}` fields, filled with a trigger's values.

The syntax is `str.format`'s, restricted to bare names from `PLACEHOLDERS`: no attribute
or index access (`{run.__class__}`), no conversions (`{x!r}`), no format specs (`{x:>9999}`).
Templates are checked when an automation is saved (`check_template`, a clear
`InvalidInput` naming the bad placeholder) and rendered by walking the parsed template
and concatenating strings (`render`), so even a template that somehow skipped the check
can only ever produce text. Literal braces are doubled: `{{` and `}}`.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from proctor.server.errors import InvalidInput

MAX_TEMPLATE_CHARS = 5000

#: Every placeholder a template may use, and what it holds. A placeholder that does not
#: apply to the trigger (e.g. `{agent}` for a failed run) renders as empty text.
PLACEHOLDERS: dict[str, str] = {
    "title": "a one-line summary of what happened",
    "automation": "the automation's name",
    "event": "the trigger event's kind (flow_run.state, sla.breached, ...)",
    "flow": "the flow's name",
    "project": "the flow's project",
    "flow_run": "the run's name",
    "run_name": "the run's name (same as flow_run)",
    "flow_run_id": "the run's id",
    "state": "the run's state (e.g. Failed)",
    "message": "the state's message (for a failed run: its cause, as `cause`), or the "
    "breach's description",
    "cause": "a failed run's first task run that failed by itself, with its exception "
    "(`enrich[3]: ValueError: ...`); empty otherwise",
    "state_message": "the run's own state message, as the run reported it",
    "link": "a link to the run (or the flow) in the UI",
    "scheduled_start_time": "when the run was scheduled to start (UTC, ISO-8601)",
    "start_time": "when it started",
    "end_time": "when it ended",
    "labels": "the run's labels, comma-separated",
    "sla_kind": "late_start, long_run or missed_run",
    "threshold": "the SLA's threshold in seconds",
    "agent": "the agent's name",
    "last_heartbeat": "the agent's last heartbeat",
    "task": "the task's slug",
    "failures": "how many times in a row the task failed",
}

_FORMATTER = string.Formatter()


def _parse(template: str, what: str) -> list[tuple[str, str | None]]:
    """(literal text, field name or None) pairs; `InvalidInput` for anything but bare
    known names."""
    try:
        parts = list(_FORMATTER.parse(template))
    except ValueError as error:
        raise InvalidInput(
            f"{what}: {error} (write literal braces as {{{{ and }}}})", details={"field": what}
        ) from None
    parsed: list[tuple[str, str | None]] = []
    for literal, field, spec, conversion in parts:
        if field is not None:
            if field not in PLACEHOLDERS:
                raise InvalidInput(
                    f"{what}: unknown placeholder {{{field}}}; use one of "
                    + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
                    details={"field": what, "placeholder": field},
                )
            if spec or conversion:
                raise InvalidInput(
                    f"{what}: placeholder {{{field}}} takes no conversion or format "
                    "specification; write it as {" + field + "}",
                    details={"field": what, "placeholder": field},
                )
        parsed.append((literal, field))
    return parsed


def check_template(template: object, what: str) -> str:
    """`template` if it is a usable template, else `InvalidInput`."""
    if not isinstance(template, str):
        raise InvalidInput(f"{what} must be a string", details={"field": what})
    if len(template) > MAX_TEMPLATE_CHARS:
        raise InvalidInput(
            f"{what} is longer than {MAX_TEMPLATE_CHARS} characters", details={"field": what}
        )
    _parse(template, what)
    return template


def render(template: str, values: Mapping[str, str]) -> str:
    """The template with each placeholder replaced by its value (empty when absent)."""
    return "".join(
        literal + (values.get(field, "") if field is not None else "")
        for literal, field in _parse(template, "template")
    )


__all__ = ["MAX_TEMPLATE_CHARS", "PLACEHOLDERS", "check_template", "render"]
