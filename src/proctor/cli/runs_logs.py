"""`proctor runs logs RUN`: a flow run's log lines, and `--follow` to stream them live.

RUN is the run's id or its name. `--follow` prints what is there, then asks the server
for lines after the last one it printed until the run has finished (and once more after,
for the lines that finished it), then exits 0 whatever the run's outcome: a script that
follows a run learns how it ended from `proctor runs show RUN --json`. `--json` prints
JSON Lines (one object per log line), so a follower can pipe them on as they come.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import TYPE_CHECKING, Annotated

import typer

from proctor.cli.remote import (
    PAGE_SIZE,
    ApiUrlOption,
    api_call,
    every_page,
    looks_like_id,
    make_client,
    page_hint,
    when,
)

if TYPE_CHECKING:
    from proctor.client import Client, LogEntry, Page

#: State families after which a run writes no more lines of its own.
FINISHED = frozenset({"Success", "Failed", "Cancelled"})
#: How often `--follow` asks for new lines.
FOLLOW_INTERVAL = 0.5
JsonLinesOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON object per log line (JSON Lines).")
]
_BY_NAME = "query ($search: String) { flowRuns(search: $search, first: 50) { nodes { id name } } }"


def resolve_run(client: Client, ref: str) -> str:
    """The id of the flow run `ref` names (its id, or its name if that is unique)."""
    from proctor.cli.output import fail

    if looks_like_id(ref):
        return ref
    nodes = client.query(_BY_NAME, {"search": ref})["flowRuns"]["nodes"]
    named = [node["id"] for node in nodes if node["name"] == ref]
    if not named:
        fail(f"no flow run named {ref!r}: give its id or name (see `proctor runs ls`)")
    if len(named) > 1:
        fail(f"{len(named)} flow runs are named {ref!r}: give the id of one: {', '.join(named)}")
    return str(named[0])


def _line(entry: LogEntry) -> str:
    where = f" {entry.task_slug}" if entry.task_slug else ""
    if entry.map_index is not None and entry.map_index >= 0:
        where += f"[{entry.map_index}]"
    return (
        f"{when(entry.timestamp)} {logging.getLevelName(entry.level):<8}{where} | {entry.message}"
    )


def _emit(entries: list[LogEntry], json_output: bool) -> None:
    for entry in entries:
        if json_output:
            sys.stdout.write(json.dumps(entry.model_dump(mode="json")) + "\n")
        else:
            typer.echo(_line(entry))
    sys.stdout.flush()


class _Fetch:
    """One run's log query with its filters; `page(size, after)` gives a page."""

    def __init__(
        self,
        client: Client,
        run_id: str,
        slug: str | None,
        index: int | None,
        level: int,
        search: str | None,
    ) -> None:
        self.client, self.run_id = client, run_id
        self.slug, self.index, self.level, self.search = slug, index, level, search

    def page(self, size: int, after: str | None) -> Page[LogEntry]:
        return self.client.list_logs(
            self.run_id,
            task_slug=self.slug,
            map_index=self.index,
            level_min=self.level,
            search=self.search,
            first=size,
            after=after,
        )


class _Follower:
    """Prints each line once: new lines as they come, then, when the run has finished,
    any line reported late with an earlier timestamp than one already printed (a
    worker's lines come back with its chunk)."""

    def __init__(self, fetch: _Fetch, json_output: bool) -> None:
        self.fetch, self.json_output = fetch, json_output
        self.printed: set[str] = set()

    def drain(self, after: str | None) -> str | None:
        """Print the lines after `after`; the cursor of the last one read."""
        while True:
            page = self.fetch.page(PAGE_SIZE, after)
            fresh = [entry for entry in page.items if entry.id not in self.printed]
            self.printed.update(entry.id for entry in fresh)
            _emit(fresh, self.json_output)
            after = page.end_cursor or after
            if not page.has_next_page:
                return after

    def run(self, after: str | None, interval: float) -> None:
        start = after
        while True:
            # The state is read first: every line written before the run finished is in
            # the drain that follows, so nothing is missed when the loop ends.
            finished = self.fetch.client.get_flow_run(self.fetch.run_id).state_type in FINISHED
            after = self.drain(after)
            if finished:
                self.drain(start)  # late lines with earlier timestamps
                return
            time.sleep(interval)


def logs(
    run: Annotated[
        str, typer.Argument(metavar="RUN", help="The flow run's id or name.", show_default=False)
    ],
    task: Annotated[
        str | None,
        typer.Option(
            "--task",
            "-t",
            metavar="SLUG[INDEX]",
            help="Only this task's logs: enrich, or one mapped child: 'enrich[137]'.",
        ),
    ] = None,
    level: Annotated[
        str, typer.Option("--level", help="Lowest level shown: DEBUG, INFO, WARNING, ERROR.")
    ] = "DEBUG",
    search: Annotated[str | None, typer.Option("--search", "-s", help="Text to look for.")] = None,
    follow_run: Annotated[
        bool,
        typer.Option(
            "--follow", "-f", help="Keep printing new lines until the run finishes, then exit 0."
        ),
    ] = False,
    first: Annotated[int, typer.Option("--first", "-n", min=1, help="How many lines.")] = 1000,
    after: Annotated[str | None, typer.Option("--after", help="Page cursor.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Every matching line.")] = False,
    api_url: ApiUrlOption = None,
    json_output: JsonLinesOption = False,
) -> None:
    """Print a flow run's logs, oldest first (--json: one JSON object per line)."""
    from proctor.cli.output import UserError, fail
    from proctor.cli.task_runs_view import parse_task_ref

    level_number = logging.getLevelName(level.upper())
    if not isinstance(level_number, int):
        fail(f"unknown log level {level!r}: use DEBUG, INFO, WARNING, ERROR or CRITICAL")
    try:
        slug, index = parse_task_ref(task) if task else (None, None)
    except UserError as error:
        fail(str(error))
    with api_call(), make_client(api_url) as client:
        fetch = _Fetch(client, resolve_run(client, run), slug, index, level_number, search)
        if follow_run:
            try:
                _Follower(fetch, json_output).run(after, FOLLOW_INTERVAL)
            except KeyboardInterrupt:
                raise typer.Exit(130) from None
            return
        page = every_page(fetch.page, after) if show_all else fetch.page(first, after)
    _emit(page.items, json_output)
    page_hint(page.has_next_page, page.end_cursor, len(page.items), page.total_count, "--all")


__all__ = ["FINISHED", "logs", "resolve_run"]
