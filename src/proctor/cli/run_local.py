"""`proctor run-local FILE[:FLOW]`: run a flow from a Python file here, now, without a server.

The command is a sequence of small steps, each with its own module: load and pick the
flow (the engine's loader), read parameters (`params`), choose an executor
(`executors`), run with a progress display (`progress`), and end with a summary
(`summary`) or a JSON document (`report`). Everything the user can get wrong is checked
before the run starts, so a mistake is one red line and exit code 2, not a half-drawn
progress table.

This module is imported whenever the CLI starts (to register the command), so it imports
nothing heavy at the top: the engine, rich and the executors load when the command runs.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from proctor.cli.executors import ExecutorChoice
from proctor.cli.output import (
    EXIT_FLOW_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    UserError,
    fail,
    print_error,
    stderr_console,
)

if TYPE_CHECKING:
    from rich.console import Console

    from proctor.cli.progress import LineProgress, LiveProgress
    from proctor.core.executors.base import Executor
    from proctor.core.flow import Flow
    from proctor.core.observers import RunObserver
    from proctor.core.states import State

HELP = """Run a flow from a Python file on this machine, with live progress.

FILE is a Python file defining one or more flows (`@flow` or `with Flow(...)`); when it defines several, choose one with FILE:FLOW.

Parameter values are read as JSON when they are JSON ([cyan]n=3[/], [cyan]xs='[1,2]'[/], [cyan]flag=true[/]) and as text otherwise ([cyan]day=2026-01-01[/]); a parameter declared `str` always gets the text.

Exit codes: [green]0[/] the flow run succeeded, [red]1[/] it failed (or did not finish), [yellow]2[/] the command was used wrongly (bad file, flow name or parameter).
"""  # noqa: E501 (typer keeps line breaks in rich mode: one line per paragraph)


def split_target(target: str) -> tuple[Path, str | None]:
    """`flows.py:etl` -> (flows.py, "etl"); `flows.py` -> (flows.py, None).

    A file that exists under the whole name wins, and a colon that belongs to a Windows
    drive (`C:\\flows.py`) or a directory is not a flow name.
    """
    if ":" not in target or Path(target).is_file():
        return Path(target), None
    path, _, name = target.rpartition(":")
    if not path or len(path) == 1 or "/" in name or "\\" in name:
        return Path(target), None
    return Path(path), (name or None)


def run_local(
    target: Annotated[
        str,
        typer.Argument(
            metavar="FILE[:FLOW]",
            help="Python file defining the flow; add :FLOW to choose among several.",
            show_default=False,
        ),
    ],
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            metavar="NAME=VALUE",
            help="A parameter value (repeat for more). VALUE is read as JSON when it is JSON.",
            show_default=False,
        ),
    ] = None,
    params_file: Annotated[
        Path | None,
        typer.Option(
            "--params-file",
            metavar="PATH",
            help="JSON file holding an object of parameter values; --param options win.",
            show_default=False,
        ),
    ] = None,
    executor: Annotated[
        ExecutorChoice | None,
        typer.Option(
            "--executor",
            "-e",
            case_sensitive=False,
            help="Where task runs execute. Default: the flow's own executor, else local.",
            show_default=False,
        ),
    ] = None,
    json_output: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print the outcome as one JSON object on stdout; no progress display.",
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="No progress and no logs below WARNING; print only failures.",
        ),
    ] = False,
) -> None:
    try:
        code = _run_local(target, param or [], params_file, executor, json_output, quiet)
    except UserError as exc:
        fail(str(exc))
    raise typer.Exit(code)


def _run_local(
    target: str,
    param: list[str],
    params_file: Path | None,
    executor_choice: ExecutorChoice | None,
    json_output: bool,
    quiet: bool,
) -> int:
    from proctor.cli.logs import console_logging
    from proctor.core.errors import ProctorError

    console = stderr_console()
    with console_logging(console, quiet=quiet):
        try:
            flow, parameters, executor = _prepare(target, param, params_file, executor_choice)
        except ProctorError as exc:
            raise UserError(str(exc)) from None
        try:
            if json_output:
                return _run_json(flow, parameters, executor)
            if quiet:
                return _run_quiet(console, flow, parameters, executor)
            return _run_shown(console, flow, parameters, executor, source=target)
        except KeyboardInterrupt:
            print_error("Interrupted: the flow run was stopped before it finished.")
            if _busy_threads():
                console.print(
                    "[dim]Waiting for task runs already started; press Ctrl-C again to "
                    "quit at once.[/]"
                )
            return EXIT_INTERRUPTED
        except ProctorError as exc:
            raise UserError(str(exc)) from None


def _busy_threads() -> bool:
    """Whether worker threads will hold up the exit (Python waits for them)."""
    import threading

    main = threading.main_thread()
    return any(
        thread is not main and not thread.daemon and thread.is_alive()
        for thread in threading.enumerate()
    )


def _prepare(
    target: str,
    param: list[str],
    params_file: Path | None,
    executor_choice: ExecutorChoice | None,
) -> tuple[Flow, dict[str, Any], Executor | None]:
    """Load the flow and check everything given for it, before anything runs."""
    from proctor.cli import params
    from proctor.cli.executors import make_executor
    from proctor.core.loader import load_flows_from_path, select_flow

    path, name = split_target(target)
    flow = select_flow(load_flows_from_path(path), name, str(path))
    parameters = params.collect(param, params_file, flow)
    flow.validate()
    flow.validate_parameters(parameters)  # type errors now, not after the display starts
    executor = make_executor(executor_choice) if executor_choice is not None else None
    return flow, parameters, executor


def _timed_run(
    flow: Flow,
    parameters: dict[str, Any],
    executor: Executor | None,
    observers: list[RunObserver],
) -> tuple[State, float, str]:
    """Run the flow; return its final state, the seconds it took and its run id."""
    import uuid

    flow_run_id = uuid.uuid4().hex
    started = time.perf_counter()
    state = flow.run(parameters, executor=executor, observers=observers, flow_run_id=flow_run_id)
    return state, time.perf_counter() - started, flow_run_id


def _exit_code(state: State) -> int:
    return EXIT_OK if state.is_successful() else EXIT_FLOW_FAILED


def _run_json(flow: Flow, parameters: dict[str, Any], executor: Executor | None) -> int:
    """Run with no display; print the JSON report on the real stdout, all else on stderr."""
    import json

    from proctor.cli.output import stdout_to_stderr
    from proctor.cli.report import json_report

    with stdout_to_stderr() as stdout:
        state, duration, flow_run_id = _timed_run(flow, parameters, executor, [])
        report = json_report(flow, state, duration=duration, flow_run_id=flow_run_id)
        stdout.write(json.dumps(report) + "\n")
        stdout.flush()
    return _exit_code(state)


def _run_quiet(
    console: Console, flow: Flow, parameters: dict[str, Any], executor: Executor | None
) -> int:
    """Run with no display; say something only when the run did not succeed."""
    from proctor.cli.summary import print_summary

    state, duration, _ = _timed_run(flow, parameters, executor, [])
    if not state.is_successful():
        print_summary(console, flow, state, duration)
    return _exit_code(state)


def _run_shown(
    console: Console,
    flow: Flow,
    parameters: dict[str, Any],
    executor: Executor | None,
    *,
    source: str,
) -> int:
    """Run with the live table (terminal) or progress lines (anything else), then sum up."""
    from rich.markup import escape

    from proctor.cli.progress import LineProgress, LiveProgress
    from proctor.cli.summary import print_summary
    from proctor.cli.tracker import ProgressTracker

    chosen = executor if executor is not None else flow.executor
    executor_name = type(chosen).__name__ if chosen is not None else "LocalExecutor"
    tracker = ProgressTracker()
    display: LiveProgress | LineProgress
    if console.is_terminal and not console.is_dumb_terminal:
        display = LiveProgress(tracker, console, flow.name)
    else:
        display = LineProgress(console, tracker)
        tracker.on_task_change = display
    console.print(
        f"Running flow [bold]{escape(repr(flow.name))}[/] from {escape(source)} "
        f"[dim]({executor_name})[/]"
    )
    with display:
        state, duration, _ = _timed_run(flow, parameters, executor, [tracker])
    print_summary(console, flow, state, duration)
    return _exit_code(state)


def register(app: typer.Typer) -> None:
    """Add `run-local` to the CLI."""
    app.command("run-local", help=HELP, no_args_is_help=True)(run_local)


__all__ = ["register", "run_local", "split_target"]
