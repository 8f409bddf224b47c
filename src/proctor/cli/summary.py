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

    from proctor.core.flow import Flow
    from proctor.core.states import State

MAX_FAILED_ROWS = 20


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


__all__ = ["MAX_FAILED_ROWS", "outcome_line", "print_summary"]
