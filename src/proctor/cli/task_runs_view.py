"""Which task runs `proctor runs show` lists, and how it says what it left out.

A run may have 100,000 task runs; a screen holds a few dozen. The listing is therefore
a choice made in the open: failed task runs first (they are why people look), then the
others in task order, up to `--limit`; `--all` pages through everything; `--task
SLUG[INDEX]` and `--state` narrow it. Whatever is not shown is counted, with the options
that show it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from proctor.cli.output import UserError

if TYPE_CHECKING:
    from proctor.client import Client, Page, TaskRun

FAILED_STATES = ("Failed", "TriggerFailed", "TimedOut")
PAGE_SIZE = 1000  # the server's largest page
_TASK_REF = re.compile(r"^(?P<slug>[^\[\]]+?)(?:\[(?P<index>-?\d+)\])?$")


def parse_task_ref(text: str) -> tuple[str, int | None]:
    """`enrich[137]` -> ("enrich", 137); `enrich` -> ("enrich", None)."""
    found = _TASK_REF.match(text.strip())
    if found is None:
        raise UserError(
            f"cannot read task {text!r}: give a task slug (enrich) or a mapped child "
            "with its index (enrich[137])"
        )
    index = found.group("index")
    return found.group("slug"), None if index is None else int(index)


@dataclass
class Selection:
    """The task runs chosen for display, and how many there are in all."""

    items: list[TaskRun]
    total: int
    failed: int | None  # failed task runs in the run, when they were listed first


Fetch = Callable[[int, str | None], "Page[TaskRun]"]


def _collect(fetch: Fetch, limit: int | None, skip: set[str] | None = None) -> list[TaskRun]:
    """Page through `fetch` until `limit` items (None: all), leaving out ids in `skip`."""
    found: list[TaskRun] = []
    after: str | None = None
    while limit is None or len(found) < limit:
        page = fetch(PAGE_SIZE if limit is None else min(PAGE_SIZE, limit - len(found)), after)
        found.extend(run for run in page.items if not skip or run.id not in skip)
        if not page.has_next_page or not page.end_cursor:
            break
        after = page.end_cursor
    return found if limit is None else found[:limit]


def select_task_runs(
    client: Client,
    flow_run_id: str,
    *,
    task: str | None,
    states: list[str] | None,
    limit: int | None,
) -> Selection:
    """The task runs to show (`limit` None: all of them)."""
    slug, index = parse_task_ref(task) if task else (None, None)

    def fetch(wanted: list[str] | None) -> Fetch:
        def page(first: int, after: str | None) -> Page[TaskRun]:
            return client.list_task_runs(
                flow_run_id,
                task_slug=slug,
                map_index=index,
                states=wanted,
                first=first,
                after=after,
            )

        return page

    if states:
        first_page = fetch(states)(1, None)
        items = _collect(fetch(states), limit)
        return Selection(items, first_page.total_count or len(items), None)
    failed_page = fetch(list(FAILED_STATES))(1, None)
    everything = fetch(None)(1, None)
    failed = _collect(fetch(list(FAILED_STATES)), limit)
    room = None if limit is None else limit - len(failed)
    others = [] if room == 0 else _collect(fetch(None), room, {run.id for run in failed})
    total = everything.total_count or len(failed) + len(others)
    return Selection(failed + others, total, failed_page.total_count or len(failed))


def omitted_hint(selection: Selection, task: str | None) -> str | None:
    """`showing 200 of 1000 task runs ...: see more with ...`, or None when all are shown."""
    shown = len(selection.items)
    if shown >= selection.total:
        return None
    failed = f" ({selection.failed} failed, listed first)" if selection.failed else ""
    narrow = "" if task else ", --task SLUG[INDEX]"
    return (
        f"showing {shown} of {selection.total} task runs{failed}: see more with --all, "
        f"--limit N, --state Failed{narrow}"
    )


__all__ = [
    "FAILED_STATES",
    "Selection",
    "omitted_hint",
    "parse_task_ref",
    "select_task_runs",
]
