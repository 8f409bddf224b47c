"""The facts a notification carries about its trigger event, and the values its
templates are filled with.

A notification stores its event's *context* when it is created: a JSON object with the
event kind and time plus whichever of `flow_run`, `flow_group`, `sla`, `agent` and
`task` apply. Retries send exactly the same content, even when the run has moved on.
Links are added at delivery time, from the notifier's `ui_url` setting.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database.models import Flow, FlowGroup, FlowRun, FlowRunState, Project
from proctor.server.services.attempts import attempts_of
from proctor.server.services.failure_summary import failure_summary
from proctor.server.services.plumbing import rows


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


async def flow_run_facts(
    session: AsyncSession, tenant: uuid.UUID, flow_run_id: uuid.UUID, version: int | None = None
) -> dict[str, Any] | None:
    """What templates and filters need about a run (None if it is gone). With `version`,
    the state is the one the run entered at that version (from its history), not
    whatever it is in now."""
    found = (
        await session.execute(
            sa.select(FlowRun, Flow.name, Flow.labels, Project.id, Project.name)
            .join(Flow, Flow.id == FlowRun.flow_id)
            .join(Project, Project.id == Flow.project_id)
            .where(FlowRun.tenant_id == tenant, FlowRun.id == flow_run_id)
        )
    ).first()
    if found is None:
        return None
    run, flow_name, flow_labels, project_id, project_name = found
    state, state_type, message = run.state, run.state_type, run.state_message
    moment = run.state_timestamp
    if version is not None and version != run.version:
        past = (
            await session.execute(
                sa.select(
                    FlowRunState.state,
                    FlowRunState.state_type,
                    FlowRunState.message,
                    FlowRunState.timestamp,
                )
                .where(FlowRunState.flow_run_id == run.id, FlowRunState.version == version)
                .limit(1)
            )
        ).first()
        if past is not None:
            state, state_type, message, moment = past
    causes = None
    if state_type == "Failed":
        causes = await failure_causes(session, run.id, version or run.version, moment)
    return {
        "id": str(run.id),
        "name": run.name,
        "flow": flow_name,
        "flow_id": str(run.flow_id),
        "flow_group_id": str(run.flow_group_id),
        "project": project_name,
        "project_id": str(project_id),
        "state": state,
        "state_type": state_type,
        "message": message,
        "scheduled_start_time": iso(run.scheduled_start_time),
        "start_time": iso(run.start_time),
        "end_time": iso(run.end_time),
        "labels": sorted(set(run.labels or []) | set(flow_labels or [])),
        "version": version if version is not None else run.version,
        **(causes or {}),
    }


async def failure_causes(
    session: AsyncSession, run_id: uuid.UUID, version: int, failed_at: datetime
) -> dict[str, Any]:
    """`cause` (one line naming the first task run that failed by itself, or None) and
    `failed_task_runs` of the attempt that ended in the failure at `version`."""
    history = await session.scalars(
        sa.select(FlowRunState)
        .where(FlowRunState.flow_run_id == run_id)
        .order_by(FlowRunState.version, FlowRunState.timestamp)
    )
    found = attempts_of(rows.state_record(row) for row in history)
    began = next((a.began for a in found if a.first_version <= version <= a.last_version), None)
    summary = await failure_summary(session, run_id, since=began, until=failed_at)
    return {
        "cause": summary.text,
        "failed_task_runs": [
            {
                "task_run": cause.task_run_name,
                "task_slug": cause.task_slug,
                "map_index": cause.map_index,
                "exception_type": cause.exception_type,
                "message": cause.message,
            }
            for cause in summary.causes
        ],
    }


async def flow_group_facts(
    session: AsyncSession, tenant: uuid.UUID, flow_group_id: uuid.UUID
) -> dict[str, Any] | None:
    """A flow (group) and its project, for events that are not about one run."""
    found = (
        await session.execute(
            sa.select(FlowGroup, Project.name)
            .join(Project, Project.id == FlowGroup.project_id)
            .where(FlowGroup.tenant_id == tenant, FlowGroup.id == flow_group_id)
        )
    ).first()
    if found is None:
        return None
    group, project_name = found
    newest = (
        await session.execute(
            sa.select(Flow.id, Flow.labels)
            .where(Flow.flow_group_id == group.id)
            .order_by(Flow.version.desc())
            .limit(1)
        )
    ).first()
    flow_id, labels = newest if newest is not None else (None, [])
    return {
        "id": str(group.id),
        "flow_id": None if flow_id is None else str(flow_id),
        "name": group.name,
        "project": project_name,
        "project_id": str(group.project_id),
        "labels": sorted(set(labels or []) | set(group.labels or [])),
    }


def scope_of(context: dict[str, Any]) -> dict[str, Any] | None:
    """(project_id, flow_group_id, labels) of the flow the event is about."""
    run = context.get("flow_run")
    if run is not None:
        return {
            "project_id": run["project_id"],
            "flow_group_id": run["flow_group_id"],
            "labels": run["labels"],
        }
    group = context.get("flow_group")
    if group is not None:
        return {
            "project_id": group["project_id"],
            "flow_group_id": group["id"],
            "labels": group["labels"],
        }
    return None


def run_link(ui_url: str, context: dict[str, Any]) -> str:
    """The UI page of the run (or of the flow, when the event is not about one run)."""
    base = ui_url.rstrip("/")
    run = context.get("flow_run")
    if run is not None:
        return f"{base}/runs/{run['id']}"
    group = context.get("flow_group")
    if group is not None and group.get("flow_id"):
        return f"{base}/flows/{group['flow_id']}"
    return base + "/"


def title_of(context: dict[str, Any]) -> str:
    """One line saying what happened."""
    run = context.get("flow_run") or {}
    sla = context.get("sla")
    agent = context.get("agent")
    task = context.get("task")
    flow = run.get("flow") or (context.get("flow_group") or {}).get("name") or "?"
    if sla is not None:
        what = {"late_start": "started late", "long_run": "is running too long"}.get(
            sla["kind"], "missed a scheduled run"
        )
        subject = f"Run {run['name']} of {flow}" if run else f"Flow {flow}"
        return f"SLA breach: {subject} {what}"
    if agent is not None:
        return f"Agent {agent['name']} is unhealthy"
    if task is not None:
        return f"Task {task['slug']} of {flow} failed {task['failures']} times in a row"
    if run:
        return f"Run {run['name']} of {flow} is {run['state']}"
    return str(context.get("kind", "Proctor event"))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def template_values(context: dict[str, Any], automation_name: str, ui_url: str) -> dict[str, str]:
    """Every placeholder's value for this event (see `templates.PLACEHOLDERS`)."""
    run = context.get("flow_run") or {}
    group = context.get("flow_group") or {}
    sla = context.get("sla") or {}
    agent = context.get("agent") or {}
    task = context.get("task") or {}
    message = sla.get("message") if sla else run.get("message")
    # A failed run's message names its cause (`enrich[3]: ValueError: ...`), not the
    # task that only failed because of it (the run's own message stays `state_message`).
    cause = None if sla else run.get("cause")
    return {
        "title": title_of(context),
        "automation": automation_name,
        "event": _text(context.get("kind")),
        "flow": _text(run.get("flow") or group.get("name")),
        "project": _text(run.get("project") or group.get("project")),
        "flow_run": _text(run.get("name")),
        "run_name": _text(run.get("name")),
        "flow_run_id": _text(run.get("id")),
        "state": _text(run.get("state")),
        "message": _text(cause or message),
        "cause": _text(cause),
        "state_message": _text(run.get("message")),
        "link": run_link(ui_url, context),
        "scheduled_start_time": _text(run.get("scheduled_start_time")),
        "start_time": _text(run.get("start_time")),
        "end_time": _text(run.get("end_time")),
        "labels": ", ".join(run.get("labels") or group.get("labels") or []),
        "sla_kind": _text(sla.get("kind")),
        "threshold": _text(sla.get("threshold_seconds")),
        "agent": _text(agent.get("name")),
        "last_heartbeat": _text(agent.get("last_heartbeat")),
        "task": _text(task.get("slug")),
        "failures": _text(task.get("failures")),
    }


def sample_context() -> dict[str, Any]:
    """A made-up failed run, for "send a test notification"."""
    now = datetime.now(UTC)
    return {
        "kind": "test",
        "occurred": iso(now),
        "flow_run": {
            "id": "00000000-0000-4000-8000-000000000000",
            "name": "sample-run",
            "flow": "sample-flow",
            "flow_id": None,
            "flow_group_id": None,
            "project": "sample-project",
            "project_id": None,
            "state": "Failed",
            "state_type": "Failed",
            "message": "This is a test notification sent from Proctor.",
            "scheduled_start_time": iso(now),
            "start_time": iso(now),
            "end_time": iso(now),
            "labels": [],
            "version": 0,
        },
    }


__all__ = [
    "flow_group_facts",
    "flow_run_facts",
    "iso",
    "run_link",
    "sample_context",
    "scope_of",
    "template_values",
    "title_of",
]
