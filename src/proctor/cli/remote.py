"""What every command that talks to a server shares: the client, errors, `--json` output.

A command body runs inside `api_call()`, which turns the client's errors into one clear
line and the exit code scripts rely on: 2 when the request itself was wrong (unknown id,
invalid input: the user can fix it), 1 when the server failed or could not be reached.
Output is either a rich table for people or, with `--json`, one JSON document on stdout.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from proctor.cli.output import EXIT_USER_ERROR, print_error
from proctor.cli.tables import Markup, print_table

if TYPE_CHECKING:
    from proctor.client import Client, Flow, Page

EXIT_SERVER_ERROR = 1
PAGE_SIZE = 1000  # the server's largest page: `--all` pages through lists in these
# A flow run carries its state history: the server's cost limit allows fewer per page.
RUN_PAGE_SIZE = 100
T = TypeVar("T")

ApiUrlOption = Annotated[
    str | None,
    typer.Option(
        "--api-url",
        envvar="PROCTOR_API_URL",
        help="URL of the Proctor server.",
        show_default="http://127.0.0.1:4200",
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout instead of a table.")
]


def make_client(api_url: str | None) -> Client:
    from proctor.client import Client

    return Client(api_url)


@contextlib.contextmanager
def api_call() -> Iterator[None]:
    """Translate client errors into one line on stderr and the right exit code."""
    from proctor.client import USER_ERROR_CODES, GraphQLError, ProctorClientError

    try:
        yield
    except GraphQLError as error:
        print_error(error.message)
        raise typer.Exit(
            EXIT_USER_ERROR if error.code in USER_ERROR_CODES else EXIT_SERVER_ERROR
        ) from None
    except ProctorClientError as error:
        print_error(str(error))
        raise typer.Exit(EXIT_SERVER_ERROR) from None


def looks_like_id(text: str) -> bool:
    """Whether `text` is a UUID (an object's id) rather than a name."""
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def find_flow(client: Client, ref: str, project: str | None) -> Flow:
    """The flow `ref` names: a flow id (that version), or a name, or `PROJECT/NAME`
    (the newest registered version). Exit 2 if there is none, or if several projects
    have one and `project` does not say which."""
    from proctor.cli.output import fail

    if looks_like_id(ref):
        return client.get_flow(ref)
    name = ref
    if project is None and "/" in ref:
        project, name = ref.split("/", 1)
    page = client.list_flows(project=project, name=name, first=50)
    found = [flow for flow in page.items if flow.name == name and not flow.archived]
    if not found:
        where = f" in project {project!r}" if project else ""
        fail(
            f"no registered flow named {name!r}{where}: register it with "
            "`proctor register FILE`, or see `proctor flows ls`"
        )
    projects = sorted({str(flow.project_name) for flow in found})
    if len(projects) > 1:
        choices = ", ".join(f"{p}/{name}" for p in projects)
        fail(f"flows named {name!r} exist in several projects: say which ({choices})")
    return max(found, key=lambda flow: flow.version)


def print_json(value: Any) -> None:
    """One JSON document on stdout (models, lists of models, or plain data)."""
    sys.stdout.write(json.dumps(_plain(value), indent=2, default=str) + "\n")


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def when(value: datetime | None) -> str:
    """A timestamp as people read it in a table: local time, to the second."""
    if value is None:
        return "-"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S")


STATE_STYLES = {
    "Success": "green",
    "Cached": "green",
    "Mapped": "green",
    "Skipped": "dim green",
    "Failed": "red",
    "TriggerFailed": "red",
    "TimedOut": "red",
    "Cancelled": "yellow",
    "Cancelling": "yellow",
    "Running": "cyan",
    "Submitted": "blue",
    "Scheduled": "blue",
    "Retrying": "magenta",
    "Queued": "blue",
    "Paused": "yellow",
}


def styled_state(state: str) -> str:
    from rich.markup import escape

    style = STATE_STYLES.get(state)
    return Markup(f"[{style}]{state}[/]" if style else escape(state))


def every_page(
    fetch: Callable[[int, str | None], Page[T]],
    after: str | None = None,
    page_size: int = PAGE_SIZE,
) -> Page[T]:
    """All items of a paged list from `after` on, as one page (`--all`)."""
    items: list[T] = []
    total: int | None = None
    while True:
        page = fetch(page_size, after)
        items.extend(page.items)
        total = page.total_count
        if not page.has_next_page or not page.end_cursor:
            break
        after = page.end_cursor
    return type(page)(items=items, end_cursor=after, has_next_page=False, total_count=total)


def _is_markup(cell: Any) -> bool:
    return isinstance(cell, Markup)


def print_fields(fields: Sequence[tuple[str, Any]]) -> None:
    """`name: value` lines for one object."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=sys.stdout, soft_wrap=True, highlight=False)
    width = max(len(name) for name, _ in fields)
    for name, value in fields:
        shown = value if _is_markup(value) else escape(str(value if value is not None else "-"))
        console.print(f"[bold]{name.ljust(width)}[/]  {shown}")


def page_hint(
    has_next: bool, cursor: str | None, shown: int, total: int | None, more: str = ""
) -> None:
    """Tell people there is more and how to see it, on stderr (`--json` stays clean).
    `more` names the command's other ways (e.g. `--all`)."""
    if has_next and cursor:
        of = f" of {total}" if total is not None else ""
        ways = f"{more}, " if more else ""
        print(
            f"showing {shown}{of}: see more with {ways}--first N or --after {cursor}",
            file=sys.stderr,
        )


__all__ = [
    "EXIT_SERVER_ERROR",
    "ApiUrlOption",
    "JsonOption",
    "Markup",
    "api_call",
    "every_page",
    "find_flow",
    "looks_like_id",
    "make_client",
    "page_hint",
    "print_fields",
    "print_json",
    "print_table",
    "styled_state",
    "when",
]
