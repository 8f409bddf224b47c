"""`proctor automations ls` and `proctor automations test ID`: the team's automations,
and a sample alert sent through one of them now."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from proctor.cli.remote import (
    EXIT_SERVER_ERROR,
    ApiUrlOption,
    JsonOption,
    Markup,
    api_call,
    make_client,
    print_json,
    print_table,
)

automations_app = typer.Typer(
    name="automations",
    help="List automations (alerts and actions on runs) and send test alerts.",
    no_args_is_help=True,
)

LIST = """{ automations {
  id name description enabled created updated
  trigger { type states projectId flowGroupIds tags kinds agentNames count taskSlugs }
  actions { type url message to subject flowGroupId }
} }"""
SEND_TEST = """mutation ($id: ID!) { sendTestNotification(automationId: $id) {
  id actionIndex actionType status lastError
  attempts { number success statusCode error detail started durationMs }
} }"""


def _trigger_text(trigger: dict[str, Any]) -> str:
    kind = trigger["type"]
    if kind == "flow_run_state":
        what = "run " + "/".join(trigger["states"])
    elif kind == "sla_breach":
        what = "SLA breach" + (f" ({', '.join(trigger['kinds'])})" if trigger["kinds"] else "")
    elif kind == "agent_unhealthy":
        names = trigger["agentNames"]
        what = "agent unhealthy" + (f" ({', '.join(names)})" if names else "")
    else:
        what = f"task fails {trigger['count']}x in a row"
    scope = [
        f"{len(trigger['flowGroupIds'])} flow(s)" if trigger["flowGroupIds"] else "",
        "a project" if trigger["projectId"] else "",
        "tags " + ", ".join(trigger["tags"]) if trigger["tags"] else "",
    ]
    narrowed = ", ".join(part for part in scope if part)
    return f"{what} [{narrowed}]" if narrowed else what


def _action_text(action: dict[str, Any]) -> str:
    kind = str(action["type"])
    if kind in ("webhook", "slack"):
        return f"{kind} {action['url']}"
    if kind == "email":
        return "email " + ", ".join(action["to"])
    return kind.replace("_", " ")


@automations_app.command("ls")
def list_automations(api_url: ApiUrlOption = None, json_output: JsonOption = False) -> None:
    """List automations: trigger, actions, enabled."""
    with api_call(), make_client(api_url) as client:
        found = client.query(LIST)["automations"]
    if json_output:
        print_json(found)
        return
    print_table(
        None,
        ["NAME", "TRIGGER", "ACTIONS", "ENABLED", "ID"],
        [
            (
                automation["name"],
                _trigger_text(automation["trigger"]),
                "\n".join(_action_text(action) for action in automation["actions"]),
                Markup("[green]yes[/]" if automation["enabled"] else "[yellow]no[/]"),
                automation["id"],
            )
            for automation in found
        ],
    )


@automations_app.command("test")
def send_test(
    automation_id: Annotated[
        str, typer.Argument(metavar="ID", help="The automation (see `proctor automations ls`).")
    ],
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Send a sample failed-run alert through the automation's webhook, Slack and email
    actions now (run actions are skipped). Exits 1 if a delivery failed."""
    from proctor.client import Operation

    with api_call(), make_client(api_url) as client:
        # Not retried: a retry after a lost answer would send the test twice.
        answer: dict[str, Any] = client.execute(Operation(SEND_TEST, {"id": automation_id}))
    sent: list[dict[str, Any]] = answer["sendTestNotification"]
    failed = [notification for notification in sent if notification["status"] == "failed"]
    if json_output:
        print_json(sent)
    else:
        rows = []
        for notification in sent:
            attempt = (notification["attempts"] or [{}])[-1]
            status = notification["status"]
            style = {"delivered": "green", "failed": "red"}.get(status, "dim")
            result = attempt.get("error") or attempt.get("detail") or notification["lastError"]
            rows.append(
                (
                    notification["actionIndex"],
                    notification["actionType"],
                    Markup(f"[{style}]{status}[/]"),
                    attempt.get("statusCode") or "-",
                    result or "-",
                )
            )
        print_table(None, ["#", "ACTION", "STATUS", "CODE", "RESULT"], rows)
    if failed:
        from proctor.cli.output import print_error

        print_error(
            f"{len(failed)} delivery(ies) failed: check the URL or address of the action, "
            "the receiver, and the server's SMTP settings (PROCTOR_SERVER_SERVICES_NOTIFIER_"
            "SMTP_*), then try again"
        )
        raise typer.Exit(EXIT_SERVER_ERROR)


def register(app: typer.Typer) -> None:
    """Add `automations` to the CLI."""
    app.add_typer(automations_app)


__all__ = ["register"]
