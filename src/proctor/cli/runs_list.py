"""`proctor runs ls`: flow runs of every flow of the team, filtered like the Runs page.

Without `--flow` the list covers every flow; `--since` takes `2h`, `1d`, `30m`, `1w` (that
long ago) or an ISO time (local time unless it carries a zone). A list never stops
silently: when more runs match than are shown, stderr says how many and how to see them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from proctor.cli.output import UserError, fail
from proctor.cli.remote import (
    RUN_PAGE_SIZE,
    ApiUrlOption,
    JsonOption,
    api_call,
    every_page,
    make_client,
    print_json,
    print_table,
    styled_state,
    when,
)

if TYPE_CHECKING:
    from proctor.client import FlowRun, Page

_AGO = re.compile(r"^(\d+)\s*([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """The moment `--since` names: `2h` is two hours before `now`, or an ISO time."""
    cleaned = text.strip()
    ago = _AGO.match(cleaned.lower())
    if ago is not None:
        amount, unit = int(ago.group(1)), ago.group(2)
        return (now or datetime.now(UTC)) - timedelta(**{_UNITS[unit]: amount})
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise UserError(
            f"cannot read --since {text!r}: give a time ago such as 30m, 2h, 1d or 1w, or "
            "an ISO time such as 2026-05-01T09:30 (add +02:00 or Z for a zone)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # the user's local time, as typed
    return moment.astimezone(UTC)


def more_hint(shown: int, total: int | None, has_next: bool, cursor: str | None) -> None:
    """On stderr (so `--json` stays clean): how many runs are not shown, and how to see
    them."""
    import sys

    if not has_next or not cursor:
        return
    if total is not None:
        more = f"showing {shown} of {total}: {total - shown} more; "
    else:
        more = f"showing {shown}: more match; "
    print(f"{more}use --limit N, --all, or --after {cursor}", file=sys.stderr)


def list_runs(
    flow: Annotated[
        str | None,
        typer.Option(
            "--flow",
            help="Only runs of this flow: a name or PROJECT/NAME (every version), or a "
            "flow id (that version). Default: every flow.",
        ),
    ] = None,
    project: Annotated[str | None, typer.Option("--project", help="Only this project.")] = None,
    state: Annotated[
        list[str] | None,
        typer.Option(
            "--state",
            metavar="STATE",
            help="Only runs in this state (repeatable): a name (TimedOut) or a family "
            "(Failed: every failed state).",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="WHEN",
            help="Only runs scheduled since then: 30m, 2h, 1d, 1w ago, or an ISO time.",
        ),
    ] = None,
    limit: Annotated[
        int,
        typer.Option("--limit", "--first", "-n", min=1, help="How many runs, newest first."),
    ] = 50,
    after: Annotated[str | None, typer.Option("--after", help="Page cursor.")] = None,
    show_all: Annotated[
        bool,
        typer.Option("--all", help="Every matching run of every flow (no --limit)."),
    ] = False,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """List flow runs of every flow (or of one with --flow), the most recently scheduled
    first."""
    from proctor.cli.remote import find_flow, looks_like_id

    try:
        scheduled_after = None if since is None else parse_since(since)
    except UserError as error:
        fail(str(error))
    with api_call(), make_client(api_url) as client:
        flow_id = flow_group_id = None
        if flow is not None and looks_like_id(flow):
            flow_id = flow
        elif flow is not None:
            flow_group_id = find_flow(client, flow, project).flow_group_id

        def fetch(size: int, cursor: str | None) -> Page[FlowRun]:
            return client.list_flow_runs(
                flow_id=flow_id,
                flow_group_id=flow_group_id,
                project=project,
                states=state,
                scheduled_after=scheduled_after,
                first=size,
                after=cursor,
            )

        page = every_page(fetch, after, RUN_PAGE_SIZE) if show_all else fetch(limit, after)
    if json_output:
        print_json(page)
        more_hint(len(page.items), page.total_count, page.has_next_page, page.end_cursor)
        return
    print_table(
        None,
        ["NAME", "FLOW", "STATE", "ID", "SCHEDULED", "STARTED", "ENDED"],
        [
            (
                run.name,
                run.flow_name or run.flow_id,
                styled_state(run.state),
                run.id,
                when(run.scheduled_start_time),
                when(run.start_time),
                when(run.end_time),
            )
            for run in page.items
        ],
    )
    more_hint(len(page.items), page.total_count, page.has_next_page, page.end_cursor)


__all__ = ["list_runs", "more_hint", "parse_since"]
