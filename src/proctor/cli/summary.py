"""The human ending of a run: one line with the flow's final state, then what failed.

Printed on stderr after the progress display. Failures are listed one per task run with
their messages, so the reason a flow failed is on screen without scrolling back through
logs; long lists are cut (the `--json` output has them all).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from proctor.cli.progress import format_seconds
from proctor.cli.report import failed_runs

if TYPE_CHECKING:
    from rich.console import Console

    from proctor.client import Client
    from proctor.core.flow import Flow
    from proctor.core.states import State

MAX_FAILED_ROWS = 20
LAST_LOG_LINES = 10
FAILED_STATES = ("Failed", "TriggerFailed", "TimedOut")

_LAST_LOGS = """query ($id: ID!, $last: Int!) {
  logs(flowRunId: $id, last: $last) { nodes { timestamp levelName taskSlug mapIndex message } }
}"""


def outcome_line(flow: Flow, state: State, duration: float) -> str:
    """`✔ Flow 'etl' finished Success in 1.20s: All reference tasks succeeded` as markup."""
    from rich.markup import escape

    if state.is_successful():
        symbol, style = "✔", "bold green"
    elif state.is_failed():
        symbol, style = "✘", "bold red"
    else:
        symbol, style = "■", "bold magenta"
    message = f": {escape(state.message)}" if state.message else ""
    verb = "finished" if state.is_finished() else "ended"
    return (
        f"[{style}]{symbol} Flow {escape(repr(flow.name))} {verb} {state.name}[/] "
        f"in {format_seconds(duration)}{message}"
    )


def print_summary(console: Console, flow: Flow, state: State, duration: float) -> None:
    """The outcome line, and a table of failed task runs when there are any."""
    from rich.table import Table
    from rich.text import Text

    console.print(outcome_line(flow, state, duration))
    failures = failed_runs(flow, state)
    if not failures:
        return
    table = Table(title="Failed task runs", title_justify="left", show_lines=False)
    table.add_column("Task", style="bold", no_wrap=True)
    table.add_column("State", style="red", no_wrap=True)
    table.add_column("Message", overflow="fold")
    for failure in failures[:MAX_FAILED_ROWS]:
        table.add_row(Text(failure.label), Text(failure.state), Text(failure.message or ""))
    console.print(table)
    if len(failures) > MAX_FAILED_ROWS:
        console.print(
            f"[dim]… and {len(failures) - MAX_FAILED_ROWS} more failed task runs "
            "(--json lists them all).[/]"
        )


def task_label(slug: str, map_index: int | None) -> str:
    """`enrich[137]` for a mapped child, `enrich` for a task node's own run."""
    return f"{slug}[{map_index}]" if map_index is not None and map_index >= 0 else slug


def print_remote_failures(console: Console, client: Client, flow_run_id: str) -> None:
    """After a watched server run that did not succeed: its failed task runs with their
    messages, and the run's last log lines, so the reason is on screen at once."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    page = client.list_task_runs(flow_run_id, states=list(FAILED_STATES), first=MAX_FAILED_ROWS)
    if page.items:
        table = Table(title="Failed task runs", title_justify="left")
        table.add_column("Task", style="bold", no_wrap=True)
        table.add_column("State", style="red", no_wrap=True)
        table.add_column("Message", overflow="fold")
        for run in page.items:
            table.add_row(
                Text(task_label(run.task_slug, run.map_index)),
                Text(run.state),
                Text(run.state_message or ""),
            )
        console.print(table)
        total = page.total_count or len(page.items)
        if total > len(page.items):
            console.print(
                f"[dim]… and {total - len(page.items)} more failed task runs: "
                f"proctor runs show {escape(flow_run_id)} --state Failed --all[/]"
            )
    data = client.query(_LAST_LOGS, {"id": flow_run_id, "last": LAST_LOG_LINES})
    lines = (data.get("logs") or {}).get("nodes") or []
    if not lines:
        return
    console.print(
        f"[bold]Last log lines[/] [dim](all of them: proctor runs logs {escape(flow_run_id)})[/]"
    )
    for line in lines:
        where = task_label(line["taskSlug"], line["mapIndex"]) if line["taskSlug"] else "flow"
        console.print(
            f"{line['levelName']:<8} {where} | {line['message']}", markup=False, highlight=False
        )


__all__ = [
    "FAILED_STATES",
    "MAX_FAILED_ROWS",
    "outcome_line",
    "print_remote_failures",
    "print_summary",
    "task_label",
]
