"""`proctor limits set|ls|rm`: concurrency limits on task tags and flow-run labels (the
command keeps its short, documented name; the module says which limits)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from proctor.cli.remote import (
    ApiUrlOption,
    JsonOption,
    api_call,
    make_client,
    print_json,
    print_table,
)

concurrency_limits_app = typer.Typer(
    name="limits",
    help=(
        "Concurrency limits: at most N task runs with a tag (default), or N flow runs with "
        "a label (--kind flow), run at once across the team."
    ),
    no_args_is_help=True,
)


class Kind(StrEnum):
    task = "task"
    flow = "flow"


#: CLI word -> the API's kind.
_KINDS = {Kind.task: "task_tag", Kind.flow: "flow_label"}
_WORDS = {"task_tag": "task", "flow_label": "flow"}

KindOption = Annotated[
    Kind,
    typer.Option(
        "--kind",
        "-k",
        help="task: TAG is a task tag (task runs wait Queued); flow: TAG is a flow-run "
        "label (runs wait Scheduled until an agent may claim them).",
        case_sensitive=False,
    ),
]


# `ignore_unknown_options` lets a negative number through as LIMIT (click would read
# `-1` as an unknown option and say "No such option"), so the value itself is refused.
@concurrency_limits_app.command("set", context_settings={"ignore_unknown_options": True})
def set_limit(
    tag: Annotated[str, typer.Argument(help="The task tag (or flow label with --kind flow).")],
    limit: Annotated[
        int,
        typer.Argument(help="How many may run at once; 0 holds all of them until raised."),
    ],
    kind: KindOption = Kind.task,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Create or change a limit; it applies at once to what starts next."""
    from proctor.cli.output import fail

    if tag.startswith("-"):
        fail(f"no such option {tag}: see `proctor limits set --help`")
    if limit < 0:
        fail(f"limit must be 0 or more (got {limit}): 0 holds every run until it is raised")
    with api_call(), make_client(api_url) as client:
        usage = client.set_concurrency_limit(_KINDS[kind], tag, limit)
    if json_output:
        print_json(usage)
        return
    what = "task runs tagged" if kind is Kind.task else "flow runs labelled"
    typer.echo(f"At most {usage.limit} {what} {usage.key!r} at once ({usage.in_use} running now)")


@concurrency_limits_app.command("ls")
def list_limits(
    kind: Annotated[
        Kind | None,
        typer.Option(
            "--kind", "-k", help="Only task-tag or flow-label limits.", case_sensitive=False
        ),
    ] = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """List the limits with how many slots are in use, and by which runs."""
    with api_call(), make_client(api_url) as client:
        found = client.list_concurrency_limits(None if kind is None else _KINDS[kind])
    if json_output:
        print_json(found)
        return
    if not found:
        typer.echo("No concurrency limits. Set one with `proctor limits set TAG N`.")
        return
    print_table(
        None,
        ["KIND", "TAG/LABEL", "IN USE", "LIMIT", "HELD BY"],
        [
            (
                _WORDS.get(usage.kind, usage.kind),
                usage.key,
                usage.in_use,
                usage.limit,
                ", ".join(_holder(h) for h in usage.holders[:5])
                + (f" (+{usage.in_use - 5} more)" if usage.in_use > 5 else ""),
            )
            for usage in found
        ],
    )


def _holder(holder: object) -> str:
    name = getattr(holder, "flow_run_name", "")
    slug = getattr(holder, "task_slug", None)
    if slug is None:
        return str(name)
    index = getattr(holder, "map_index", None)
    return f"{name}/{slug}" + (f"[{index}]" if index is not None and index >= 0 else "")


@concurrency_limits_app.command("rm")
def remove_limit(
    tag: Annotated[str, typer.Argument(help="The task tag (or flow label with --kind flow).")],
    kind: KindOption = Kind.task,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Remove a limit: what waited for it may start."""
    from proctor.cli.output import fail

    with api_call(), make_client(api_url) as client:
        removed = client.delete_concurrency_limit(_KINDS[kind], tag)
    if json_output:
        print_json({"removed": removed, "kind": _KINDS[kind], "key": tag})
        if not removed:
            raise typer.Exit(2)
        return
    if not removed:
        other = "flow" if kind is Kind.task else "task"
        fail(
            f"there is no {kind.value} limit on {tag!r}: see `proctor limits ls` "
            f"(a {other} limit needs --kind {other})"
        )
    typer.echo(f"Removed the {kind.value} limit on {tag!r}")


def register(app: typer.Typer) -> None:
    """Add `limits` to the CLI."""
    app.add_typer(concurrency_limits_app)


__all__ = ["register"]
